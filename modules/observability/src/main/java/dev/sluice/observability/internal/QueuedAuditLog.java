package dev.sluice.observability.internal;

import dev.sluice.observability.AuditEntry;
import dev.sluice.observability.AuditLog;
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

    private BlockingQueue<AuditEntry> queue;
    private ScheduledFuture<?> task;
    private final Object drainLock = new Object();
    private final AtomicLong failures = new AtomicLong();

    @PostConstruct
    void start() {
        queue = new ArrayBlockingQueue<>(Math.max(100, queueSize));
        task = scheduler.scheduleWithFixedDelay(this::drainQuietly, flushIntervalMs, flushIntervalMs, TimeUnit.MILLISECONDS);
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
    public List<AuditEntry> search(String subject, String server, String action, String outcome, Instant since,
            int limit) {
        flush();
        return writer.search(subject, server, action, outcome, since, limit);
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
        drainQuietly();
    }
}
