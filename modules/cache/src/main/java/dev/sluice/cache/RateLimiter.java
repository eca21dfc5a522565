package dev.sluice.cache;

import java.util.List;

/**
 * Sliding-window rate limits, counted atomically in Redis when configured (so every node enforces
 * one budget) and in-process otherwise. Like the cache it never fails a call for its own sake: when
 * Redis is unreachable each node counts on its own until Redis is back.
 */
public interface RateLimiter {

    /**
     * Spends one call from every budget, or from none when any is spent (then the decision names it
     * and says when to retry).
     */
    RateLimitDecision acquire(List<RateLimit> limits);

    /** How much of each budget is spent, spending nothing. */
    List<RateLimitDecision.Usage> peek(List<RateLimit> limits);

    BackendHealth health();
}
