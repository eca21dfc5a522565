package dev.sluice.registry.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ClientChannel;
import dev.sluice.core.SecretValues;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.Catalog;
import dev.sluice.registry.CatalogChanged;
import dev.sluice.registry.HealthCheck;
import dev.sluice.registry.ServerDefinition;
import dev.sluice.registry.UpstreamListener;
import dev.sluice.registry.UpstreamStatus;
import dev.sluice.registry.Upstreams;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * {@link Upstreams} on this node: one connection per upstream server, connected on first use (or at
 * boot for {@code startup: eager}), restarted with back-off when it dies, checked by the health
 * monitor, stopped when idle past its {@code idle-timeout}, and called through the server's guard.
 * A coordinator: each concern is a class of its own ({@link UpstreamConnections},
 * {@link TransportFactory}, {@link HealthChecks}, {@link IdleStopper}, {@link CatalogReactions},
 * {@link UpstreamGuards}, {@link UpstreamStatuses}, {@link UpstreamListeners}), and every thread comes
 * from the container's managed executors and thread factory.
 */
@ApplicationScoped
public class UpstreamManager implements Upstreams {
    private static final Logger LOG = Logger.getLogger(UpstreamManager.class.getName());
    /** How often idle connections are looked for. */
    private static final Duration IDLE_SWEEP = Duration.ofSeconds(1);

    @Inject
    Catalog catalog;

    @Inject
    SealedSecrets sealed;

    @Inject
    RunTimeEntries runTimeEntries;

    @Inject
    UpstreamUrls urls;

    /** Relays of what upstreams ask of clients, health checks, eager starts, and the HTTP client's work. */
    @Resource
    ManagedExecutorService executor;

    /** Idle sweeps, health-check rounds and restarts. */
    @Resource
    ManagedScheduledExecutorService scheduler;

    /** Readers of processes' output and of event streams. */
    @Resource
    ManagedThreadFactory threadFactory;

    private final UpstreamListeners listeners = new UpstreamListeners();
    private UpstreamConnections connections;
    private UpstreamGuards guards;
    private HealthChecks health;
    private IdleStopper idle;
    private CatalogReactions reactions;
    private UpstreamStatuses statuses;
    private ScheduledFuture<?> idleSweep;
    private ScheduledFuture<?> healthRounds;

    @PostConstruct
    void start() {
        Config config = ConfigProvider.getConfig();
        ReaderThreads readers = new ReaderThreads(threadFactory);
        TransportFactory transports = new TransportFactory(catalog, new SecretReferences(System::getenv, sealed),
                runTimeEntries, urls, UpstreamManager::inheritedEnvironment, System.getenv(),
                new HttpClients(executor, readers), readers);
        connections = new UpstreamConnections(catalog, transports::transport, executor, scheduler, listeners);
        guards = new UpstreamGuards(key -> ConfigProvider.getConfig().getOptionalValue(key, String.class), listeners);
        health = new HealthChecks(connections, catalog, executor, listeners,
                config.getOptionalValue("sluice.health.timeout", Duration.class).orElse(Duration.ofSeconds(5)),
                config.getOptionalValue("sluice.health.failure-threshold", Integer.class).orElse(3));
        idle = new IdleStopper(connections, catalog);
        reactions = new CatalogReactions(connections, guards);
        statuses = new UpstreamStatuses(catalog, connections, guards);
        idleSweep = scheduler.scheduleWithFixedDelay(idle::stopIdle, IDLE_SWEEP.toMillis(), IDLE_SWEEP.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The names of Sluice's environment variables a stdio upstream inherits ({@code sluice.upstreams.stdio.inherited-env}). */
    private static List<String> inheritedEnvironment() {
        return ConfigProvider.getConfig().getOptionalValues("sluice.upstreams.stdio.inherited-env", String.class)
                .orElse(TransportFactory.INHERITED_ENV);
    }

    /** Starts the health monitor, and connects every enabled {@code startup: eager} server in the background, once the application is up. */
    void startEager(@Observes Startup startup) {
        Duration every = ConfigProvider.getConfig().getOptionalValue("sluice.health.interval", Duration.class)
                .orElse(Duration.ofSeconds(30));
        long millis = Math.max(200, every.toMillis());
        healthRounds = scheduler.scheduleWithFixedDelay(health::checkAll, millis, millis, TimeUnit.MILLISECONDS);
        for (ServerDefinition def : catalog.current().servers()) {
            if (def.enabled() && def.startup() == ServerDefinition.Startup.EAGER) {
                executor.execute(() -> {
                    try {
                        connections.client(def.name());
                    } catch (SluiceException e) {
                        LOG.warning(() -> SecretValues.mask("eager upstream " + def.name() + " did not start: " + e.detail()));
                    }
                });
            }
        }
    }

    /** Closes connections to servers that left the catalog or were disabled or changed. */
    void catalogChanged(@Observes CatalogChanged change) {
        reactions.changed(change);
    }

    @Override
    public ObjectNode request(String server, String method, ObjectNode params, ClientChannel channel) {
        ServerDefinition def = connections.definition(server);
        return connections.client(def).request(method, params, channel, def.requestTimeout());
    }

    @Override
    public ObjectNode call(String server, String method, ObjectNode params, ClientChannel channel, boolean idempotent) {
        ServerDefinition def = connections.definition(server);
        return guards.guard(def).call(idempotent, () -> connections.client(def).request(method, params, channel,
                def.requestTimeout()));
    }

    @Override
    public void notify(String server, String method, ObjectNode params) {
        UpstreamClient client = connections.connected(server);
        if (client != null) {
            try {
                client.notify(method, params);
            } catch (IOException e) {
                LOG.fine(() -> "could not notify " + server + " of " + method);
            }
        }
    }

    @Override
    public Optional<ObjectNode> initializeResult(String server) {
        return Optional.ofNullable(connections.client(server).initializeResult());
    }

    @Override
    public UpstreamStatus status(String server) {
        return statuses.status(server);
    }

    @Override
    public List<UpstreamStatus> statuses() {
        return statuses.statuses();
    }

    @Override
    public List<HealthCheck> healthChecks(String server) {
        return health.history(server);
    }

    @Override
    public void addListener(UpstreamListener listener) {
        listeners.add(listener);
    }

    /** The process id of a stdio upstream's current process, or -1 (for operators and tests). */
    public long pid(String server) {
        UpstreamSlot slot = connections.slot(server);
        UpstreamClient client = slot == null ? null : slot.client;
        return client == null ? -1 : client.pid();
    }

    /** Stops the sweeps and closes every connection; the container stops the managed threads' remaining work. */
    @PreDestroy
    void stop() {
        for (ScheduledFuture<?> task : new ScheduledFuture<?>[] {idleSweep, healthRounds}) {
            if (task != null) {
                task.cancel(false);
            }
        }
        connections.stop();
    }
}
