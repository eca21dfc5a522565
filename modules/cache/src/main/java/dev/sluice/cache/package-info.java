/**
 * The cache and rate-limit API: {@link dev.sluice.cache.CacheCategory} with the integration plan's
 * time-to-live defaults today, the result cache and the limiter as the cache capability lands.
 */
package dev.sluice.cache;
