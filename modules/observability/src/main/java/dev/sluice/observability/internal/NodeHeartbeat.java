package dev.sluice.observability.internal;

import dev.sluice.core.SluiceVersion;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Registers this node when the application starts and keeps its entry fresh. It observes
 * {@link Startup} at the default priority, after the schema migration (which runs first).
 */
@ApplicationScoped
public class NodeHeartbeat {
    private static final Logger LOG = Logger.getLogger(NodeHeartbeat.class.getName());

    @Inject
    JpaNodeDirectory directory;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> beating;

    void start(@Observes Startup startup) {
        try {
            directory.register(SluiceVersion.current());
            LOG.info(() -> "Sluice node " + directory.selfId() + " registered");
        } catch (RuntimeException e) {
            // a database that is away at start must not stop Sluice; the heartbeat registers later
            LOG.log(Level.WARNING, "node registration failed, retrying on the heartbeat: " + e.getMessage());
        }
        long period = Math.max(1, directory.heartbeat().toMillis());
        beating = scheduler.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            directory.beat();
        } catch (RuntimeException e) {
            // the database may be briefly away; the next beat tries again
            LOG.log(Level.WARNING, "node heartbeat failed: " + e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        if (beating != null) {
            beating.cancel(false);
        }
    }
}
