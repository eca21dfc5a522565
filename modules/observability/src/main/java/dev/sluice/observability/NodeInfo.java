package dev.sluice.observability;

import java.time.Instant;
import java.util.Objects;

/**
 * One Sluice node as the shared database knows it.
 *
 * @param nodeId stable identity of the node (configured, or host name and HTTP port)
 * @param host the host name the node runs on
 * @param version the Sluice version it runs
 * @param startedAt when it last started
 * @param lastSeenAt its last heartbeat
 * @param alive whether its last heartbeat is recent (within three heartbeat intervals)
 */
public record NodeInfo(String nodeId, String host, String version, Instant startedAt, Instant lastSeenAt,
        boolean alive) {
    public NodeInfo {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
    }
}
