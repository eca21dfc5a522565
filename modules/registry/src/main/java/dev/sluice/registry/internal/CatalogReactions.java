package dev.sluice.registry.internal;

import dev.sluice.registry.CatalogChanged;
import dev.sluice.registry.ServerDefinition;
import dev.sluice.registry.UpstreamStatus.State;
import java.util.Optional;

/**
 * What a catalog change does to this node's upstreams: a server that left the catalog, was disabled
 * or whose entry changed is disconnected and its failed attempts are forgotten (it is idle, or
 * disabled), and its guard is built anew from the new entry on the next call.
 */
final class CatalogReactions {
    private final UpstreamConnections connections;
    private final UpstreamGuards guards;

    CatalogReactions(UpstreamConnections connections, UpstreamGuards guards) {
        this.connections = connections;
        this.guards = guards;
    }

    void changed(CatalogChanged change) {
        guards.catalogChanged(change);
        for (UpstreamSlot slot : connections.slots()) {
            Optional<ServerDefinition> now = change.after().server(slot.name);
            ServerDefinition old = change.before().server(slot.name).orElse(null);
            if (now.isEmpty() || !now.get().enabled() || !now.get().equals(old)) {
                UpstreamClient client = slot.client;
                slot.client = null;
                slot.forgetFailures();
                slot.enter(now.isPresent() && now.get().enabled() ? State.IDLE : State.DISABLED);
                if (client != null) {
                    client.close();
                }
            }
        }
    }
}
