package dev.sluice.registry.internal;

import dev.sluice.core.ClientChannel;
import dev.sluice.core.Json;
import dev.sluice.core.SecretValues;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.Catalog;
import dev.sluice.registry.HealthCheck;
import dev.sluice.registry.ServerDefinition;
import dev.sluice.registry.UpstreamStatus.State;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * The health monitor: every server this node has started is checked, one check at a time per server.
 * A connected server is pinged ({@code server/discover} for protocol 2026-07-28); after
 * {@code failureThreshold} failed checks in a row its connection is closed and it is marked down,
 * which takes it out of the federated lists (they cannot list it) until it answers again. A server
 * that is down is tried again at every check, outside the calls' back-off (see
 * {@link UpstreamConnections#probe}). Servers never started (lazy) are left alone. The last
 * {@link #HISTORY} checks of each server are kept.
 */
final class HealthChecks {
    private static final Logger LOG = Logger.getLogger(HealthChecks.class.getName());
    /** Health checks kept per server. */
    static final int HISTORY = 100;

    /** One server's checks: the latest, newest first, and whether one is under way. */
    private static final class History {
        final Deque<HealthCheck> checks = new ConcurrentLinkedDeque<>();
        volatile int failedInARow;
        volatile boolean checking;
    }

    private final Map<String, History> histories = new ConcurrentHashMap<>();
    private final UpstreamConnections connections;
    private final Catalog catalog;
    private final Executor checkers;
    private final UpstreamListeners listeners;
    private final Duration timeout;
    private final int failureThreshold;

    /**
     * @param checkers where the checks run, each server's apart
     * @param timeout how long a ping may take
     * @param failureThreshold failed checks in a row that mark a connected server down (at least 1)
     */
    HealthChecks(UpstreamConnections connections, Catalog catalog, Executor checkers, UpstreamListeners listeners,
            Duration timeout, int failureThreshold) {
        this.connections = connections;
        this.catalog = catalog;
        this.checkers = checkers;
        this.listeners = listeners;
        this.timeout = timeout;
        this.failureThreshold = Math.max(1, failureThreshold);
    }

    /** Starts a check of every started, enabled server that has none under way. */
    void checkAll() {
        for (UpstreamSlot slot : connections.slots()) {
            Optional<ServerDefinition> def = catalog.current().server(slot.name);
            History history = histories.computeIfAbsent(slot.name, n -> new History());
            if (def.isEmpty() || !def.get().enabled() || history.checking) {
                continue;
            }
            UpstreamClient client = slot.client;
            boolean up = client != null && !client.isClosed() && slot.state == State.UP;
            boolean retry = slot.state == State.DOWN;
            if (up || retry) {
                history.checking = true;
                checkers.execute(() -> {
                    try {
                        check(slot, history, def.get(), up ? client : null);
                    } finally {
                        history.checking = false;
                    }
                });
            }
        }
    }

    private void check(UpstreamSlot slot, History history, ServerDefinition def, UpstreamClient client) {
        long t0 = System.nanoTime();
        String error = null;
        try {
            if (client == null) {
                connections.probe(def); // down: try to connect again, outside the calls' back-off
            } else {
                client.request(client.isStateless() ? "server/discover" : "ping", Json.object(), ClientChannel.NONE,
                        timeout);
            }
        } catch (SluiceException e) {
            error = e.detail();
        } catch (RuntimeException e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        HealthCheck check = new HealthCheck(Instant.now(), error == null, (System.nanoTime() - t0) / 1e6, error == null
                ? null : SecretValues.mask(error));
        history.checks.addFirst(check);
        while (history.checks.size() > HISTORY) {
            history.checks.pollLast();
        }
        if (check.ok()) {
            history.failedInARow = 0;
            if (client == null) {
                listeners.listsChanged(slot.name); // back: its tools, prompts and resources return to the lists
            }
            return;
        }
        history.failedInARow++;
        if (client != null && history.failedInARow >= failureThreshold && slot.client == client) {
            String why = history.failedInARow + " health checks failed in a row (last: " + check.error() + ")";
            LOG.warning(() -> "upstream " + slot.name + " marked down: " + why);
            slot.client = null;
            slot.failed(why);
            client.close();
            listeners.listsChanged(slot.name); // out of the lists until it answers again
        }
    }

    /** The server's latest checks on this node, newest first (none while it was never checked). */
    List<HealthCheck> history(String server) {
        History history = histories.get(server);
        return history == null ? List.of() : List.copyOf(history.checks);
    }
}
