package dev.sluice.cache.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cache.CacheKey;
import java.time.Duration;
import java.util.Optional;

/** Where cache entries live: Redis (shared) or this node's memory. */
interface EntryStore {

    /** An entry as stored: the result, its JSON size, and when it was stored and stops being fresh. */
    record Stored(ObjectNode result, int bytes, long storedAtMillis, long freshUntilMillis) {
    }

    /** The present version of a key's server and tool entries; null when the store is unreachable. */
    String version(CacheKey key);

    /** The entry of a key at a version, if the store still holds it. */
    Optional<Stored> get(CacheKey key, String version);

    /** A key's present version and the entry stored at it (null when there is none). */
    record Found(String version, Stored stored) {
    }

    /**
     * {@link #version} and {@link #get} together, in one round trip where the store can; null when
     * the store is unreachable.
     */
    default Found lookup(CacheKey key) {
        String version = version(key);
        return version == null ? null : new Found(version, get(key, version).orElse(null));
    }

    /** Stores an entry for {@code keep}; false when the store is unreachable. */
    boolean put(CacheKey key, String version, Stored entry, String json, Duration keep);

    /** Makes every entry of the server (tool null) or tool unreachable; false when unreachable. */
    boolean invalidate(String server, String tool);

    /** Entries held, or -1 when the store cannot say. */
    long entries();

    /** Drops every entry; false when the store is unreachable. */
    boolean clear();
}
