package dev.sluice.cache;

import java.util.List;

/**
 * What the cache did since this node started, and what it holds.
 *
 * @param backend the store answering now and its health
 * @param entries entries held (in Redis: across every node), or -1 when the store cannot say
 * @param hits lookups answered fresh from the cache
 * @param misses lookups that went to the upstream
 * @param staleServed expired entries served because the upstream was down
 * @param stores results stored
 * @param tooLarge results not stored because they exceed the entry size limit
 * @param invalidations invalidations (write calls and administrators)
 * @param tools the same counters per server and tool, busiest first
 */
public record CacheStats(BackendHealth backend, long entries, long hits, long misses, long staleServed, long stores,
        long tooLarge, long invalidations, List<ToolStats> tools) {

    /** Hits over lookups, 0 when there were none. */
    public double hitRatio() {
        return ratio(hits, misses);
    }

    static double ratio(long hits, long misses) {
        long lookups = hits + misses;
        return lookups == 0 ? 0.0 : (double) hits / lookups;
    }

    /** The counters of one tool. */
    public record ToolStats(String server, String tool, long hits, long misses, long staleServed, long stores,
            long tooLarge) {
        public double hitRatio() {
            return ratio(hits, misses);
        }
    }
}
