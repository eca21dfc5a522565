package dev.sluice.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/**
 * A result the cache holds.
 *
 * @param result the MCP result as the upstream answered it (a copy: the caller may change it)
 * @param storedAt when the upstream answered
 * @param freshUntil when it stops being fresh; after that it only answers when the upstream is down
 *     and the tool's stale-if-error window still covers it
 */
public record CachedResult(ObjectNode result, Instant storedAt, Instant freshUntil) {

    public boolean isFresh(Instant now) {
        return now.isBefore(freshUntil);
    }

    public Duration age(Instant now) {
        return Duration.between(storedAt, now);
    }
}
