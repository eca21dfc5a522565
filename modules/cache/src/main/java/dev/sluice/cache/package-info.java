/**
 * The cache and rate-limit API: the {@link dev.sluice.cache.ResultCache} of tool results, keyed by
 * {@link dev.sluice.cache.CacheKey}, and the sliding-window {@link dev.sluice.cache.RateLimiter}
 * with the {@link dev.sluice.cache.RateLimitPolicy} that turns configuration into budgets. Both are
 * shared across Sluice nodes through Redis when {@code sluice.cache.redis.host} is set and work
 * in-process otherwise; {@link dev.sluice.cache.BackendHealth} says which one is answering.
 */
package dev.sluice.cache;
