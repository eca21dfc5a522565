package dev.sluice.registry.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.SecretValues;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.Catalog;
import dev.sluice.registry.ServerDefinition;
import dev.sluice.registry.Transport;
import dev.sluice.registry.UpstreamStatus.State;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The live connection ({@link UpstreamClient}) to each upstream server on this node, one per server
 * in its {@link UpstreamSlot}: connected on first use, under the back-off of earlier failed attempts,
 * and restarted when it dies (at once after a long life, with back-off when it died right after
 * starting).
 */
final class UpstreamConnections {
    private static final Logger LOG = Logger.getLogger(UpstreamConnections.class.getName());
    /** The shortest time a connection is given to start (launch or connect, then initialize). */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    /** A connection that dies younger than this died right after starting: a crash loop, backed off. */
    static final Duration CRASH_LOOP = Duration.ofSeconds(10);

    private final Map<String, UpstreamSlot> slots = new ConcurrentHashMap<>();
    private final Catalog catalog;
    private final Function<ServerDefinition, MessageTransport> transports;
    private final Executor relays;
    private final ScheduledExecutorService timer;
    private final UpstreamListeners listeners;
    private volatile boolean stopped;

    /**
     * @param transports builds the transport to a server from its entry
     * @param relays where a connection answers what its upstream asks of the client (sampling, elicitation …)
     * @param timer where restarts wait for their turn
     */
    UpstreamConnections(Catalog catalog, Function<ServerDefinition, MessageTransport> transports, Executor relays,
            ScheduledExecutorService timer, UpstreamListeners listeners) {
        this.catalog = catalog;
        this.transports = transports;
        this.relays = relays;
        this.timer = timer;
        this.listeners = listeners;
    }

    /**
     * The server's entry, which calls may use.
     *
     * @throws SluiceException {@code unknown-server} when the catalog has none, {@code upstream-unavailable} when it is disabled
     */
    ServerDefinition definition(String server) {
        ServerDefinition def = catalog.current().server(server).orElseThrow(() -> new SluiceException(
                ErrorKind.UNKNOWN_SERVER, "no upstream server named '" + server + "' in the catalog"));
        if (!def.enabled()) {
            throw new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, "upstream '" + server + "' is disabled");
        }
        return def;
    }

    /** The connection to an enabled server of the catalog, connecting when there is none. */
    UpstreamClient client(String server) {
        return client(definition(server));
    }

    /** The connection to {@code def}'s server for a call: under the back-off, which a failed attempt doubles. */
    UpstreamClient client(ServerDefinition def) {
        return client(def, false);
    }

    /**
     * The connection to {@code def}'s server for the health monitor: outside the calls' back-off, which
     * it does not lengthen either, so that a server that comes back is found within one check interval
     * and calls are not refused for longer because the monitor kept trying.
     */
    UpstreamClient probe(ServerDefinition def) {
        return client(def, true);
    }

    private UpstreamClient client(ServerDefinition def, boolean probe) {
        String server = def.name();
        UpstreamSlot slot = slots.computeIfAbsent(server, UpstreamSlot::new);
        UpstreamClient current = slot.live();
        if (current != null) {
            return current;
        }
        synchronized (slot) {
            current = slot.live();
            if (current != null) {
                return current;
            }
            long wait = slot.waitNanos();
            if (wait > 0 && !probe) {
                throw new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, "upstream '" + server + "' is down ("
                        + slot.lastError + "); next attempt in " + Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait)) + " s");
            }
            slot.enter(State.STARTING);
            UpstreamClient client = null;
            long startedNanos = System.nanoTime();
            try {
                client = new UpstreamClient(server, era(def), transports.apply(def), relays, new Events(slot));
                client.connect(def.requestTimeout().compareTo(CONNECT_TIMEOUT) < 0 ? CONNECT_TIMEOUT : def.requestTimeout());
                slot.client = client;
                slot.lastError = null;
                slot.connectedAtNanos = System.nanoTime();
                slot.startMillis = TimeUnit.NANOSECONDS.toMillis(slot.connectedAtNanos - startedNanos);
                slot.enter(State.UP);
                UpstreamClient connected = client;
                LOG.info(() -> SecretValues.mask("upstream " + server + " connected (" + connected.describe() + ", protocol "
                        + connected.protocolVersion() + ")"));
                return client;
            } catch (IOException | SluiceException e) {
                if (client != null) {
                    client.close();
                }
                String why = e instanceof SluiceException se ? se.detail() : e.getMessage();
                if (probe) {
                    slot.lastError = why;
                    slot.enter(State.DOWN);
                } else {
                    slot.failed(why);
                }
                String hint = def.install() == null ? "" : "; install it with: " + def.install();
                throw new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, "upstream '" + server
                        + "' could not be started: " + why + hint, e);
            }
        }
    }

    /** Which era to try first: {@code auto} probes with {@code server/discover} over Streamable HTTP only. */
    static UpstreamClient.Era era(ServerDefinition def) {
        return switch (def.protocol()) {
            case SESSION -> UpstreamClient.Era.SESSION;
            case STATELESS -> UpstreamClient.Era.STATELESS;
            case AUTO -> def.transport() instanceof Transport.StreamableHttp ? UpstreamClient.Era.DISCOVER_THEN_SESSION
                    : UpstreamClient.Era.SESSION;
        };
    }

    /** Every server this node has tried to start. */
    Collection<UpstreamSlot> slots() {
        return slots.values();
    }

    /** The server's slot, or null while this node never tried to start it. */
    UpstreamSlot slot(String server) {
        return slots.get(server);
    }

    /** The server's open connection, or null: never connects. */
    UpstreamClient connected(String server) {
        UpstreamSlot slot = slots.get(server);
        return slot == null ? null : slot.live();
    }

    /** Closes every connection; nothing restarts afterwards. */
    void stop() {
        stopped = true;
        for (UpstreamSlot slot : slots.values()) {
            UpstreamClient client = slot.client;
            slot.client = null;
            if (client != null) {
                client.close();
            }
        }
    }

    /** Hears one connection's end and its notifications. */
    private final class Events implements UpstreamClient.Events {
        private final UpstreamSlot slot;

        Events(UpstreamSlot slot) {
            this.slot = slot;
        }

        @Override
        public void closed(UpstreamClient client, Throwable cause) {
            if (slot.client != client) {
                return;
            }
            slot.client = null;
            if (cause == null) {
                slot.enter(State.IDLE);
                return;
            }
            slot.restarts++;
            boolean crashLoop = System.nanoTime() - slot.connectedAtNanos < CRASH_LOOP.toNanos();
            if (crashLoop) {
                slot.failed("died right after starting: " + cause.getMessage());
            } else {
                slot.forgetFailures();
                slot.lastError = "died: " + cause.getMessage();
                slot.enter(State.DOWN);
            }
            LOG.warning(() -> SecretValues.mask("upstream " + slot.name + " went away (" + cause.getMessage() + "); restarting"));
            long delay = Math.max(0, TimeUnit.NANOSECONDS.toMillis(slot.waitNanos()));
            restartIn(slot.name, delay);
        }

        @Override
        public void notification(UpstreamClient client, String method, ObjectNode params) {
            listeners.notification(slot.name, method, params);
        }
    }

    private void restartIn(String server, long millis) {
        if (!stopped) {
            timer.schedule(() -> restart(server), millis, TimeUnit.MILLISECONDS);
        }
    }

    private void restart(String server) {
        UpstreamSlot slot = slots.get(server);
        if (stopped || slot == null || slot.client != null) {
            return;
        }
        try {
            client(server);
        } catch (SluiceException e) {
            long delay = Math.max(100, TimeUnit.NANOSECONDS.toMillis(slot.waitNanos()));
            if (catalog.current().server(server).map(ServerDefinition::enabled).orElse(false)) {
                restartIn(server, delay);
            }
            return;
        }
        listeners.listsChanged(server);
    }
}
