package dev.sluice.registry.internal;

import dev.sluice.registry.Catalog;
import dev.sluice.registry.ServerDefinition;
import dev.sluice.registry.UpstreamStatus.State;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Idle stop: a connection whose server has an {@code idle-timeout} and that sat idle (no request in
 * flight) past it is closed and its server is idle again; the next call starts it anew.
 */
final class IdleStopper {
    private static final Logger LOG = Logger.getLogger(IdleStopper.class.getName());

    private final UpstreamConnections connections;
    private final Catalog catalog;

    IdleStopper(UpstreamConnections connections, Catalog catalog) {
        this.connections = connections;
        this.catalog = catalog;
    }

    /** Stops every connection idle past its server's timeout. */
    void stopIdle() {
        for (UpstreamSlot slot : connections.slots()) {
            UpstreamClient client = slot.client;
            Optional<ServerDefinition> def = catalog.current().server(slot.name);
            if (client == null || def.isEmpty() || def.get().idleTimeout() == null) {
                continue;
            }
            if (client.idleNanos() > def.get().idleTimeout().toNanos()) {
                LOG.info(() -> "stopping idle upstream " + slot.name);
                slot.client = null;
                slot.enter(State.IDLE);
                client.close();
            }
        }
    }
}
