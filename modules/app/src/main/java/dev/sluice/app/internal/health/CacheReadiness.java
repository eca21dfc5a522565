package dev.sluice.app.internal.health;

import dev.sluice.cache.BackendHealth;
import dev.sluice.cache.ResultCache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The cache and rate-limit store. Always up: an unreachable Redis degrades Sluice (each node caches
 * and counts on its own) but does not make it unready, so the check says {@code state: degraded}
 * with what failed, and a load balancer keeps sending traffic.
 */
@Readiness
@ApplicationScoped
public class CacheReadiness implements HealthCheck {

    @Inject
    ResultCache cache;

    @Override
    public HealthCheckResponse call() {
        BackendHealth health = cache.health();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("cache").up()
                .withData("configured", health.configured())
                .withData("active", health.active())
                .withData("state", health.degraded() ? "degraded" : "ok");
        if (health.detail() != null) {
            response.withData("detail", health.detail());
        }
        if (health.since() != null && health.degraded()) {
            response.withData("since", health.since().toString());
        }
        return response.build();
    }
}
