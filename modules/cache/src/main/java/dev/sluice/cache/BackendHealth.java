package dev.sluice.cache;

import java.time.Instant;

/**
 * Which store answers for the cache and the rate limits, and whether it is the one configured.
 *
 * @param configured {@code redis} or {@code in-process}
 * @param active the store answering now: {@code in-process} while a configured Redis is unreachable
 * @param degraded whether the configured store is unreachable (Sluice keeps working, per node)
 * @param detail what failed, without credentials; null when all is well
 * @param since when the present state began
 */
public record BackendHealth(String configured, String active, boolean degraded, String detail, Instant since) {
}
