package dev.sluice.cache.internal;

import dev.sluice.cache.BackendHealth;
import dev.sluice.cache.RateLimit;
import dev.sluice.cache.RateLimitDecision;
import dev.sluice.cache.RateLimiter;
import java.time.Clock;
import java.util.List;

/**
 * The rate limiter: Redis when configured and answering (one budget for all nodes), this node's
 * memory otherwise (while Redis is down, each node counts on its own).
 */
public final class WindowLimiter implements RateLimiter {
    private final RedisConnection redis;
    private final RedisWindows shared;
    private final LocalWindows local;

    /** @param redis the shared Redis, or null to count in-process only */
    public WindowLimiter(RedisConnection redis, Clock clock) {
        this.redis = redis;
        this.shared = redis == null ? null : new RedisWindows(redis);
        this.local = new LocalWindows(clock);
    }

    @Override
    public RateLimitDecision acquire(List<RateLimit> limits) {
        return decide(limits, true);
    }

    @Override
    public List<RateLimitDecision.Usage> peek(List<RateLimit> limits) {
        return decide(limits, false).usages();
    }

    private RateLimitDecision decide(List<RateLimit> limits, boolean spend) {
        if (limits.isEmpty()) {
            return RateLimitDecision.unlimited();
        }
        if (shared != null) {
            var decision = shared.acquire(limits, spend);
            if (decision.isPresent()) {
                return decision.get();
            }
        }
        return local.acquire(limits, spend);
    }

    @Override
    public BackendHealth health() {
        return redis == null ? new BackendHealth("in-process", "in-process", false, null, null) : redis.health();
    }
}
