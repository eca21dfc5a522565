package dev.sluice.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.registry.UpstreamStatus.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Idle stop: only a server with an idle-timeout, only once it sat idle past it. */
class IdleStopperTest {
    private final FakeUpstream.Node node = new FakeUpstream.Node("""
            servers:
              - {name: brief, transport: stdio, command: brief, idle-timeout: PT0.05S}
              - {name: patient, transport: stdio, command: patient, idle-timeout: PT1H}
              - {name: forever, transport: stdio, command: forever}
            """);
    private final UpstreamConnections connections = node.connections;
    private final IdleStopper idle = new IdleStopper(connections, node.catalog);

    @AfterEach
    void tearDown() {
        node.close();
    }

    @Test
    void stopsAConnectionIdlePastItsServersTimeoutOnly() throws InterruptedException {
        UpstreamClient brief = connections.client("brief");
        UpstreamClient patient = connections.client("patient");
        UpstreamClient forever = connections.client("forever");
        Thread.sleep(100);

        idle.stopIdle();

        assertThat(brief.isClosed()).isTrue();
        assertThat(connections.slot("brief").state).isEqualTo(State.IDLE);
        assertThat(connections.slot("brief").client).isNull();
        assertThat(patient.isClosed()).isFalse();
        assertThat(forever.isClosed()).isFalse();
        assertThat(connections.client("brief")).as("the next call starts it anew").isNotSameAs(brief);
        assertThat(node.transports.count("brief")).isEqualTo(2);
    }
}
