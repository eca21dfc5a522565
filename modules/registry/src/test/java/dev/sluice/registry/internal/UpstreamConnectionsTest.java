package dev.sluice.registry.internal;

import static dev.sluice.registry.internal.FakeUpstream.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.UpstreamStatus.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One connection per server: made on first use, under back-off after failures, restarted when it dies. */
class UpstreamConnectionsTest {
    private static final String CATALOG = """
            servers:
              - {name: pg, transport: stdio, command: pg}
              - {name: paused, transport: stdio, command: paused, enabled: false}
              - {name: http, transport: streamable-http, url: "http://localhost:1/mcp"}
              - {name: old, transport: streamable-http, url: "http://localhost:1/mcp", protocol: session}
            """;

    private final FakeUpstream.Node node = new FakeUpstream.Node(CATALOG);
    private final FakeUpstream.TestCatalog catalog = node.catalog;
    private final FakeUpstream.Transports transports = node.transports;
    private final UpstreamConnections connections = node.connections;

    @AfterEach
    void tearDown() {
        node.close();
    }

    @Test
    void connectsOnFirstUseAndKeepsTheConnection() {
        assertThat(connections.slot("pg")).isNull();
        assertThat(connections.connected("pg")).as("never connects by itself").isNull();

        UpstreamClient first = connections.client("pg");

        assertThat(connections.client("pg")).isSameAs(first);
        assertThat(transports.count("pg")).isEqualTo(1);
        assertThat(transports.latest("pg").methods).startsWith("initialize", "notifications/initialized");
        UpstreamSlot slot = connections.slot("pg");
        assertThat(slot.state).isEqualTo(State.UP);
        assertThat(slot.lastError).isNull();
        assertThat(connections.connected("pg")).isSameAs(first);
    }

    @Test
    void anUnknownOrDisabledServerIsRefused() {
        assertThat(catchThrowableOfType(SluiceException.class, () -> connections.client("nope")).kind())
                .isEqualTo(ErrorKind.UNKNOWN_SERVER);
        SluiceException off = catchThrowableOfType(SluiceException.class, () -> connections.client("paused"));
        assertThat(off.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
        assertThat(off.detail()).contains("disabled");
    }

    @Test
    void aFailedStartBacksCallsOffButNotTheHealthMonitor() {
        transports.refused.add("pg");
        SluiceException first = catchThrowableOfType(SluiceException.class, () -> connections.client("pg"));
        assertThat(first.detail()).contains("could not be started: connection refused");
        UpstreamSlot slot = connections.slot("pg");
        assertThat(slot.state).isEqualTo(State.DOWN);
        assertThat(slot.failures).isEqualTo(1);

        transports.refused.clear();
        SluiceException backedOff = catchThrowableOfType(SluiceException.class, () -> connections.client("pg"));
        assertThat(backedOff.detail()).contains("is down (connection refused); next attempt in 1 s");
        assertThat(transports.count("pg")).as("no attempt while backed off").isZero();

        UpstreamClient probed = connections.probe(catalog.server("pg"));
        assertThat(probed).isNotNull();
        assertThat(slot.state).isEqualTo(State.UP);
        assertThat(connections.client("pg")).isSameAs(probed);
    }

    @Test
    void aFailedProbeDoesNotLengthenTheBackOff() {
        transports.refused.add("pg");
        catchThrowableOfType(SluiceException.class, () -> connections.probe(catalog.server("pg")));

        UpstreamSlot slot = connections.slot("pg");
        assertThat(slot.state).isEqualTo(State.DOWN);
        assertThat(slot.failures).isZero();
        assertThat(slot.waitNanos()).isNotPositive();
    }

    @Test
    void aConnectionThatDiesAfterALongLifeIsRestartedAtOnceAndTheListsChange() throws InterruptedException {
        UpstreamClient first = connections.client("pg");
        UpstreamSlot slot = connections.slot("pg");
        slot.connectedAtNanos -= UpstreamConnections.CRASH_LOOP.toNanos() + 1;

        transports.latest("pg").die("exit 1");

        assertThat(eventually(() -> transports.count("pg") == 2 && slot.state == State.UP)).isTrue();
        assertThat(slot.restarts).isEqualTo(1);
        assertThat(slot.failures).isZero();
        assertThat(connections.client("pg")).isNotSameAs(first);
        assertThat(eventually(() -> node.heard.events.containsAll(java.util.List.of("pg tools", "pg prompts", "pg resources"))))
                .isTrue();
    }

    @Test
    void aConnectionThatDiesRightAfterStartingIsBackedOff() throws InterruptedException {
        connections.client("pg");
        UpstreamSlot slot = connections.slot("pg");

        transports.latest("pg").die("exit 1");

        assertThat(slot.state).isEqualTo(State.DOWN);
        assertThat(slot.lastError).isEqualTo("died right after starting: exit 1");
        assertThat(slot.failures).isEqualTo(1);
        assertThat(eventually(() -> transports.count("pg") == 2 && slot.state == State.UP))
                .as("restarted after the back-off").isTrue();
    }

    @Test
    void aConnectionClosedOnPurposeLeavesTheServerIdle() {
        UpstreamClient client = connections.client("pg");
        client.close();

        UpstreamSlot slot = connections.slot("pg");
        assertThat(slot.state).isEqualTo(State.IDLE);
        assertThat(slot.client).isNull();
        assertThat(slot.restarts).isZero();
    }

    @Test
    void afterStopNothingIsConnectedOrRestarted() throws InterruptedException {
        connections.client("pg");
        transports.latest("pg").die("exit 1"); // a restart is due after the first back-off
        connections.client("old");
        FakeUpstream old = transports.latest("old");

        connections.stop();

        assertThat(old.closed).isTrue();
        assertThat(connections.connected("old")).isNull();
        Thread.sleep(700); // longer than the first back-off
        assertThat(transports.count("pg")).as("not restarted").isEqualTo(1);
    }

    @Test
    void onlyStreamableHttpIsProbedForTheNewProtocolFirst() {
        assertThat(UpstreamConnections.era(catalog.server("pg"))).isEqualTo(UpstreamClient.Era.SESSION);
        assertThat(UpstreamConnections.era(catalog.server("http"))).isEqualTo(UpstreamClient.Era.DISCOVER_THEN_SESSION);
        assertThat(UpstreamConnections.era(catalog.server("old"))).isEqualTo(UpstreamClient.Era.SESSION);
    }
}
