package dev.sluice.app.internal.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The plan's request metrics (MicroProfile Metrics, Prometheus at {@code /metrics}): calls by
 * server, tool and status, their duration as a histogram, calls in flight per server, errors by
 * server and type (as a count and as a rate over the last minute), and authentication failures.
 * Labels are catalog names and fixed vocabularies, never a user id; tool names a client made up are
 * bounded by {@link #MAX_TOOL_LABELS}.
 */
@ApplicationScoped
public class RequestMetrics {
    /** Distinct server/tool label pairs kept; beyond them a tool is counted as {@code (other)}. */
    static final int MAX_TOOL_LABELS = 5000;

    static final Metadata REQUESTS = Metadata.builder().withName("mcp_requests")
            .withDescription("Tool calls, resource reads and prompt gets, by outcome").build();
    static final Metadata DURATION = Metadata.builder().withName("mcp_request_duration")
            .withDescription("How long calls took, from Sluice receiving them to their answer").build();
    static final Metadata ACTIVE = Metadata.builder().withName("mcp_active_connections")
            .withDescription("Calls in progress to each upstream server").build();
    static final Metadata ERRORS = Metadata.builder().withName("mcp_errors")
            .withDescription("Calls that failed, by server and error type").build();
    static final Metadata ERROR_RATE = Metadata.builder().withName("mcp_error_rate")
            .withDescription("Failed calls per second over the last minute, by server and error type").build();
    static final Metadata UPSTREAM_UP = Metadata.builder().withName("mcp_upstream_up")
            .withDescription("0 while an upstream server is down (failed, restarting with back-off), else 1").build();
    static final Metadata CIRCUIT = Metadata.builder().withName("mcp_upstream_circuit_state")
            .withDescription("An upstream server's circuit breaker on this node: 0 closed, 1 open, 2 half-open").build();
    static final Metadata RETRIES = Metadata.builder().withName("mcp_upstream_retries")
            .withDescription("Idempotent calls tried again because their upstream could not be reached").build();
    static final Metadata AUTH_FAILURES = Metadata.builder().withName("mcp_authentication_failures")
            .withDescription("Requests refused because their credentials were missing or not valid").build();

    @Inject
    MetricRegistry registry;

    @Inject
    dev.sluice.registry.Upstreams upstreams;

    @Inject
    CallStats stats;

    @Inject
    dev.sluice.registry.Catalog catalog;

    private final Set<String> watched = ConcurrentHashMap.newKeySet();

    private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
    private final Map<String, PerSecond> errorRates = new ConcurrentHashMap<>();
    private final Set<String> toolLabels = ConcurrentHashMap.newKeySet();

    void start(@jakarta.enterprise.event.Observes jakarta.enterprise.event.Startup startup) {
        watchUpstreams();
        upstreams.addListener(new dev.sluice.registry.UpstreamListener() {
            @Override
            public void listChanged(String server, String kind) {
            }

            @Override
            public void resourceUpdated(String server, com.fasterxml.jackson.databind.node.ObjectNode params) {
            }

            @Override
            public void retried(String server, String reason) {
                registry.counter(RETRIES, new Tag("server", server), new Tag("reason", reason)).inc();
            }
        });
    }

    void catalogChanged(@jakarta.enterprise.event.Observes dev.sluice.registry.CatalogChanged change) {
        watchUpstreams();
    }

    /** One {@code mcp_upstream_up} gauge per catalog server, read from its connection's state. */
    private void watchUpstreams() {
        for (var server : catalog.current().servers()) {
            String name = server.name();
            if (watched.add(name)) {
                registry.gauge(UPSTREAM_UP, () -> isDown(name) ? 0 : 1, new Tag("server", name));
                registry.gauge(CIRCUIT, () -> circuit(name), new Tag("server", name));
            }
        }
    }

    private boolean isDown(String server) {
        try {
            return upstreams.status(server).state() == dev.sluice.registry.UpstreamStatus.State.DOWN;
        } catch (RuntimeException e) {
            return false; // no longer in the catalog
        }
    }

    private int circuit(String server) {
        try {
            return switch (upstreams.status(server).circuit()) {
                case "open" -> 1;
                case "half-open" -> 2;
                default -> 0;
            };
        } catch (RuntimeException e) {
            return 0; // no longer in the catalog
        }
    }

    /** A call to {@code server} begins. */
    void started(String server) {
        active.computeIfAbsent(server, s -> {
            AtomicInteger count = new AtomicInteger();
            registry.gauge(ACTIVE, count::get, new Tag("server", s));
            return count;
        }).incrementAndGet();
    }

    /**
     * A call ended.
     *
     * @param status its outcome: ok, tool-error, denied, invalid, rate-limited, unauthenticated, error
     * @param errorType the error's type (its slug), or null
     */
    void finished(String server, String tool, String status, String errorType, long nanos) {
        AtomicInteger count = active.get(server);
        if (count != null) {
            count.decrementAndGet();
        }
        String toolLabel = toolLabel(server, tool);
        registry.counter(REQUESTS, new Tag("server", server), new Tag("tool", toolLabel), new Tag("status", status))
                .inc();
        registry.timer(DURATION, new Tag("server", server), new Tag("tool", toolLabel)).update(Duration.ofNanos(nanos));
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

    /** @param reason {@code missing} (no credentials) or {@code invalid} (credentials that did not verify) */
    public void authenticationFailed(String reason) {
        registry.counter(AUTH_FAILURES, new Tag("reason", reason)).inc();
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
