package dev.sluice.app.internal.mcp.session;

import dev.sluice.app.internal.mcp.relay.AnswerRelay;
import dev.sluice.core.JsonRpc;
import dev.sluice.registry.UpstreamStatus;
import dev.sluice.registry.Upstreams;
import dev.sluice.registry.VirtualServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What a session-era client sends that is not a request: its answers to the requests Sluice sent it
 * (on another node's behalf too, {@link AnswerRelay}) and its notifications (a cancellation, a change
 * of its roots). None of them is answered.
 */
@ApplicationScoped
public class ClientMessages {

    @Inject
    Upstreams upstreams;

    @Inject
    AnswerRelay relay;

    /** A response or notification from the client. */
    void receive(McpSession session, VirtualServer vs, JsonRpc.Message message) {
        if (message instanceof JsonRpc.Response r) {
            var waiting = session.outbound().get(r.id().asText());
            if (waiting != null) {
                waiting.complete(r.raw());
            } else {
                relay.forward(session, r.id().asText(), r.raw());
            }
        } else if (message instanceof JsonRpc.Notification n) {
            switch (n.method()) {
                case "notifications/cancelled" -> {
                    Runnable cancel = session.inflight().remove(n.params().path("requestId").asText());
                    if (cancel != null) {
                        cancel.run();
                    }
                }
                case "notifications/roots/list_changed" -> upstreams.statuses().stream()
                        .filter(s -> s.state() == UpstreamStatus.State.UP && vs.drawsFrom(s.server()))
                        .forEach(s -> upstreams.notify(s.server(), n.method(), n.params()));
                default -> {
                    // notifications/initialized and others need no answer
                }
            }
        }
    }
}
