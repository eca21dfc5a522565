package dev.sluice.app.internal.mcp.stateless;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.JsonRpc;
import dev.sluice.core.SluiceException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One call of a stateless (2026-07-28) client whose upstream asks the client for input while it runs
 * (elicitation, sampling, roots: server-to-client requests of the session era). The call runs on in
 * the background; each round of the exchange is one HTTP request of the client: the round ends
 * either with the call's answer or with an {@code input_required} result listing what the upstream
 * asked, and the client's retry (carrying {@code inputResponses} and this exchange's
 * {@code requestState}) answers those requests and opens the next round.
 */
final class InputExchange {
    private final String state;
    private final String subject;
    private final String method;
    private final String name;
    private final long createdNanos = System.nanoTime();
    private final Map<String, Asked> asked = new LinkedHashMap<>();
    private int keys;
    /** Rounds that ended with {@code input_required}: each has a {@code requestState} of its own. */
    private int rounds;
    private CompletableFuture<ObjectNode> round = new CompletableFuture<>();
    private ObjectNode finalAnswer;
    private JsonNode requestId;
    private volatile StatelessChannel channel;

    /** A request of the upstream: its method and params, and where the client's answer goes. */
    private record Asked(String method, JsonNode params, CompletableFuture<ObjectNode> answer) {
    }

    InputExchange(String state, String subject, String method, String name, JsonNode requestId) {
        this.state = state;
        this.subject = subject;
        this.method = method;
        this.name = name;
        this.requestId = requestId;
    }

    StatelessChannel channel() {
        return channel;
    }

    void channel(StatelessChannel c) {
        this.channel = c;
    }

    /** The exchange's id: what every round's {@code requestState} starts with ({@code <id>~<round>}). */
    String state() {
        return state;
    }

    /** The id of the exchange a {@code requestState} continues. */
    static String idOf(String requestState) {
        int tilde = requestState.lastIndexOf('~');
        return tilde < 0 ? requestState : requestState.substring(0, tilde);
    }

    /**
     * Whether a retry's {@code requestState} is the one the latest round handed out: a state of an
     * earlier round (already answered) does not continue the exchange.
     */
    synchronized boolean current(String requestState) {
        return requestState.equals(state + "~" + rounds);
    }

    String subject() {
        return subject;
    }

    /** Whether a retry names the same call (same method and tool, prompt or resource). */
    boolean sameCall(String otherMethod, String otherName) {
        return method.equals(otherMethod) && name.equals(otherName);
    }

    /**
     * The upstream asks the client something: it joins the current round (which ends now, if it has
     * not yet) or, when that round has already answered, the next one.
     *
     * @return the client's answer, as the JSON-RPC response the upstream expects (its id is set by the caller)
     */
    synchronized CompletableFuture<ObjectNode> ask(String askedMethod, JsonNode params) {
        Asked a = new Asked(askedMethod, params, new CompletableFuture<>());
        asked.put("input-" + (++keys), a);
        deliver();
        return a.answer();
    }

    /**
     * The upstream asks several things in one {@code input_required}: they make one round, under the
     * upstream's own keys, so the client sees what the upstream asked as it asked it.
     *
     * @return key to the client's answer, once the client answered all of them
     */
    synchronized CompletableFuture<Map<String, ObjectNode>> askAll(Map<String, ObjectNode> requests) {
        Map<String, CompletableFuture<ObjectNode>> answers = new LinkedHashMap<>();
        requests.forEach((key, r) -> {
            String k = asked.containsKey(key) ? key + "-" + (++keys) : key;
            Asked a = new Asked(r.path("method").asText(), r.get("params"), new CompletableFuture<>());
            asked.put(k, a);
            answers.put(key, a.answer());
        });
        deliver();
        return CompletableFuture.allOf(answers.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, ObjectNode> out = new LinkedHashMap<>();
            answers.forEach((key, f) -> out.put(key, f.join()));
            return out;
        });
    }

    /** The call finished: its answer ends the current round, or waits for the next. */
    synchronized void finish(ObjectNode answer) {
        finalAnswer = answer;
        asked.values().forEach(a -> a.answer().cancel(false));
        asked.clear();
        if (!round.isDone()) {
            round.complete(withId(answer));
        }
    }

    long ageNanos() {
        return System.nanoTime() - createdNanos;
    }

    synchronized boolean finished() {
        return finalAnswer != null;
    }

    /** What the current round ends with: the call's answer or an {@code input_required} result. */
    synchronized CompletableFuture<ObjectNode> currentRound() {
        return round;
    }

    /**
     * The client's retry: answers what it answered, opens the next round, and re-asks at once what
     * is still unanswered (the specification asks for a new {@code input_required} rather than an error).
     */
    synchronized CompletableFuture<ObjectNode> resume(JsonNode retryId, JsonNode inputResponses) {
        this.requestId = retryId;
        if (inputResponses instanceof ObjectNode responses) {
            responses.fields().forEachRemaining(e -> {
                Asked a = asked.remove(e.getKey());
                if (a != null) { // unknown keys are ignored, as the specification says
                    a.answer().complete(JsonRpc.result(null, e.getValue()));
                }
            });
        }
        round = new CompletableFuture<>();
        if (finalAnswer != null) {
            round.complete(withId(finalAnswer));
        } else {
            deliver();
        }
        return round;
    }

    private void deliver() {
        if (round.isDone() || asked.isEmpty()) {
            return;
        }
        ObjectNode result = Json.object().put("resultType", "input_required");
        ObjectNode requests = result.putObject("inputRequests");
        asked.forEach((key, a) -> {
            ObjectNode request = requests.putObject(key).put("method", a.method());
            if (a.params() != null && !a.params().isNull()) {
                request.set("params", a.params().deepCopy());
            }
        });
        result.put("requestState", state + "~" + (++rounds)); // a new state each round
        round.complete(JsonRpc.result(requestId, result));
    }

    private ObjectNode withId(ObjectNode answer) {
        ObjectNode copy = answer.deepCopy();
        copy.set("id", requestId);
        return copy;
    }

    /** Gives up: the client did not come back in time. */
    synchronized void abandon() {
        asked.values().forEach(a -> a.answer().completeExceptionally(new SluiceException(ErrorKind.CLIENT_TIMEOUT,
                "the client did not answer the input request in time")));
        asked.clear();
    }
}
