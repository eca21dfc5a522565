package dev.sluice.registry.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ClientChannel;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.Catalog;
import dev.sluice.registry.CatalogChanged;
import dev.sluice.registry.HealthCheck;
import dev.sluice.registry.Resilience;
import dev.sluice.registry.ServerDefinition;
import dev.sluice.registry.Transport;
import dev.sluice.registry.UpstreamListener;
import dev.sluice.registry.UpstreamStatus;
import dev.sluice.registry.UpstreamStatus.State;
import dev.sluice.registry.Upstreams;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connection per upstream server on this node. Connects on first use (or at boot for
 * {@code startup: eager}), restarts a connection that died with exponential back-off, and stops
 * stdio processes that sat idle past their {@code idle-timeout}.
 */
@ApplicationScoped
public class UpstreamManager implements Upstreams {
    private static final Logger LOG = Logger.getLogger(UpstreamManager.class.getName());
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Health checks kept per server. */
    static final int HISTORY = 100;

    @Inject
    Catalog catalog;

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final Map<String, UpstreamGuard> guards = new ConcurrentHashMap<>();
    private volatile Duration checkTimeout = Duration.ofSeconds(5);
    private volatile int failureThreshold = 3;
    private final List<UpstreamListener> listeners = new CopyOnWriteArrayList<>();
    @Inject
    SealedSecrets sealed;

    @Inject
    RunTimeEntries runTimeEntries;

    @Inject
    UpstreamUrls urls;

    private volatile SecretReferences secretReferences;
    private final ExecutorService relays = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sluice-relay-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sluice-upstream-timer");
        t.setDaemon(true);
        return t;
    });

    /** The default of {@code sluice.upstreams.stdio.inherited-env}. */
    static final List<String> INHERITED_ENV = List.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE",
            "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "TEMP", "TMP", "TERM", "SSL_CERT_FILE", "SSL_CERT_DIR",
            "NODE_EXTRA_CA_CERTS", "REQUESTS_CA_BUNDLE", "SYSTEMROOT", "COMSPEC", "PATHEXT", "WINDIR");

    /** The names of Sluice's environment variables a stdio upstream inherits (everything else it is not given). */
    private List<String> inheritedEnvironment() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValues("sluice.upstreams.stdio.inherited-env", String.class).orElse(INHERITED_ENV);
    }

    /** Resolves the catalog's secret references: the environment, files, and secrets sealed at run time. */
    private SecretReferences secrets() {
        SecretReferences r = secretReferences;
        if (r == null) {
            r = new SecretReferences(System::getenv, sealed);
            secretReferences = r;
        }
        return r;
    }

    /** Everything this node knows about one server's connection. */
    private static final class Slot {
        final String name;
        volatile UpstreamClient client;
        volatile State state = State.IDLE;
        volatile Instant since = Instant.now();
        volatile String lastError;
        volatile int restarts;
        volatile int failures;
        volatile long nextAttemptNanos;
        volatile long connectedAtNanos;
        /** How long the last successful start took (launch or connect + initialize). */
        volatile long startMillis;
        /** Health checks, newest first, at most {@link #HISTORY}. */
        final java.util.Deque<HealthCheck> checks = new java.util.concurrent.ConcurrentLinkedDeque<>();
        volatile int failedChecks;
        volatile boolean checking;

        Slot(String name) {
            this.name = name;
        }

        void enter(State s) {
            state = s;
            since = Instant.now();
        }
    }

    public UpstreamManager() {
        timer.scheduleWithFixedDelay(this::stopIdle, 1, 1, TimeUnit.SECONDS);
    }

    /** Connects every enabled {@code startup: eager} server in the background once the application is up. */
    void startEager(@Observes Startup startup) {
        org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        Duration every = config.getOptionalValue("sluice.health.interval", Duration.class).orElse(Duration.ofSeconds(30));
        checkTimeout = config.getOptionalValue("sluice.health.timeout", Duration.class).orElse(Duration.ofSeconds(5));
        failureThreshold = Math.max(1, config.getOptionalValue("sluice.health.failure-threshold", Integer.class).orElse(3));
        long millis = Math.max(200, every.toMillis());
        timer.scheduleWithFixedDelay(this::checkAll, millis, millis, TimeUnit.MILLISECONDS);
        for (ServerDefinition def : catalog.current().servers()) {
            if (def.enabled() && def.startup() == ServerDefinition.Startup.EAGER) {
                relays.execute(() -> {
                    try {
                        client(def.name());
                    } catch (SluiceException e) {
                        LOG.warning(() -> dev.sluice.core.SecretValues.mask("eager upstream " + def.name() + " did not start: " + e.detail()));
                    }
                });
            }
        }
    }

    private ServerDefinition definition(String server) {
        ServerDefinition def = catalog.current().server(server).orElseThrow(() -> new SluiceException(
                ErrorKind.UNKNOWN_SERVER, "no upstream server named '" + server + "' in the catalog"));
        if (!def.enabled()) {
            throw new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, "upstream '" + server + "' is disabled");
        }
        return def;
    }

    UpstreamClient client(String server) {
        return client(definition(server));
    }

    private UpstreamClient client(ServerDefinition def) {
        return client(def, false);
    }

    /**
     * The connection to {@code def}'s server, connecting when there is none. Calls obey the
     * back-off of earlier failed attempts and a failed attempt doubles it; the health monitor's
     * attempts ({@code probe}) ignore the back-off and do not lengthen it, so that a server that
     * comes back is found within one check interval and calls are not refused for longer because
     * the monitor kept trying.
     */
    private UpstreamClient client(ServerDefinition def, boolean probe) {
        String server = def.name();
        Slot slot = slots.computeIfAbsent(server, Slot::new);
        UpstreamClient current = slot.client;
        if (current != null && !current.isClosed()) {
            return current;
        }
        synchronized (slot) {
            current = slot.client;
            if (current != null && !current.isClosed()) {
                return current;
            }
            long wait = slot.nextAttemptNanos - System.nanoTime();
            if (wait > 0 && !probe) {
                throw new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, "upstream '" + server + "' is down ("
                        + slot.lastError + "); next attempt in " + Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait)) + " s");
            }
            slot.enter(State.STARTING);
            UpstreamClient client = null;
            long startedNanos = System.nanoTime();
            try {
                client = new UpstreamClient(server, era(def), transport(def), relays, new Events(slot));
                client.connect(def.requestTimeout().compareTo(CONNECT_TIMEOUT) < 0 ? CONNECT_TIMEOUT : def.requestTimeout());
                slot.client = client;
                slot.lastError = null;
                slot.connectedAtNanos = System.nanoTime();
                slot.startMillis = TimeUnit.NANOSECONDS.toMillis(slot.connectedAtNanos - startedNanos);
                slot.enter(State.UP);
                UpstreamClient connected = client;
                LOG.info(() -> dev.sluice.core.SecretValues.mask("upstream " + server + " connected (" + connected.describe() + ", protocol "
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
                    failed(slot, why);
                }
                String hint = def.install() == null ? "" : "; install it with: " + def.install();
                throw new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, "upstream '" + server
                        + "' could not be started: " + why + hint, e);
            }
        }
    }

    private void failed(Slot slot, String why) {
        slot.lastError = why;
        slot.failures++;
        long backoff = Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(slot.failures - 1, 10));
        slot.nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff);
        slot.enter(State.DOWN);
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

    private MessageTransport transport(ServerDefinition def) {
        String where = "server '" + def.name() + "'";
        String name = def.name();
        boolean runTime = catalog.definedAtRunTime(name);
        SecretReferences refs = runTime ? runTimeEntries.confine(secrets()) : secrets();
        Transport t = def.transport();
        if (t instanceof Transport.Stdio s) {
            String command = refs.resolve(s.command(), where + " command", SealedSecrets.binding(name, "command"));
            if (runTime) {
                runTimeEntries.checkCommand(command, s.workingDirectory(), where);
            }
            List<String> args = new ArrayList<>();
            for (int i = 0; i < s.args().size(); i++) {
                args.add(refs.resolve(s.args().get(i), where + " argument", SealedSecrets.binding(name, "args." + i)));
            }
            Transport.Stdio resolved = new Transport.Stdio(command, s.args(), s.env(),
                    refs.resolve(s.workingDirectory(), where + " cwd", SealedSecrets.binding(name, "cwd")));
            return new StdioTransport(name, resolved, args, StdioTransport.environment(inheritedEnvironment(),
                    System.getenv(), refs.resolveAll(s.env(), where + " env", SealedSecrets.binding(name, "env."))));
        }
        if (t instanceof Transport.StreamableHttp h) {
            urls.check(h.url(), where);
            return new StreamableHttpTransport(name, h.url(), refs.resolveAll(h.headers(), where + " header",
                    SealedSecrets.binding(name, "headers.")), def.requestTimeout());
        }
        Transport.Sse sse = (Transport.Sse) t;
        urls.check(sse.url(), where);
        return new LegacySseTransport(name, sse.url(), refs.resolveAll(sse.headers(), where + " header",
                SealedSecrets.binding(name, "headers.")));
    }

    /** Hears one connection's end and its notifications. */
    private final class Events implements UpstreamClient.Events {
        private final Slot slot;

        Events(Slot slot) {
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
            boolean crashLoop = System.nanoTime() - slot.connectedAtNanos < TimeUnit.SECONDS.toNanos(10);
            if (crashLoop) {
                failed(slot, "died right after starting: " + cause.getMessage());
            } else {
                slot.failures = 0;
                slot.lastError = "died: " + cause.getMessage();
                slot.nextAttemptNanos = 0;
                slot.enter(State.DOWN);
            }
            LOG.warning(() -> dev.sluice.core.SecretValues.mask("upstream " + slot.name + " went away (" + cause.getMessage() + "); restarting"));
            long delay = Math.max(0, TimeUnit.NANOSECONDS.toMillis(slot.nextAttemptNanos - System.nanoTime()));
            timer.schedule(() -> restart(slot.name), delay, TimeUnit.MILLISECONDS);
        }

        @Override
        public void notification(UpstreamClient client, String method, ObjectNode params) {
            String server = slot.name;
            for (UpstreamListener listener : listeners) {
                try {
                    switch (method) {
                        case "notifications/tools/list_changed" -> listener.listChanged(server, "tools");
                        case "notifications/resources/list_changed" -> listener.listChanged(server, "resources");
                        case "notifications/prompts/list_changed" -> listener.listChanged(server, "prompts");
                        case "notifications/resources/updated" -> listener.resourceUpdated(server, params);
                        default -> LOG.fine(() -> server + " sent " + method);
                    }
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "a listener failed on " + method + " from " + server, e);
                }
            }
        }
    }

    private void restart(String server) {
        Slot slot = slots.get(server);
        if (slot == null || slot.client != null) {
            return;
        }
        try {
            client(server);
        } catch (SluiceException e) {
            long delay = Math.max(100, TimeUnit.NANOSECONDS.toMillis(slot.nextAttemptNanos - System.nanoTime()));
            if (catalog.current().server(server).map(ServerDefinition::enabled).orElse(false)) {
                timer.schedule(() -> restart(server), delay, TimeUnit.MILLISECONDS);
            }
            return;
        }
        listsChanged(server);
    }

    /**
     * The health monitor: every server this node has started is checked, one check at a time per
     * server. A connected server is pinged; after {@code sluice.health.failure-threshold} failed
     * checks in a row its connection is closed and it is marked down, which takes it out of the
     * federated lists (they cannot list it) until it answers again. A server that is down is tried
     * again at every check, outside the calls' back-off (see {@link #client(ServerDefinition, boolean)}).
     * Servers never started (lazy) are left alone.
     */
    private void checkAll() {
        for (Slot slot : slots.values()) {
            Optional<ServerDefinition> def = catalog.current().server(slot.name);
            if (def.isEmpty() || !def.get().enabled() || slot.checking) {
                continue;
            }
            UpstreamClient client = slot.client;
            boolean up = client != null && !client.isClosed() && slot.state == State.UP;
            boolean retry = slot.state == State.DOWN;
            if (up || retry) {
                slot.checking = true;
                relays.execute(() -> {
                    try {
                        check(slot, def.get(), up ? client : null);
                    } finally {
                        slot.checking = false;
                    }
                });
            }
        }
    }

    private void check(Slot slot, ServerDefinition def, UpstreamClient client) {
        long t0 = System.nanoTime();
        String error = null;
        try {
            if (client == null) {
                client(def, true); // down: try to connect again, outside the calls' back-off
            } else {
                client.request(client.isStateless() ? "server/discover" : "ping", Json.object(), ClientChannel.NONE,
                        checkTimeout);
            }
        } catch (SluiceException e) {
            error = e.detail();
        } catch (RuntimeException e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        HealthCheck check = new HealthCheck(Instant.now(), error == null, (System.nanoTime() - t0) / 1e6, error == null
                ? null : dev.sluice.core.SecretValues.mask(error));
        slot.checks.addFirst(check);
        while (slot.checks.size() > HISTORY) {
            slot.checks.pollLast();
        }
        if (check.ok()) {
            slot.failedChecks = 0;
            if (client == null) {
                listsChanged(slot.name); // back: its tools, prompts and resources return to the lists
            }
            return;
        }
        slot.failedChecks++;
        if (client != null && slot.failedChecks >= failureThreshold && slot.client == client) {
            String why = slot.failedChecks + " health checks failed in a row (last: " + check.error() + ")";
            LOG.warning(() -> "upstream " + slot.name + " marked down: " + why);
            slot.client = null;
            failed(slot, why);
            client.close();
            listsChanged(slot.name); // out of the lists until it answers again
        }
    }

    private void listsChanged(String server) {
        for (UpstreamListener listener : listeners) {
            for (String kind : new String[] {"tools", "prompts", "resources"}) {
                try {
                    listener.listChanged(server, kind);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "a listener failed on " + server + "'s list change", e);
                }
            }
        }
    }

    @Override
    public List<HealthCheck> healthChecks(String server) {
        Slot slot = slots.get(server);
        return slot == null ? List.of() : List.copyOf(slot.checks);
    }

    private void stopIdle() {
        for (Slot slot : slots.values()) {
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

    /** Closes connections to servers that left the catalog or were disabled or changed. */
    void catalogChanged(@Observes CatalogChanged change) {
        guards.keySet().removeIf(name -> !change.after().server(name).equals(change.before().server(name)));
        for (Slot slot : slots.values()) {
            Optional<ServerDefinition> now = change.after().server(slot.name);
            ServerDefinition old = change.before().server(slot.name).orElse(null);
            if (now.isEmpty() || !now.get().enabled() || !now.get().equals(old)) {
                UpstreamClient client = slot.client;
                slot.client = null;
                slot.failures = 0;
                slot.nextAttemptNanos = 0;
                slot.enter(now.isPresent() && now.get().enabled() ? State.IDLE : State.DISABLED);
                if (client != null) {
                    client.close();
                }
            }
        }
    }

    @Override
    public ObjectNode request(String server, String method, ObjectNode params, ClientChannel channel) {
        ServerDefinition def = definition(server);
        return client(def).request(method, params, channel, def.requestTimeout());
    }

    @Override
    public ObjectNode call(String server, String method, ObjectNode params, ClientChannel channel, boolean idempotent) {
        ServerDefinition def = definition(server);
        return guard(def).call(idempotent, () -> client(def).request(method, params, channel, def.requestTimeout()));
    }

    /** The server's guard, built on first use from its settings; a catalog change of the entry builds a new one. */
    private UpstreamGuard guard(ServerDefinition def) {
        UpstreamGuard guard = guards.get(def.name());
        if (guard != null) {
            return guard;
        }
        return guards.computeIfAbsent(def.name(), name -> new UpstreamGuard(name, settings(def),
                reason -> listeners.forEach(l -> l.retried(name, reason))));
    }

    /**
     * A server's effective resilience settings: configuration for the server
     * ({@code sluice.resilience.servers.<server>.<setting>}) over its catalog entry, over configuration
     * for every server ({@code sluice.resilience.<setting>}), over the built-in defaults.
     */
    static Resilience settings(ServerDefinition def) {
        org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        java.util.function.Function<String, Optional<String>> source = key -> config.getOptionalValue(key, String.class);
        try {
            return Resilience.from("sluice.resilience.servers." + def.name() + ".", source)
                    .over(def.resilience())
                    .over(Resilience.from("sluice.resilience.", source))
                    .over(Resilience.DEFAULTS);
        } catch (IllegalArgumentException e) {
            throw new SluiceException(ErrorKind.INTERNAL, "configuration of upstream '" + def.name() + "' is not valid: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void notify(String server, String method, ObjectNode params) {
        Slot slot = slots.get(server);
        UpstreamClient client = slot == null ? null : slot.client;
        if (client != null && !client.isClosed()) {
            try {
                client.notify(method, params);
            } catch (IOException e) {
                LOG.fine(() -> "could not notify " + server + " of " + method);
            }
        }
    }

    @Override
    public Optional<ObjectNode> initializeResult(String server) {
        return Optional.ofNullable(client(server).initializeResult());
    }

    @Override
    public UpstreamStatus status(String server) {
        ServerDefinition def = catalog.current().server(server).orElseThrow(() -> new SluiceException(
                ErrorKind.UNKNOWN_SERVER, "no upstream server named '" + server + "' in the catalog"));
        Slot slot = slots.get(server);
        UpstreamGuard guard = guards.get(server);
        String circuit = guard == null ? "closed" : guard.circuit();
        long retries = guard == null ? 0 : guard.retries();
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

    private static String describe(ServerDefinition def) {
        Transport t = def.transport();
        if (t instanceof Transport.Stdio s) {
            return "stdio: " + s.command();
        }
        if (t instanceof Transport.StreamableHttp h) {
            return "streamable-http: " + h.url();
        }
        return "sse: " + ((Transport.Sse) t).url();
    }

    @Override
    public List<UpstreamStatus> statuses() {
        return catalog.current().servers().stream().map(s -> status(s.name())).toList();
    }

    @Override
    public void addListener(UpstreamListener listener) {
        listeners.add(listener);
    }

    /** The process id of a stdio upstream's current process, or -1 (for operators and tests). */
    public long pid(String server) {
        Slot slot = slots.get(server);
        UpstreamClient client = slot == null ? null : slot.client;
        return client == null ? -1 : client.pid();
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
        for (Slot slot : slots.values()) {
            UpstreamClient client = slot.client;
            slot.client = null;
            if (client != null) {
                client.close();
            }
        }
        relays.shutdownNow();
    }
}
