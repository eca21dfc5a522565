package dev.sluice.registry;

import java.time.Instant;

/**
 * The state of one upstream server's connection on this node.
 *
 * @param server catalog name
 * @param state where the connection is
 * @param transport what it connects to (never a secret)
 * @param since when it entered this state
 * @param lastError the last failure, or null
 * @param restarts how many times it was restarted after dying
 * @param serverName the upstream's own name from its initialize answer, or null
 * @param serverVersion its version, or null
 * @param protocolVersion the protocol version negotiated with it, or null
 * @param install how to install it when it is missing, or null
 * @param circuit its circuit breaker on this node: {@code closed}, {@code open}, {@code half-open} or
 *     {@code disabled}
 * @param retries calls retried on this node since it started (or since its catalog entry changed)
 * @param startMillis how long its last successful start took on this node (launch or connect, then the
 *     initialize handshake), in milliseconds; 0 when it has not started
 */
public record UpstreamStatus(String server, State state, String transport, Instant since, String lastError,
        int restarts, String serverName, String serverVersion, String protocolVersion, String install,
        String circuit, long retries, long startMillis) {

    public enum State {
        /** Disabled in the catalog. */
        DISABLED,
        /** Not connected yet (lazy start) or stopped while idle. */
        IDLE,
        STARTING,
        UP,
        /** Failed or died; restarted with back-off. */
        DOWN
    }
}
