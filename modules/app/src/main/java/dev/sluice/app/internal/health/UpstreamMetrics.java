package dev.sluice.app.internal.health;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.registry.Catalog;
import dev.sluice.registry.CatalogChanged;
import dev.sluice.registry.UpstreamListener;
import dev.sluice.registry.UpstreamStatus;
import dev.sluice.registry.Upstreams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The metrics of the upstream servers on this node (MicroProfile Metrics, Prometheus at
 * {@code /metrics}): one {@code mcp_upstream_up} gauge and one {@code mcp_upstream_circuit_state}
 * gauge per catalog server, read from its connection, and {@code mcp_upstream_retries}. The call
 * metrics are observability's ({@link dev.sluice.observability.CallMetrics}); these need the registry.
 */
@ApplicationScoped
public class UpstreamMetrics {
    static final Metadata UPSTREAM_UP = Metadata.builder().withName("mcp_upstream_up")
            .withDescription("0 while an upstream server is down (failed, restarting with back-off), else 1").build();
    static final Metadata CIRCUIT = Metadata.builder().withName("mcp_upstream_circuit_state")
            .withDescription("An upstream server's circuit breaker on this node: 0 closed, 1 open, 2 half-open").build();
    static final Metadata RETRIES = Metadata.builder().withName("mcp_upstream_retries")
            .withDescription("Idempotent calls tried again because their upstream could not be reached").build();

    @Inject
    MetricRegistry registry;

    @Inject
    Upstreams upstreams;

    @Inject
    Catalog catalog;

    private final Set<String> watched = ConcurrentHashMap.newKeySet();

    void start(@Observes Startup startup) {
        watchUpstreams();
        upstreams.addListener(new UpstreamListener() {
            @Override
            public void listChanged(String server, String kind) {
            }

            @Override
            public void resourceUpdated(String server, ObjectNode params) {
            }

            @Override
            public void retried(String server, String reason) {
                registry.counter(RETRIES, new Tag("server", server), new Tag("reason", reason)).inc();
            }
        });
    }

    void catalogChanged(@Observes CatalogChanged change) {
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
            return upstreams.status(server).state() == UpstreamStatus.State.DOWN;
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
}
