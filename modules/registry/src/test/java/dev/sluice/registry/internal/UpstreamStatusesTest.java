package dev.sluice.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.ErrorKind;
import dev.sluice.core.ProtocolVersion;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.UpstreamStatus;
import dev.sluice.registry.UpstreamStatus.State;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each server's status from its entry, its connection and its guard. */
class UpstreamStatusesTest {
    private final FakeUpstream.Node node = new FakeUpstream.Node("""
            servers:
              - {name: pg, transport: stdio, command: pg-mcp, install: "npm i -g pg-mcp"}
              - {name: web, transport: streamable-http, url: "https://mcp.example.com/mcp"}
              - {name: old, transport: sse, url: "https://sse.example.com/sse"}
              - name: paused
                transport: stdio
                command: paused
                enabled: false
                resilience:
                  circuit-breaker: {enabled: false}
            """);
    private final UpstreamConnections connections = node.connections;
    private final UpstreamGuards guards = new UpstreamGuards(key -> Optional.empty(), node.listeners);
    private final UpstreamStatuses statuses = new UpstreamStatuses(node.catalog, connections, guards);

    @AfterEach
    void tearDown() {
        node.close();
    }

    @Test
    void aServerNeverStartedIsIdleWithAClosedCircuit() {
        UpstreamStatus pg = statuses.status("pg");

        assertThat(pg.state()).isEqualTo(State.IDLE);
        assertThat(pg.transport()).isEqualTo("stdio: pg-mcp");
        assertThat(pg.install()).isEqualTo("npm i -g pg-mcp");
        assertThat(pg.since()).isNull();
        assertThat(pg.circuit()).isEqualTo("closed");
        assertThat(pg.retries()).isZero();
    }

    @Test
    void aConnectedServerShowsWhatTheUpstreamSaidOfItself() {
        connections.client("pg");

        UpstreamStatus pg = statuses.status("pg");

        assertThat(pg.state()).isEqualTo(State.UP);
        assertThat(pg.serverName()).isEqualTo("pg-server");
        assertThat(pg.serverVersion()).isEqualTo("1.2.3");
        assertThat(pg.protocolVersion()).isEqualTo(ProtocolVersion.LATEST);
        assertThat(pg.since()).isNotNull();
        assertThat(pg.lastError()).isNull();
    }

    @Test
    void aServerThatFailedToStartShowsWhy() {
        node.transports.refused.add("pg");
        catchThrowableOfType(SluiceException.class, () -> connections.client("pg"));

        UpstreamStatus pg = statuses.status("pg");

        assertThat(pg.state()).isEqualTo(State.DOWN);
        assertThat(pg.lastError()).isEqualTo("connection refused");
        assertThat(pg.serverName()).isNull();
    }

    @Test
    void aDisabledServerIsDisabledAndItsGuardSaysSo() {
        guards.guard(node.catalog.server("paused"));

        UpstreamStatus paused = statuses.status("paused");

        assertThat(paused.state()).isEqualTo(State.DISABLED);
        assertThat(paused.circuit()).isEqualTo("disabled");
    }

    @Test
    void everyServerOfTheCatalogInItsOrderAndNoOther() {
        assertThat(statuses.statuses()).extracting(UpstreamStatus::server).containsExactly("pg", "web", "old", "paused");
        assertThat(statuses.statuses()).extracting(UpstreamStatus::transport).containsExactly("stdio: pg-mcp",
                "streamable-http: https://mcp.example.com/mcp", "sse: https://sse.example.com/sse", "stdio: paused");
        assertThat(catchThrowableOfType(SluiceException.class, () -> statuses.status("nope")).kind())
                .isEqualTo(ErrorKind.UNKNOWN_SERVER);
    }
}
