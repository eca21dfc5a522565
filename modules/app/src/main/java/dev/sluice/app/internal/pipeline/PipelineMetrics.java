package dev.sluice.app.internal.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The counters the cache and rate-limit steps keep (MicroProfile Metrics, Prometheus at
 * {@code /metrics}). Labels are the catalog's server and tool names and the budget's scope: bounded,
 * never a user id.
 */
@ApplicationScoped
public class PipelineMetrics {
    static final Metadata CACHE_HITS = Metadata.builder().withName("mcp_cache_hits")
            .withDescription("Tool calls answered from the result cache").build();
    static final Metadata CACHE_MISSES = Metadata.builder().withName("mcp_cache_misses")
            .withDescription("Cacheable tool calls that went to the upstream").build();
    static final Metadata CACHE_STALE = Metadata.builder().withName("mcp_cache_stale_served")
            .withDescription("Expired cache entries served because the upstream was down").build();
    static final Metadata RATE_LIMITED = Metadata.builder().withName("mcp_rate_limit_exceeded")
            .withDescription("Calls refused because a rate limit was spent").build();

    @Inject
    MetricRegistry registry;

    @Inject
    CallStats stats;

    void cacheHit(String server, String tool) {
        registry.counter(CACHE_HITS, new Tag("server", server), new Tag("tool", tool)).inc();
        stats.cacheLookup(true);
    }

    void cacheMiss(String server, String tool) {
        registry.counter(CACHE_MISSES, new Tag("server", server), new Tag("tool", tool)).inc();
        stats.cacheLookup(false);
    }

    void staleServed(String server, String tool) {
        registry.counter(CACHE_STALE, new Tag("server", server), new Tag("tool", tool)).inc();
    }

    void rateLimited(String scope, String server) {
        registry.counter(RATE_LIMITED, new Tag("scope", scope), new Tag("server", server)).inc();
    }
}
