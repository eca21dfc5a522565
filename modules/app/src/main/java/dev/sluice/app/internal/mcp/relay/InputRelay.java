package dev.sluice.app.internal.mcp.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.mcp.NodeIds;
import dev.sluice.app.internal.mcp.stateless.InputExchanges;
import dev.sluice.cache.SharedMessages;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.JsonRpc;
import dev.sluice.core.SluiceException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Carries a stateless client's retry of an {@code input_required} exchange to the node that runs the
 * call, and the round's end back (Redis pub/sub, through the cache module): behind a load balancer
 * the retry may reach any node, but the suspended upstream call lives on one. The owning node checks
 * the retry as if it had come to it (subject, method and name bound to the state).
 */
@ApplicationScoped
public class InputRelay {
    private static final Logger LOG = Logger.getLogger(InputRelay.class.getName());
    static final String TOPIC = "mcp-input";
    private static final AtomicLong IDS = new AtomicLong();

    @Inject
    SharedMessages messages;

    @Inject
    InputExchanges inputs;

    private final Map<String, CompletableFuture<ObjectNode>> waiting = new ConcurrentHashMap<>();

    void listen(@Observes @Initialized(ApplicationScoped.class) Object started) {
        messages.subscribe(TOPIC, this::received);
    }

    /** Whether a retry with this state must go to another node. */
    public boolean elsewhere(String state) {
        String owner = InputExchanges.ownerOf(state);
        return owner != null && !owner.equals(NodeIds.NODE);
    }

    /**
     * Sends a retry to the node that owns its exchange; the future completes with the round's end.
     *
     * @throws SluiceException when no other node can be reached (no shared Redis)
     */
    public CompletableFuture<ObjectNode> forward(String state, String subject, String method, String name,
            JsonNode retryId, JsonNode inputResponses) {
        if (!messages.shared()) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'requestState' names a call of another node, and "
                    + "this node shares no Redis with it; call again without it");
        }
        String corr = NodeIds.NODE + "-" + IDS.incrementAndGet();
        CompletableFuture<ObjectNode> answer = new CompletableFuture<>();
        waiting.put(corr, answer);
        answer.orTimeout(InputExchanges.MAX_AGE.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((a, e) -> waiting.remove(corr));
        ObjectNode m = Json.object().put("t", "retry").put("to", InputExchanges.ownerOf(state)).put("from",
                NodeIds.NODE).put("corr", corr).put("state", state).put("subject", subject).put("method", method)
                .put("name", name);
        m.set("id", retryId);
        m.set("responses", inputResponses);
        messages.publish(TOPIC, Json.write(m));
        return answer;
    }

    private void received(String text) {
        JsonNode m;
        try {
            m = Json.parse(text);
        } catch (RuntimeException e) {
            LOG.fine("a relayed input message that is not JSON was dropped");
            return;
        }
        if (!NodeIds.NODE.equals(m.path("to").asText())) {
            return;
        }
        String corr = m.path("corr").asText();
        if ("answer".equals(m.path("t").asText())) {
            CompletableFuture<ObjectNode> w = waiting.remove(corr);
            if (w != null && m.get("answer") instanceof ObjectNode answer) {
                w.complete(answer);
            }
            return;
        }
        if (!"retry".equals(m.path("t").asText())) {
            return;
        }
        String from = m.path("from").asText();
        JsonNode id = m.get("id");
        CompletableFuture<ObjectNode> round;
        try {
            round = inputs.retry(m.path("state").asText(), m.path("subject").asText(), m.path("method").asText(),
                    m.path("name").isNull() ? null : m.path("name").asText(null), id, m.get("responses"));
        } catch (SluiceException e) {
            round = CompletableFuture.completedFuture(JsonRpc.error(id, e));
        }
        round.whenComplete((answer, failure) -> {
            ObjectNode reply = Json.object().put("t", "answer").put("to", from).put("corr", corr);
            reply.set("answer", failure == null ? answer : JsonRpc.error(id, new SluiceException(
                    ErrorKind.UPSTREAM_TIMEOUT, "the call did not finish in time")));
            messages.publish(TOPIC, Json.write(reply));
        });
    }
}
