package dev.sluice.cache;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Short append-only logs that every Sluice node sharing the cache's Redis can read (Redis lists,
 * capped and expiring): for what a node must find after another node wrote it, such as the events of
 * a session's stream that a client resumes elsewhere. Without Redis there is nobody to share with,
 * and nothing is kept here (the caller keeps its own copy); while Redis is down, appends are dropped.
 */
public interface SharedLogs {

    /** Whether other nodes can read these logs (a Redis is configured). */
    boolean shared();

    /**
     * Appends {@code entry} to the log {@code name}, keeping its newest {@code capacity} entries; the
     * log expires {@code ttl} after its last append. Never fails a call.
     *
     * @return whether the entry reached the shared log
     */
    boolean append(String name, String entry, int capacity, Duration ttl);

    /**
     * The entries of the log {@code name}, oldest first (none when it expired or never existed).
     *
     * @return empty when there is no shared log to read: no Redis, or it is down
     */
    Optional<List<String>> read(String name);
}
