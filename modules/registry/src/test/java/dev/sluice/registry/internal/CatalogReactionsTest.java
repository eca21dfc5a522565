package dev.sluice.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.SluiceException;
import dev.sluice.registry.CatalogChanged;
import dev.sluice.registry.CatalogSnapshot;
import dev.sluice.registry.UpstreamStatus.State;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A catalog change disconnects what changed, forgets its failures and its guard, and leaves the rest alone. */
class CatalogReactionsTest {
    private static final String BEFORE = """
            servers:
              - {name: same, transport: stdio, command: same}
              - {name: changed, transport: stdio, command: changed}
              - {name: disabled, transport: stdio, command: disabled}
              - {name: gone, transport: stdio, command: gone}
              - {name: failing, transport: stdio, command: failing}
            """;
    private static final String AFTER = """
            servers:
              - {name: same, transport: stdio, command: same}
              - {name: changed, transport: stdio, command: changed, args: [--new]}
              - {name: disabled, transport: stdio, command: disabled, enabled: false}
              - {name: failing, transport: stdio, command: failing, args: [--fixed]}
            """;

    private final FakeUpstream.Node node = new FakeUpstream.Node(BEFORE);
    private final FakeUpstream.TestCatalog catalog = node.catalog;
    private final UpstreamConnections connections = node.connections;
    private final UpstreamGuards guards = new UpstreamGuards(key -> Optional.empty(), new UpstreamListeners());
    private final CatalogReactions reactions = new CatalogReactions(connections, guards);

    @AfterEach
    void tearDown() {
        node.close();
    }

    @Test
    void disconnectsWhatChangedLeftOrWasDisabledAndKeepsTheRest() {
        UpstreamClient same = connections.client("same");
        UpstreamClient changed = connections.client("changed");
        UpstreamClient disabled = connections.client("disabled");
        UpstreamClient gone = connections.client("gone");
        UpstreamGuard sameGuard = guards.guard(catalog.server("same"));
        guards.guard(catalog.server("changed"));
        CatalogSnapshot before = catalog.snapshot;
        catalog.snapshot = CatalogParser.parse(AFTER, "test");

        reactions.changed(new CatalogChanged(before, catalog.snapshot));

        assertThat(same.isClosed()).isFalse();
        assertThat(connections.slot("same").state).isEqualTo(State.UP);
        assertThat(changed.isClosed()).isTrue();
        assertThat(connections.slot("changed").state).isEqualTo(State.IDLE);
        assertThat(disabled.isClosed()).isTrue();
        assertThat(connections.slot("disabled").state).isEqualTo(State.DISABLED);
        assertThat(gone.isClosed()).isTrue();
        assertThat(connections.slot("gone").state).isEqualTo(State.DISABLED);
        assertThat(guards.existing("same")).containsSame(sameGuard);
        assertThat(guards.existing("changed")).as("built anew on the next call").isEmpty();
    }

    @Test
    void aChangedServerIsTriedAtOnceDespiteEarlierFailures() {
        node.transports.refused.add("failing");
        catchThrowableOfType(SluiceException.class, () -> connections.client("failing"));
        node.transports.refused.clear();
        CatalogSnapshot before = catalog.snapshot;
        catalog.snapshot = CatalogParser.parse(AFTER, "test");

        reactions.changed(new CatalogChanged(before, catalog.snapshot));

        UpstreamSlot slot = connections.slot("failing");
        assertThat(slot.failures).isZero();
        assertThat(slot.state).isEqualTo(State.IDLE);
        assertThat(connections.client("failing")).isNotNull();
    }
}
