/**
 * The cache and limiter back ends (in-process with Caffeine, shared on Redis through JNoSQL and
 * Jedis, and the fall-back between them), the shared marks, messages and logs, and the pipeline's
 * rate-limit and result-cache steps. Not exported.
 */
package dev.sluice.cache.internal;
