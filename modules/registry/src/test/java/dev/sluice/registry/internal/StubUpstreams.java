package dev.sluice.registry.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ClientChannel;
import dev.sluice.registry.HealthCheck;
import dev.sluice.registry.UpstreamListener;
import dev.sluice.registry.UpstreamStatus;
import dev.sluice.registry.Upstreams;
import java.util.List;
import java.util.Optional;

/**
 * Upstreams a test defines by what it overrides: a request is refused, nothing is connected, no
 * status or health is known, notifications and listeners go nowhere. {@link #call} sends the request.
 */
abstract class StubUpstreams implements Upstreams {

    @Override
    public ObjectNode request(String server, String method, ObjectNode params, ClientChannel channel) {
        throw new AssertionError("the test did not expect a request " + method + " to " + server);
    }

    @Override
    public ObjectNode call(String server, String method, ObjectNode params, ClientChannel channel, boolean idempotent) {
        return request(server, method, params, channel);
    }

    @Override
    public void notify(String server, String method, ObjectNode params) {
    }

    @Override
    public Optional<ObjectNode> initializeResult(String server) {
        return Optional.empty();
    }

    @Override
    public UpstreamStatus status(String server) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<UpstreamStatus> statuses() {
        return List.of();
    }

    @Override
    public List<HealthCheck> healthChecks(String server) {
        return List.of();
    }

    @Override
    public void addListener(UpstreamListener listener) {
    }
}
