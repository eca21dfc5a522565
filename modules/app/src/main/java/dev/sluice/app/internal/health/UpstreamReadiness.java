package dev.sluice.app.internal.health;

import dev.sluice.registry.Catalog;
import dev.sluice.registry.ServerDefinition;
import dev.sluice.registry.UpstreamStatus;
import dev.sluice.registry.Upstreams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The upstream servers, as the health monitor sees them on this node: an optional server that is
 * down degrades Sluice ({@code state: degraded}, still UP, its tools missing from the lists); a server
 * the catalog marks {@code required: true} that is down makes the node unready, so that a load
 * balancer sends its traffic elsewhere.
 */
@Readiness
@ApplicationScoped
public class UpstreamReadiness implements HealthCheck {

    @Inject
    Upstreams upstreams;

    @Inject
    Catalog catalog;

    @Override
    public HealthCheckResponse call() {
        List<String> down = new ArrayList<>();
        List<String> requiredDown = new ArrayList<>();
        int up = 0;
        for (ServerDefinition def : catalog.current().servers()) {
            if (!def.enabled()) {
                continue;
            }
            UpstreamStatus status = upstreams.status(def.name());
            if (status.state() == UpstreamStatus.State.DOWN) {
                down.add(def.name());
                if (def.required()) {
                    requiredDown.add(def.name());
                }
            } else if (status.state() == UpstreamStatus.State.UP) {
                up++;
            }
        }
        HealthCheckResponseBuilder response = HealthCheckResponse.named("upstreams").status(requiredDown.isEmpty())
                .withData("up", up)
                .withData("state", !requiredDown.isEmpty() ? "down" : down.isEmpty() ? "ok" : "degraded");
        if (!down.isEmpty()) {
            response.withData("down", String.join(", ", down));
        }
        if (!requiredDown.isEmpty()) {
            response.withData("requiredDown", String.join(", ", requiredDown));
        }
        return response.build();
    }
}
