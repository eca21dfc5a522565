package dev.sluice.app.internal.mcp.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.mcp.McpSettings;
import dev.sluice.app.internal.mcp.NodeIds;
import dev.sluice.app.internal.mcp.session.EventLog;
import dev.sluice.app.internal.mcp.session.McpSession;
import dev.sluice.app.internal.mcp.session.SessionStore;
import dev.sluice.app.internal.mcp.session.SseStream;
import dev.sluice.cache.SharedLogs;
import dev.sluice.cache.SharedMessages;
import dev.sluice.core.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperties;

/**
 * Carries a session's stream events between nodes (Redis pub/sub, through the cache module), so that
 * a client may hold its streams on any node:
 * <ul>
 * <li>{@code e}: an event of a POST's answer stream that was handed over, to the node whose GET
 * resumed that stream;</li>
 * <li>{@code n}: a message for the session's GET stream, to the node that holds it (a resource
 * update for a subscription made here, a request of a call whose answer stream is gone);</li>
 * <li>{@code r}: a stream was resumed on another node: its sender here hands over.</li>
 * </ul>
 * Each message names the session by a digest of its id; a node without that session ignores it.
 * Events are also kept in a shared log per stream ({@link EventLog}), so a GET that resumes a stream
 * finds what was sent before it came. See design record 0008.
 */
@ApplicationScoped
public class StreamRelay {
    private static final Logger LOG = Logger.getLogger(StreamRelay.class.getName());
    static final String TOPIC = "mcp-streams";

    @Inject
    @ConfigProperties
    McpSettings mcp;

    @Inject
    SharedMessages messages;

    @Inject
    SharedLogs logs;

    @Inject
    SessionStore sessions;

    void listen(@Observes @Initialized(ApplicationScoped.class) Object started) {
        messages.subscribe(TOPIC, this::received);
    }

    /** Connects a session to the other nodes, when there are any (a shared Redis). */
    public void share(McpSession session) {
        if (messages.shared()) {
            session.share(this, new EventLog(mcp.eventLogCapacity, logs, session.digest(), mcp.eventLogTtl));
        } else {
            session.share(null, new EventLog(mcp.eventLogCapacity));
        }
    }

    public void event(McpSession session, String streamId, String eventId, String data) {
        publish(envelope("e", session).put("st", streamId).put("id", eventId).put("d", data));
    }

    /** @return whether the message went out to the other nodes (one of them may hold the GET stream) */
    public boolean toListening(McpSession session, ObjectNode message) {
        if (!messages.shared()) {
            return false;
        }
        publish(envelope("n", session).put("d", Json.write(message)).put("from", NodeIds.NODE));
        return true;
    }

    public void resumed(McpSession session, String streamId) {
        publish(envelope("r", session).put("st", streamId).put("from", NodeIds.NODE));
    }

    private static ObjectNode envelope(String type, McpSession session) {
        return Json.object().put("t", type).put("s", session.digest());
    }

    private void publish(ObjectNode envelope) {
        if (messages.shared()) {
            messages.publish(TOPIC, Json.write(envelope));
        }
    }

    private void received(String text) {
        JsonNode m;
        try {
            m = Json.parse(text);
        } catch (RuntimeException e) {
            LOG.fine("a relayed stream message that is not JSON was dropped");
            return;
        }
        McpSession session = sessions.byDigest(m.path("s").asText("")).orElse(null);
        if (session == null) {
            return;
        }
        switch (m.path("t").asText("")) {
            case "e" -> session.relayed(m.path("st").asText(), m.path("id").asText(), m.path("d").asText());
            case "n" -> {
                if (NodeIds.NODE.equals(m.path("from").asText())) {
                    return; // this node could not deliver it: its own stream is gone
                }
                SseStream stream = session.listening();
                if (stream != null && Json.parse(m.path("d").asText()) instanceof ObjectNode message) {
                    stream.send(message);
                }
            }
            case "r" -> {
                if (!NodeIds.NODE.equals(m.path("from").asText())) {
                    session.resumedElsewhere(m.path("st").asText());
                }
            }
            default -> LOG.fine("a relayed stream message of an unknown type was dropped");
        }
    }
}
