package dev.sluice.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.SluiceException;
import dev.sluice.registry.HealthCheck;
import dev.sluice.registry.UpstreamStatus.State;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The health monitor: pings what is up, marks it down after failures in a row, and finds it when it is back. */
class HealthChecksTest {
    private static final String CATALOG = """
            servers:
              - {name: pg, transport: stdio, command: pg}
              - {name: lazy, transport: stdio, command: lazy}
            """;

    private final FakeUpstream.Node node = new FakeUpstream.Node(CATALOG);
    private final FakeUpstream.Transports transports = node.transports;
    private final UpstreamConnections connections = node.connections;
    /** The checks run on the caller's thread: each checkAll() is one finished round. */
    private final HealthChecks health = new HealthChecks(connections, node.catalog, Runnable::run, node.listeners,
            Duration.ofSeconds(1), 2);

    @AfterEach
    void tearDown() {
        node.close();
    }

    @Test
    void aServerUpIsPingedAndEachCheckIsKeptNewestFirst() {
        connections.client("pg");

        health.checkAll();
        health.checkAll();

        assertThat(transports.latest("pg").methods).containsSubsequence("ping", "ping");
        List<HealthCheck> checks = health.history("pg");
        assertThat(checks).hasSize(2).allMatch(HealthCheck::ok);
        assertThat(checks.get(0).at()).isAfterOrEqualTo(checks.get(1).at());
        assertThat(health.history("lazy")).as("never started: never checked").isEmpty();
        assertThat(transports.count("lazy")).isZero();
    }

    @Test
    void failedChecksInARowMarkTheServerDownAndTakeItOutOfTheLists() {
        UpstreamClient client = connections.client("pg");
        transports.latest("pg").unreachable = true;

        health.checkAll();
        assertThat(connections.slot("pg").state).as("one failure is not enough").isEqualTo(State.UP);
        health.checkAll();

        UpstreamSlot slot = connections.slot("pg");
        assertThat(slot.state).isEqualTo(State.DOWN);
        assertThat(slot.lastError).startsWith("2 health checks failed in a row (last: ");
        assertThat(client.isClosed()).isTrue();
        assertThat(health.history("pg")).hasSize(2).noneMatch(HealthCheck::ok);
        assertThat(health.history("pg").get(0).error()).contains("unreachable");
        assertThat(node.heard.events).containsExactly("pg tools", "pg prompts", "pg resources");
        SluiceException refused = catchThrowableOfType(SluiceException.class, () -> connections.client("pg"));
        assertThat(refused.detail()).as("calls wait for the back-off").contains("next attempt in");
    }

    @Test
    void aServerThatIsDownIsTriedAtEveryCheckAndReturnsToTheLists() {
        transports.refused.add("pg");
        catchThrowableOfType(SluiceException.class, () -> connections.client("pg"));

        health.checkAll();
        assertThat(health.history("pg").get(0).ok()).isFalse();
        assertThat(node.heard.events).isEmpty();

        transports.refused.clear();
        health.checkAll();

        assertThat(health.history("pg").get(0).ok()).isTrue();
        assertThat(connections.slot("pg").state).isEqualTo(State.UP);
        assertThat(node.heard.events).containsExactly("pg tools", "pg prompts", "pg resources");
    }

    @Test
    void aDisabledServerIsNotChecked() {
        connections.client("pg");
        node.catalog.snapshot = CatalogParser.parse("""
                servers:
                  - {name: pg, transport: stdio, command: pg, enabled: false}
                """, "test");

        health.checkAll();

        assertThat(health.history("pg")).isEmpty();
    }

    @Test
    void theHistoryKeepsTheLatestChecksOnly() {
        connections.client("pg");

        for (int i = 0; i < HealthChecks.HISTORY + 5; i++) {
            health.checkAll();
        }

        assertThat(health.history("pg")).hasSize(HealthChecks.HISTORY);
    }
}
