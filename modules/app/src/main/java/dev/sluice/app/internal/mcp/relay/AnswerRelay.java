package dev.sluice.app.internal.mcp.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.mcp.NodeIds;
import dev.sluice.app.internal.mcp.session.McpSession;
import dev.sluice.app.internal.mcp.session.SessionStore;
import dev.sluice.cache.SharedMessages;
import dev.sluice.core.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * Carries a client's answer to the node that asked. A request Sluice sends a session-era client
 * (sampling, elicitation, roots) waits on the node whose call needs it; behind a load balancer the
 * client may post the answer to another node. That node publishes it (Redis pub/sub, through the
 * cache module), and the node whose id it bears completes the waiting call, after checking that the
 * answer comes from the same session.
 */
@ApplicationScoped
public class AnswerRelay {
    private static final Logger LOG = Logger.getLogger(AnswerRelay.class.getName());
    static final String TOPIC = "mcp-answers";

    @Inject
    SharedMessages messages;

    @Inject
    SessionStore sessions;

    void listen(@Observes @Initialized(ApplicationScoped.class) Object started) {
        messages.subscribe(TOPIC, this::received);
    }

    /** An answer this node has no request for: to the node that sent the request. */
    public void forward(McpSession session, String outboundId, ObjectNode answer) {
        if (outboundId.startsWith("sluice-" + NodeIds.NODE + "-")) {
            return; // ours, and no longer awaited (timed out, or the call ended)
        }
        ObjectNode envelope = Json.object().put("s", session.digest()).put("id", outboundId);
        envelope.set("m", answer);
        messages.publish(TOPIC, Json.write(envelope));
    }

    private void received(String text) {
        JsonNode envelope;
        try {
            envelope = Json.parse(text);
        } catch (RuntimeException e) {
            LOG.fine("a relayed answer that is not JSON was dropped");
            return;
        }
        String id = envelope.path("id").asText("");
        if (!id.startsWith("sluice-" + NodeIds.NODE + "-") || !(envelope.get("m") instanceof ObjectNode answer)) {
            return;
        }
        // the session the answer came from, if it is this node's; the request must be one it awaits
        sessions.byDigest(envelope.path("s").asText()).map(s -> s.outbound().get(id))
                .ifPresent(waiting -> waiting.complete(answer));
    }
}
