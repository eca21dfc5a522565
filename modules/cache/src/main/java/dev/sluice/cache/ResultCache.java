package dev.sluice.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.CacheCategory;
import java.time.Duration;

/**
 * The result cache of tool calls, shared across nodes through Redis when configured, in-process
 * otherwise. It never fails a call: when its store is unreachable it answers as an empty cache (or
 * from the in-process fallback) and says so in {@link #health()}.
 */
public interface ResultCache {

    /**
     * Finds the entry for a key if it is fresh, or expired by no more than {@code staleWindow} (the
     * caller decides whether a stale entry may answer). Counts a hit when fresh, a miss otherwise.
     */
    Lookup lookup(CacheKey key, Duration staleWindow);

    /**
     * Stores a result fetched after {@code lookup} missed, for {@code ttl}, kept {@code staleWindow}
     * longer for stale-if-error answers.
     *
     * @return false when the result was not stored (larger than the entry size limit)
     */
    boolean put(Lookup lookup, ObjectNode result, Duration ttl, Duration staleWindow);

    /** Counts an expired entry that answered because the upstream was down. */
    void staleServed(CacheKey key);

    /**
     * Drops every entry of a server, or of one of its tools; on every node.
     *
     * @param tool the upstream's tool name, or null for the whole server
     */
    void invalidate(String server, String tool);

    /** Drops everything. */
    void clear();

    CacheStats stats();

    BackendHealth health();

    /** The time-to-live of a category, from configuration or the plan's default. */
    Duration ttl(CacheCategory category);

    /** The largest result, in bytes of JSON, that is stored. */
    int maxEntryBytes();
}
