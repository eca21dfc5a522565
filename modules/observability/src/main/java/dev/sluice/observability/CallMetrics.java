package dev.sluice.observability;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The plan's call metrics (MicroProfile Metrics, Prometheus at {@code /metrics}): calls by server,
 * tool and status, their duration as a histogram, calls in flight per server, errors by server and
 * type (as a count and as a rate over the last minute), result-cache hits, misses and stale answers,
 * rate-limit refusals, and authentication failures; the dashboard's {@link CallStats} too. Labels are
 * catalog names and fixed vocabularies, never a user id; tool names a client made up are bounded by
 * {@link #MAX_TOOL_LABELS}.
 */
@ApplicationScoped
public class CallMetrics {
    /** Distinct server/tool label pairs kept; beyond them a tool is counted as {@code (other)}. */
    static final int MAX_TOOL_LABELS = 5000;

    static final Metadata REQUESTS = Metadata.builder().withName("mcp_requests")
            .withDescription("Calls through the pipeline, by server, tool (or method) and outcome").build();
    static final Metadata DURATION = Metadata.builder().withName("mcp_request_duration")
            .withDescription("How long calls through the pipeline took, by server and tool (or method)").build();
    static final Metadata ACTIVE = Metadata.builder().withName("mcp_active_connections")
            .withDescription("Calls in flight, by server").build();
    static final Metadata ERRORS = Metadata.builder().withName("mcp_errors")
            .withDescription("Calls that failed, by server and error type").build();
    static final Metadata ERROR_RATE = Metadata.builder().withName("mcp_error_rate")
            .withDescription("Failed calls per second over the last minute, by server and error type").build();
    static final Metadata AUTH_FAILURES = Metadata.builder().withName("mcp_authentication_failures")
            .withDescription("Requests refused because their credentials were missing or not valid").build();
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

    private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
    /** The metrics of each server and tool label, looked up in the registry once (tags checked once), not per call. */
    private final Map<String, Map<String, Handles>> handles = new ConcurrentHashMap<>();
    private final Map<String, PerSecond> errorRates = new ConcurrentHashMap<>();
    private final Set<String> toolLabels = ConcurrentHashMap.newKeySet();

    public CallMetrics() {
    }

    /** Metrics kept in {@code registry} (a test's own, say). */
    public CallMetrics(MetricRegistry registry, CallStats stats) {
        this.registry = registry;
        this.stats = stats;
    }

    /** A call to {@code server} begins. */
    public void started(String server) {
        active.computeIfAbsent(server, s -> {
            AtomicInteger count = new AtomicInteger();
            registry.gauge(ACTIVE, count::get, new Tag("server", s));
            return count;
        }).incrementAndGet();
    }

    /**
     * A call ended.
     *
     * @param tool the tool or prompt name, or the method for calls counted by method
     * @param status its outcome: ok, tool-error, denied, invalid, rate-limited, unauthenticated, error
     * @param errorType the error's type (its slug), or null
     */
    public void finished(String server, String tool, String status, String errorType, long nanos) {
        AtomicInteger count = active.get(server);
        if (count != null) {
            count.decrementAndGet();
        }
        Handles h = handles(server, tool);
        h.requests(status).inc();
        h.duration.update(Duration.ofNanos(nanos));
        stats.finished(nanos, errorType != null);
        if (errorType != null) {
            registry.counter(ERRORS, new Tag("server", server), new Tag("error_type", errorType)).inc();
            errorRates.computeIfAbsent(server + "\n" + errorType, k -> {
                PerSecond rate = new PerSecond();
                registry.gauge(ERROR_RATE, rate::perSecond, new Tag("server", server), new Tag("error_type", errorType));
                return rate;
            }).add();
        }
    }

    /** A cacheable tool call was looked up: found fresh, or not ({@code stale} when an old result answered). */
    public void cacheLookup(String server, String tool, boolean hit, boolean stale) {
        Handles h = handles(server, tool);
        (hit ? h.hits() : h.misses()).inc();
        if (stale) {
            h.stale().inc();
        }
        stats.cacheLookup(hit);
    }

    /** A call refused because a budget of this scope ({@code user}, {@code organisation}, {@code tool}) was spent. */
    public void rateLimited(String scope, String server) {
        registry.counter(RATE_LIMITED, new Tag("scope", scope), new Tag("server", server)).inc();
    }

    /** @param reason {@code missing} (no credentials) or {@code invalid} (credentials that did not verify) */
    public void authenticationFailed(String reason) {
        registry.counter(AUTH_FAILURES, new Tag("reason", reason)).inc();
    }

    private Handles handles(String server, String tool) {
        Map<String, Handles> ofServer = handles.computeIfAbsent(server, s -> new ConcurrentHashMap<>());
        Handles h = ofServer.get(tool);
        if (h != null) {
            return h;
        }
        String label = toolLabel(server, tool);
        return ofServer.computeIfAbsent(label, l -> new Handles(server, l));
    }

    /** One server and tool label's counters and timer, registered on first use. */
    private final class Handles {
        private final Tag server;
        private final Tag tool;
        private final Timer duration;
        private final Map<String, Counter> byStatus = new ConcurrentHashMap<>(8);
        private volatile Counter hits;
        private volatile Counter misses;
        private volatile Counter stale;

        Handles(String server, String tool) {
            this.server = new Tag("server", server);
            this.tool = new Tag("tool", tool);
            this.duration = registry.timer(DURATION, this.server, this.tool);
        }

        Counter requests(String status) {
            Counter c = byStatus.get(status);
            return c != null ? c : byStatus.computeIfAbsent(status,
                    st -> registry.counter(REQUESTS, server, tool, new Tag("status", st)));
        }

        Counter hits() {
            Counter c = hits;
            return c != null ? c : (hits = registry.counter(CACHE_HITS, server, tool));
        }

        Counter misses() {
            Counter c = misses;
            return c != null ? c : (misses = registry.counter(CACHE_MISSES, server, tool));
        }

        Counter stale() {
            Counter c = stale;
            return c != null ? c : (stale = registry.counter(CACHE_STALE, server, tool));
        }
    }

    private String toolLabel(String server, String tool) {
        String key = server + "\n" + tool;
        if (toolLabels.contains(key)) {
            return tool;
        }
        if (toolLabels.size() >= MAX_TOOL_LABELS) {
            return "(other)";
        }
        toolLabels.add(key);
        return tool;
    }

    /** Events per second over the last 60 seconds, in one-second slots. */
    static final class PerSecond {
        private static final int SLOTS = 60;
        private final AtomicLongArray counts = new AtomicLongArray(SLOTS);
        private final AtomicLongArray seconds = new AtomicLongArray(SLOTS);

        void add() {
            long now = System.currentTimeMillis() / 1000;
            int slot = (int) (now % SLOTS);
            long was = seconds.get(slot);
            if (was != now && seconds.compareAndSet(slot, was, now)) {
                counts.set(slot, 0);
            }
            counts.incrementAndGet(slot);
        }

        double perSecond() {
            long now = System.currentTimeMillis() / 1000;
            long sum = 0;
            for (int i = 0; i < SLOTS; i++) {
                if (now - seconds.get(i) < SLOTS) {
                    sum += counts.get(i);
                }
            }
            return sum / (double) SLOTS;
        }
    }
}
