package dev.sluice.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ClientChannel;
import java.util.List;
import java.util.Optional;

/**
 * The connections to upstream servers on this node: one per server, started lazily or at boot,
 * restarted with back-off when it dies, stopped when idle if configured.
 */
public interface Upstreams {

    /**
     * Sends a request to an upstream and waits for its answer, relaying whatever the upstream asks of
     * or tells the client on the way (progress, log messages, sampling, elicitation).
     *
     * @return the upstream's JSON-RPC response (its {@code result} or {@code error}), its id removed
     * @throws dev.sluice.core.SluiceException when the server is unknown, unavailable or too slow
     */
    ObjectNode request(String server, String method, ObjectNode params, ClientChannel channel);

    /**
     * A client's call (tools/call, resources/read, prompts/get) to an upstream, under the server's
     * fault tolerance: bulkhead, circuit breaker, and retries when the call is idempotent.
     *
     * @param idempotent whether the call may be repeated when the upstream could not be reached
     * @return as {@link #request}
     * @throws dev.sluice.core.SluiceException as {@link #request}, and {@code upstream-unavailable} at once
     *     while the server's circuit is open, {@code upstream-busy} when its bulkhead stays full
     */
    ObjectNode call(String server, String method, ObjectNode params, ClientChannel channel, boolean idempotent);

    /** Sends a notification to an upstream that is connected; does nothing otherwise. */
    void notify(String server, String method, ObjectNode params);

    /** The upstream's initialize result (capabilities, serverInfo), connecting when needed. */
    Optional<ObjectNode> initializeResult(String server);

    UpstreamStatus status(String server);

    List<UpstreamStatus> statuses();

    /** The latest health checks of a server on this node, newest first (none while it was never started). */
    List<HealthCheck> healthChecks(String server);

    void addListener(UpstreamListener listener);
}
