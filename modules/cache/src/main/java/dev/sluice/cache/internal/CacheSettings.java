package dev.sluice.cache.internal;

import dev.sluice.core.CacheCategory;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The cache's configuration ({@code sluice.cache.*}).
 *
 * @param ttls time-to-live per category; a category missing here has the plan's default
 * @param maxEntryBytes results larger than this (as JSON) are not cached
 * @param localMaxBytes the in-process cache's bound on the results it holds
 */
public record CacheSettings(Map<CacheCategory, Duration> ttls, int maxEntryBytes, long localMaxBytes) {
    public CacheSettings {
        EnumMap<CacheCategory, Duration> all = new EnumMap<>(CacheCategory.class);
        for (CacheCategory c : CacheCategory.values()) {
            all.put(c, ttls.getOrDefault(c, c.defaultTtl()));
        }
        ttls = Map.copyOf(all);
    }

    public Duration ttl(CacheCategory category) {
        return ttls.get(category);
    }
}
