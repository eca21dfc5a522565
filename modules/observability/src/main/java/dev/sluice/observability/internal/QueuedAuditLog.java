package dev.sluice.observability.internal;

import dev.sluice.observability.AuditEntry;
import dev.sluice.observability.AuditLog;
import dev.sluice.observability.AuditPage;
import dev.sluice.observability.AuditQuery;
import dev.sluice.observability.NodeDirectory;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@link AuditLog}: records go into a bounded queue and a scheduled task writes them in batches,
 * so that a call never waits for the database. When the queue is full (the database is away for
 * long), the oldest-waiting caller writes synchronously rather than a record being dropped.
 */
@ApplicationScoped
public class QueuedAuditLog implements AuditLog {
    private static final Logger LOG = Logger.getLogger(QueuedAuditLog.class.getName());
    private static final int BATCH = 200;

    @Inject
    AuditWriter writer;

    @Inject
    NodeDirectory nodes;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "sluice.audit.queue-size", defaultValue = "10000")
    int queueSize;

    @Inject
    @ConfigProperty(name = "sluice.audit.flush-interval-ms", defaultValue = "250")
    long flushIntervalMs;

    @Inject
    @ConfigProperty(name = "sluice.audit.retention", defaultValue = "P365D")
    java.time.Duration retention;

    @Inject
    @ConfigProperty(name = "sluice.audit.retention-check-interval", defaultValue = "PT1H")
    java.time.Duration retentionCheck;

    private BlockingQueue<AuditEntry> queue;
    private ScheduledFuture<?> task;
    private ScheduledFuture<?> retentionTask;
    private final Object drainLock = new Object();
    private final AtomicLong failures = new AtomicLong();

    @PostConstruct
    void start() {
        queue = new ArrayBlockingQueue<>(Math.max(100, queueSize));
        task = scheduler.scheduleWithFixedDelay(this::drainQuietly, flushIntervalMs, flushIntervalMs, TimeUnit.MILLISECONDS);
        long every = Math.max(1000, retentionCheck.toMillis());
        retentionTask = scheduler.scheduleWithFixedDelay(this::enforceRetention, Math.min(every, 60_000), every,
                TimeUnit.MILLISECONDS);
    }

    /** Starts with the application, not with the first record: the retention job runs on an idle node too. */
    void boot(@jakarta.enterprise.event.Observes jakarta.enterprise.event.Startup startup) {
        // observing the event makes the container create this bean, which starts its tasks
    }

    /** Deletes the records older than {@code sluice.audit.retention}; every node may run it, it is idempotent. */
    private void enforceRetention() {
        try {
            long deleted = deleteBefore(Instant.now().minus(retention));
            if (deleted > 0) {
                LOG.info(() -> "audit retention: deleted " + deleted + " records older than " + retention);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "audit retention could not run (retrying at the next check): " + e.getMessage());
        }
    }

    @Override
    public void record(AuditEntry entry) {
        if (!queue.offer(entry)) {
            drainQuietly();
            if (!queue.offer(entry)) {
                writer.write(List.of(entry), nodes.selfId());
            }
        }
    }

    @Override
    public void flush() {
        drain();
    }

    @Override
    public AuditPage search(AuditQuery query) {
        flush();
        return writer.search(query);
    }

    @Override
    public long deleteBefore(Instant before) {
        return writer.deleteBefore(before);
    }

    private void drainQuietly() {
        try {
            drain();
        } catch (RuntimeException e) {
            if (failures.incrementAndGet() % 20 == 1) {
                LOG.log(Level.WARNING, "audit records could not be written yet (" + queue.size()
                        + " waiting); retrying: " + e.getMessage());
            }
        }
    }

    private void drain() {
        synchronized (drainLock) {
            List<AuditEntry> batch = new ArrayList<>(BATCH);
            while (true) {
                batch.clear();
                // peek, write, then remove, so that a failed write keeps its records for the next attempt
                // (only this method, under the lock, removes from the queue)
                for (java.util.Iterator<AuditEntry> it = queue.iterator(); it.hasNext() && batch.size() < BATCH;) {
                    batch.add(it.next());
                }
                if (batch.isEmpty()) {
                    return;
                }
                writer.write(batch, nodes.selfId());
                for (int i = 0; i < batch.size(); i++) {
                    queue.poll();
                }
                failures.set(0);
            }
        }
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
        if (retentionTask != null) {
            retentionTask.cancel(false);
        }
        drainQuietly();
    }
}
