package dev.sluice.app.internal.mcp.stateless;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.mcp.NodeIds;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.JsonRpc;
import dev.sluice.core.SluiceException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * The open {@link InputExchange}s of this node, by id, and the threads their calls run on. A
 * {@code requestState} is {@code sluice-<node>.<128 random bits>~<round>}, new each round (a state of
 * an earlier round continues nothing): it names the node whose call it
 * continues (a retry that reaches another node is relayed there, {@code relay.InputRelay}) and cannot be
 * guessed, and it is honoured only for the
 * subject that started the call and for the same method and name. An exchange ends when its final
 * answer has been handed out, or {@link #MAX_AGE} after it began.
 */
@ApplicationScoped
public class InputExchanges {
    public static final Duration MAX_AGE = Duration.ofMinutes(15);

    private final Map<String, InputExchange> open = new ConcurrentHashMap<>();

    /** The container's default managed executor, on which the exchanges' calls run. */
    @Resource
    ManagedExecutorService executor;

    private volatile Executor calls;
    /** The calls running now: cancelled when the application stops. */
    private final Set<FutureTask<Void>> running = ConcurrentHashMap.newKeySet();

    @PostConstruct
    void start() {
        runCallsOn(executor);
    }

    /** Where the exchanges' calls run: the managed executor, a plain one in unit tests. */
    void runCallsOn(Executor pool) {
        this.calls = pool;
    }

    /** Opens an exchange for a call whose upstream may ask the client for input; {@link #run} starts the call. */
    InputExchange open(String subject, String method, String name, JsonNode requestId) {
        sweep();
        String state = "sluice-" + NodeIds.NODE + "." + NodeIds.newId();
        InputExchange exchange = new InputExchange(state, subject, method, name, requestId);
        open.put(state, exchange);
        return exchange;
    }

    /**
     * Runs the exchange's call in the background; its first round is the exchange's current one.
     * Everything the call's channel needs must be in place before: the upstream may ask at once.
     */
    void run(InputExchange exchange, JsonNode requestId, Supplier<ObjectNode> call) {
        FutureTask<Void> task = new FutureTask<>(() -> {
            ObjectNode answer;
            try {
                answer = call.get();
            } catch (RuntimeException e) {
                answer = JsonRpc.error(requestId, -32603, "internal error", null);
            }
            exchange.finish(answer);
        }, null) {
            @Override
            protected void done() {
                running.remove(this);
            }
        };
        running.add(task);
        calls.execute(task);
    }

    /**
     * The exchange a retry names.
     *
     * @throws SluiceException {@link ErrorKind#INVALID_PARAMS} when the state is unknown here, has ended,
     *     or belongs to another subject or another call
     */
    InputExchange resume(String state, String subject, String method, String name) {
        InputExchange exchange = open.get(InputExchange.idOf(state));
        if (exchange == null || !exchange.subject().equals(subject) || !exchange.sameCall(method, name)
                || !exchange.current(state)) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'requestState' names no call in progress here (it"
                    + " ended, expired, was of an earlier round, or belongs to another call); call again without it");
        }
        return exchange;
    }

    /** The node whose exchange a {@code requestState} names (its calls run there); null when it is not Sluice's. */
    public static String ownerOf(String state) {
        int dot = state.indexOf('.');
        return state.startsWith("sluice-") && dot > 7 ? state.substring(7, dot) : null;
    }

    /**
     * Takes a retry for one of this node's exchanges: answers what the client answered and gives the
     * round's end (the call's answer, or the next {@code input_required}); the exchange ends with the
     * final answer.
     */
    public CompletableFuture<ObjectNode> retry(String state, String subject, String method,
            String name, JsonNode retryId, JsonNode inputResponses) {
        InputExchange exchange = resume(state, subject, method, name);
        return exchange.resume(retryId, inputResponses).thenApply(answer -> {
            if (exchange.finished() && !"input_required".equals(answer.path("result").path("resultType").asText())) {
                ended(exchange);
            }
            return answer;
        });
    }

    /** The exchange's final answer has gone out: it is over. */
    void ended(InputExchange exchange) {
        open.remove(exchange.state(), exchange);
    }

    private void sweep() {
        open.values().removeIf(e -> e.ageNanos() > MAX_AGE.toNanos() && abandon(e));
    }

    private static boolean abandon(InputExchange e) {
        e.abandon();
        return true;
    }

    int size() {
        return open.size();
    }

    @PreDestroy
    void stop() {
        running.forEach(task -> task.cancel(true)); // the managed executor is the container's to shut down
    }
}
