package dev.sluice.core;

import java.time.Duration;
import java.util.Locale;

/**
 * What kind of result a cacheable tool returns, which decides how long it stays fresh. The defaults
 * are the integration plan's; each can be overridden with {@code sluice.cache.ttl.<id>}.
 */
public enum CacheCategory {
    /** Table, column and object listings: they change rarely. */
    SCHEMA(Duration.ofHours(1)),
    /** Data profiles and distributions. */
    PROFILING(Duration.ofMinutes(30)),
    /** Quick analytical queries over live data. */
    ANALYTICS(Duration.ofMinutes(5)),
    /** dbt lineage and documentation. */
    LINEAGE(Duration.ofMinutes(30)),
    /** Health and status checks. */
    HEALTH(Duration.ofMinutes(1)),
    /** Anything a catalog entry does not categorise. */
    DEFAULT(Duration.ofMinutes(5));

    private final Duration defaultTtl;

    CacheCategory(Duration defaultTtl) {
        this.defaultTtl = defaultTtl;
    }

    public Duration defaultTtl() {
        return defaultTtl;
    }

    /** The name used in catalog entries and configuration keys, e.g. {@code schema}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The category named {@code schema}, {@code profiling} … ignoring case. */
    public static CacheCategory parse(String id) {
        for (CacheCategory c : values()) {
            if (c.id().equalsIgnoreCase(id == null ? "" : id.strip())) {
                return c;
            }
        }
        throw new IllegalArgumentException("'" + id + "' is not a cache category (schema, profiling, analytics,"
                + " lineage, health, default)");
    }
}
