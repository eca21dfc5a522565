package dev.sluice.observability.internal;

import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import dev.sluice.observability.AuditEntry;
import dev.sluice.observability.AuditLog;
import dev.sluice.observability.AuditPage;
import dev.sluice.observability.AuditQuery;
import dev.sluice.observability.NodeDirectory;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperties;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The {@link AuditLog}: a record is first appended to the {@link AuditJournal} on disk, where it is
 * before its call answers (one sync serves every call of a round), then goes into a bounded queue from
 * which a scheduled task writes batches to the database, so that a call never waits for the database.
 * A node killed at any moment finds its unstored records in the journal at its next start. When the database cannot be written, the batch and
 * everything queued behind it go to an on-disk {@link AuditSpool} within one flush interval; the
 * spool is written back, oldest first, as soon as the database answers (on this node's next start if
 * it stops first), each record stored once by its record id. Records keep their order: while the
 * spool holds any, new records join it rather than overtaking it.
 *
 * <p>When the spool is full, {@code sluice.audit.spool.when-full} applies: {@code refuse} turns new
 * calls away with {@code unavailable} ({@link #admit()}), {@code drop} lets them through and counts
 * the records it cannot keep.
 */
@ApplicationScoped
public class QueuedAuditLog implements AuditLog {
    private static final Logger LOG = Logger.getLogger(QueuedAuditLog.class.getName());
    /**
     * How long a journal segment outlives the storing of its last record: embedded H2 acknowledges a
     * commit and writes it to its file within half a second; a kill in between must find the records.
     */
    Duration storedGrace = Duration.ofSeconds(10);
    /** Records a database write takes at most: one JDBC batch and one commit. */
    private static final int BATCH = 1000;
    private static final Metadata DROPPED = Metadata
            .builder().withName("mcp_audit_dropped").withDescription("Audit records lost because the database could not"
                    + " be written and the spool was full (policy drop)").build();

    @Inject
    @ConfigProperties
    ObservabilitySettings settings;

    @Inject
    AuditWriter writer;

    @Inject
    NodeDirectory nodes;

    @Resource
    ManagedScheduledExecutorService scheduler;

    /** Makes the journal's writer thread. */
    @Resource
    ManagedThreadFactory threads;

    @Inject
    MetricRegistry metrics;

    private BlockingQueue<PendingRecord> queue;
    private AuditSpool spool;
    /** Null when {@code sluice.audit.journal.sync} is {@code off}. */
    private AuditJournal journal;
    private final AtomicLong unjournaled = new AtomicLong();
    private boolean refuseWhenFull;
    private ScheduledFuture<?> task;
    private ScheduledFuture<?> retentionTask;
    private final Object drainLock = new Object();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile long nextAttemptNanos;
    private volatile boolean spoolFull;

    @PostConstruct
    void start() {
        queue = new ArrayBlockingQueue<>(Math.max(100, settings.auditQueueSize));
        spool = new AuditSpool(Path.of(settings.auditSpoolDir), Math.max(1 << 20, settings.auditSpoolMaxBytes));
        refuseWhenFull = switch (settings.auditSpoolWhenFull.trim().toLowerCase(Locale.ROOT)) {
            case "refuse" -> true;
            case "drop" -> false;
            default -> throw new IllegalStateException("sluice.audit.spool.when-full must be refuse or drop, not '"
                    + settings.auditSpoolWhenFull + "'");
        };
        journal = openJournal();
        metrics.gauge(Metadata.builder().withName("mcp_audit_queued_records")
                .withDescription("Audit records waiting in memory for the next batch write").build(), queue::size);
        metrics.gauge(Metadata.builder().withName("mcp_audit_spooled_records")
                .withDescription("Audit records in the on-disk spool, waiting for the database").build(), spool::records);
        metrics.gauge(Metadata.builder().withName("mcp_audit_spool_bytes")
                .withDescription("Size of the on-disk audit spool").build(), spool::bytes);
        metrics.counter(DROPPED); // present from the start, so that alerts on it have a series
        if (!spool.isEmpty()) {
            LOG.info(() -> "audit spool " + spool.dir() + " holds " + spool.records()
                    + " records from before; writing them to the database");
        }
        task = scheduler.scheduleWithFixedDelay(this::drainQuietly, 0, settings.auditFlushIntervalMs, TimeUnit.MILLISECONDS);
        long every = Math.max(1000, settings.auditRetentionCheck.toMillis());
        retentionTask = scheduler.scheduleWithFixedDelay(this::enforceRetention, Math.min(every, 60_000), every,
                TimeUnit.MILLISECONDS);
    }

    /**
     * The journal, when one is configured, after the records a previous run left in it went to the
     * spool (from where the first drain stores them, each once by its record id).
     */
    private AuditJournal openJournal() {
        String mode = settings.auditJournalSync.trim().toLowerCase(Locale.ROOT);
        AuditJournal.Sync sync = switch (mode) {
            case "fsync" -> AuditJournal.Sync.FSYNC;
            case "write" -> AuditJournal.Sync.WRITE;
            case "off" -> null;
            default -> throw new IllegalStateException("sluice.audit.journal.sync must be fsync, write or off, not '"
                    + settings.auditJournalSync + "'");
        };
        if (sync == null) {
            return null;
        }
        AuditJournal opened = new AuditJournal(Path.of(settings.auditJournalDir), sync,
                settings.auditJournalSegmentBytes, storedGrace, settings.auditJournalCommitDelay, threads);
        try {
            List<byte[]> left = opened.recover();
            if (!left.isEmpty()) {
                List<PendingRecord> records = new ArrayList<>(left.size());
                for (byte[] r : left) {
                    try {
                        records.add(AuditSpool.decode(r));
                    } catch (RuntimeException e) {
                        LOG.severe("an unreadable record in the audit journal " + opened.dir() + " was skipped: "
                                + e.getMessage());
                    }
                }
                for (int from = 0; from < records.size(); from += BATCH) {
                    if (!spool.append(records.subList(from, Math.min(records.size(), from + BATCH)))) {
                        throw new IOException("the audit spool " + spool.dir() + " is full");
                    }
                }
                opened.forget();
                LOG.info(() -> "audit journal " + opened.dir() + ": " + records.size() + " records of the previous run"
                        + " (some may be stored already) go to the database through the spool");
            }
        } catch (IOException e) {
            // the segments stay: the next start tries again
            LOG.log(Level.SEVERE, "the records left in the audit journal " + opened.dir() + " could not be moved to"
                    + " the spool; they stay in the journal: " + e.getMessage());
        }
        return opened;
    }

    /** Starts with the application, not with the first record: the retention job runs on an idle node too. */
    void boot(@Observes Startup startup) {
        // observing the event makes the container create this bean, which starts its tasks (and the spool's replay)
    }

    /** Deletes the records older than {@code sluice.audit.retention}; every node may run it, it is idempotent. */
    private void enforceRetention() {
        try {
            long deleted = deleteBefore(Instant.now().minus(settings.auditRetention));
            if (deleted > 0) {
                LOG.info(() -> "audit retention: deleted " + deleted + " records older than " + settings.auditRetention);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "audit retention could not run (retrying at the next check): " + e.getMessage());
        }
    }

    @Override
    public void admit() {
        if (refuseWhenFull && journal != null && journal.failure() != null) {
            throw new SluiceException(ErrorKind.UNAVAILABLE, "the audit trail cannot take more records: its journal "
                    + journal.dir() + " cannot be written (" + journal.failure().getMessage() + "); calls are refused"
                    + " until it can (sluice.audit.spool.when-full=refuse)");
        }
        if (refuseWhenFull && spoolFull && queue.remainingCapacity() == 0) {
            throw new SluiceException(ErrorKind.UNAVAILABLE, "the audit trail cannot take more records: the database"
                    + " cannot be written and the audit spool is full (" + spool.bytes() / (1 << 20)
                    + " MiB); calls are refused until it drains (sluice.audit.spool.when-full=refuse)");
        }
    }

    /**
     * Queues the record for the database and, with a journal, returns once it is in the journal (at
     * most {@code sluice.audit.journal.max-wait}): the call's answer leaves after its record is on disk.
     */
    @Override
    public void record(AuditEntry entry) {
        PendingRecord pending = new PendingRecord(UUID.randomUUID().toString(), nodes.selfId(), entry);
        AuditJournal.Mark mark = null;
        if (journal != null) {
            mark = journal.append(AuditSpool.encode(pending));
            pending = pending.at(mark);
        }
        // queued after the journal has it, so that the database never holds a record the journal has not
        // placed (the journal lets a segment go once each of its records is stored)
        if (mark != null && !mark.await(settings.auditJournalMaxWait)) {
            long n = unjournaled.incrementAndGet();
            if (n % 100 == 1) {
                IOException why = journal.failure();
                LOG.severe("an answer left before its audit record was in the journal " + journal.dir() + " ("
                        + n + " so far): " + (why != null ? why.getMessage() : "the disk took longer than "
                        + settings.auditJournalMaxWait) + "; the record waits in memory for the database");
            }
        }
        enqueue(pending);
    }

    private void enqueue(PendingRecord pending) {
        if (queue.offer(pending)) {
            return;
        }
        drainQuietly(); // writes the queue, or moves it to the spool
        if (!queue.offer(pending)) {
            long n = dropped.incrementAndGet();
            metrics.counter(DROPPED).inc();
            if (n % 100 == 1) {
                LOG.severe("audit records dropped (" + n + " so far): the database cannot be written and the spool "
                        + spool.dir() + " is full");
            }
        }
    }

    @Override
    public void flush() {
        nextAttemptNanos = 0;
        drain();
    }

    @Override
    public Backlog backlog() {
        return new Backlog(queue.size(), spool.records(), spool.bytes(), spool.maxBytes(), dropped.get());
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
                LOG.log(Level.WARNING, "audit records could not be written yet (" + queue.size() + " queued, "
                        + spool.records() + " in the spool " + spool.dir() + "); retrying: " + e.getMessage());
            }
        }
    }

    private void drain() {
        synchronized (drainLock) {
            if (!spool.isEmpty()) {
                if (System.nanoTime() - nextAttemptNanos < 0) {
                    toSpool(); // the database failed a moment ago: keep the order, keep the records on disk
                    return;
                }
                try {
                    replay();
                } catch (RuntimeException e) {
                    failed();
                    throw e;
                }
            }
            // peek, write, then remove, so that a failed write keeps its records for the spool
            // (only the drain, under the lock, removes from the queue)
            for (List<PendingRecord> batch = peek(); !batch.isEmpty(); batch = peek()) {
                try {
                    writer.write(batch, false);
                } catch (RuntimeException e) {
                    failed();
                    throw e;
                }
                remove(batch);
                failures.set(0);
            }
        }
    }

    private void failed() {
        nextAttemptNanos = System.nanoTime() + settings.auditRetryInterval.toNanos();
        toSpool();
    }

    /** Writes the spool's files to the database, oldest first, removing each once its records are stored. */
    private void replay() {
        for (Path file : spool.files()) {
            List<PendingRecord> records;
            try {
                records = spool.read(file);
            } catch (IOException e) {
                throw new UncheckedIOException("the audit spool file " + file + " cannot be read", e);
            }
            for (int from = 0; from < records.size(); from += BATCH) {
                writer.write(records.subList(from, Math.min(records.size(), from + BATCH)), true);
            }
            try {
                spool.remove(file, records.size());
            } catch (IOException e) {
                throw new UncheckedIOException("the audit spool file " + file + " cannot be removed", e);
            }
            LOG.fine(() -> "audit spool: " + records.size() + " records written from " + file.getFileName());
        }
        if (spool.isEmpty()) {
            spoolFull = false;
            LOG.info("audit spool written to the database; the audit trail is complete again");
        }
    }

    /** Moves what is queued to the spool, in batches, as far as it has room. */
    private void toSpool() {
        for (List<PendingRecord> batch = peek(); !batch.isEmpty(); batch = peek()) {
            try {
                if (!spool.append(batch)) {
                    if (!spoolFull) {
                        spoolFull = true;
                        LOG.severe("the audit spool " + spool.dir() + " is full (" + spool.bytes() + " bytes); "
                                + queue.size() + " records wait in memory; when that is full too, new calls are "
                                + (refuseWhenFull ? "refused" : "let through and their records dropped"));
                    }
                    return;
                }
            } catch (IOException e) {
                LOG.log(Level.SEVERE, "the audit spool " + spool.dir() + " cannot be written: " + e.getMessage());
                return;
            }
            remove(batch);
        }
    }

    /** The oldest queued records, at most a batch, left in the queue. */
    private List<PendingRecord> peek() {
        List<PendingRecord> batch = new ArrayList<>(BATCH);
        for (Iterator<PendingRecord> it = queue.iterator(); it.hasNext() && batch.size() < BATCH;) {
            batch.add(it.next());
        }
        return batch;
    }

    /** Takes a stored batch (in the database or the spool) off the queue, and out of the journal's keeping. */
    private void remove(List<PendingRecord> batch) {
        for (PendingRecord p : batch) {
            queue.poll();
            if (p.mark() != null && journal != null) {
                journal.done(p.mark());
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
        nextAttemptNanos = 0;
        drainQuietly(); // written, or kept in the spool for the next start
        if (!queue.isEmpty()) {
            LOG.severe(queue.size() + " audit records could be neither written nor spooled at shutdown"
                    + (journal != null ? "; the journal keeps them for the next start" : ""));
        }
        if (journal != null) {
            journal.close();
        }
    }
}
