package dev.sluice.registry.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.Catalog;
import dev.sluice.registry.ServerDefinition;
import dev.sluice.registry.Transport;
import dev.sluice.registry.UpstreamStatus;
import dev.sluice.registry.UpstreamStatus.State;
import java.util.List;
import java.util.Optional;

/**
 * Status reporting: each server of the catalog as this node sees it, from its entry, its connection
 * (state, last error, restarts, the upstream's name, version and protocol) and its guard (circuit, retries).
 */
final class UpstreamStatuses {
    private final Catalog catalog;
    private final UpstreamConnections connections;
    private final UpstreamGuards guards;

    UpstreamStatuses(Catalog catalog, UpstreamConnections connections, UpstreamGuards guards) {
        this.catalog = catalog;
        this.connections = connections;
        this.guards = guards;
    }

    /** @throws SluiceException {@code unknown-server} when the catalog has no such server */
    UpstreamStatus status(String server) {
        ServerDefinition def = catalog.current().server(server).orElseThrow(() -> new SluiceException(
                ErrorKind.UNKNOWN_SERVER, "no upstream server named '" + server + "' in the catalog"));
        UpstreamSlot slot = connections.slot(server);
        Optional<UpstreamGuard> guard = guards.existing(server);
        String circuit = guard.map(UpstreamGuard::circuit).orElse("closed");
        long retries = guard.map(UpstreamGuard::retries).orElse(0L);
        if (!def.enabled()) {
            return new UpstreamStatus(server, State.DISABLED, describe(def), slot == null ? null : slot.since,
                    null, slot == null ? 0 : slot.restarts, null, null, null, def.install(), circuit, retries, 0);
        }
        if (slot == null) {
            return new UpstreamStatus(server, State.IDLE, describe(def), null, null, 0, null, null, null, def.install(),
                    circuit, retries, 0);
        }
        UpstreamClient client = slot.client;
        ObjectNode init = client == null ? null : client.initializeResult();
        return new UpstreamStatus(server, slot.state, describe(def), slot.since, slot.lastError, slot.restarts,
                init == null ? null : init.path("serverInfo").path("name").asText(null),
                init == null ? null : init.path("serverInfo").path("version").asText(null),
                client == null ? null : client.protocolVersion(), def.install(), circuit, retries, slot.startMillis);
    }

    /** Every server of the catalog, in its order. */
    List<UpstreamStatus> statuses() {
        return catalog.current().servers().stream().map(s -> status(s.name())).toList();
    }

    /** What a server connects to, as status pages show it. */
    static String describe(ServerDefinition def) {
        Transport t = def.transport();
        if (t instanceof Transport.Stdio s) {
            return "stdio: " + s.command();
        }
        if (t instanceof Transport.StreamableHttp h) {
            return "streamable-http: " + h.url();
        }
        return "sse: " + ((Transport.Sse) t).url();
    }
}
