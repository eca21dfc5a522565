package dev.sluice.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import dev.sluice.observability.AuditEntry;
import dev.sluice.observability.NodeDirectory;
import dev.sluice.observability.NodeInfo;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit spool on disk, and the audit log's use of it while its database fails. */
class AuditSpoolTest {
    @TempDir
    Path dir;

    private static AuditEntry entry(String target) {
        return new AuditEntry("req-" + target, Instant.parse("2026-12-02T10:00:00Z"), null, "ana", "analyst", "key-1",
                "acme", "mcp", "tools/call", "pg", target, "digest", "{\"sql\":\"select 1\"}", "ok", null, 1234, false,
                "10.0.0.1");
    }

    private static PendingRecord pending(String target) {
        return new PendingRecord("id-" + target, "node-a", entry(target));
    }

    @Nested
    class OnDisk {
        @Test
        void keepsBatchesWholeAndInOrderAcrossARestart() throws IOException {
            AuditSpool spool = new AuditSpool(dir, 1 << 20);
            assertThat(spool.append(List.of(pending("a"), pending("b")))).isTrue();
            assertThat(spool.append(List.of(pending("c")))).isTrue();
            Files.writeString(dir.resolve("9999999999999-000000001.part"), "{half a rec"); // a crash mid-write

            AuditSpool again = new AuditSpool(dir, 1 << 20);
            assertThat(again.records()).isEqualTo(3);
            assertThat(again.bytes()).isEqualTo(spool.bytes());
            assertThat(dir.resolve("9999999999999-000000001.part")).doesNotExist();
            List<PendingRecord> read = new ArrayList<>();
            for (Path file : again.files()) {
                read.addAll(again.read(file));
            }
            assertThat(read).containsExactly(pending("a"), pending("b"), pending("c"));
            assertThat(read.get(0).entry()).isEqualTo(entry("a")); // every field survives the round trip

            again.remove(again.files().get(0), 2);
            assertThat(again.records()).isEqualTo(1);
            assertThat(again.files()).hasSize(1);
        }

        @Test
        void refusesABatchThatDoesNotFit() throws IOException {
            AuditSpool spool = new AuditSpool(dir, 600);
            assertThat(spool.append(List.of(pending("a")))).isTrue();
            assertThat(spool.append(List.of(pending("b"), pending("c")))).isFalse();
            assertThat(spool.records()).isEqualTo(1);
            assertThat(spool.files()).hasSize(1);
        }
    }

    /** A database that can be switched off, and that may store a batch and then fail (a lost acknowledgement). */
    static final class FlakyDatabase extends AuditWriter {
        final Map<String, AuditEntry> stored = new LinkedHashMap<>();
        final List<String> writes = new ArrayList<>();
        boolean down;
        boolean loseNextAcknowledgement;

        @Override
        public void write(List<PendingRecord> records, boolean again) {
            writes.add(records.size() + (again ? " again" : ""));
            if (down) {
                throw new IllegalStateException("connection refused");
            }
            for (PendingRecord r : records) {
                if (stored.containsKey(r.recordId())) {
                    if (!again) {
                        throw new IllegalStateException("duplicate key " + r.recordId());
                    }
                    continue;
                }
                stored.put(r.recordId(), r.entry());
            }
            if (loseNextAcknowledgement) {
                loseNextAcknowledgement = false;
                throw new IllegalStateException("connection reset after commit");
            }
        }
    }

    private final AtomicLong dropped = new AtomicLong();

    private QueuedAuditLog log(FlakyDatabase db, long spoolBytes, String whenFull) {
        return log(db, spoolBytes, whenFull, "off");
    }

    private QueuedAuditLog log(FlakyDatabase db, long spoolBytes, String whenFull, String journal) {
        QueuedAuditLog log = new QueuedAuditLog();
        log.writer = db;
        log.nodes = new NodeDirectory() {
            @Override
            public String selfId() {
                return "node-a";
            }

            @Override
            public List<NodeInfo> nodes() {
                return List.of();
            }
        };
        // the test drives the log itself: nothing is scheduled
        log.scheduler = (ManagedScheduledExecutorService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ManagedScheduledExecutorService.class}, (p, m, a) -> null);
        Counter counter = (Counter) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Counter.class},
                (p, m, a) -> {
                    if (m.getName().equals("inc")) {
                        dropped.incrementAndGet();
                        return null;
                    }
                    return dropped.get();
                });
        log.metrics = (MetricRegistry) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MetricRegistry.class}, (p, m, a) -> m.getName().equals("counter") ? counter : null);
        log.settings = new ObservabilitySettings();
        log.settings.auditQueueSize = 100;
        log.settings.auditFlushIntervalMs = 250;
        log.settings.auditRetention = Duration.ofDays(365);
        log.settings.auditRetentionCheck = Duration.ofHours(1);
        log.settings.auditSpoolDir = dir.toString();
        log.settings.auditSpoolMaxBytes = spoolBytes;
        log.settings.auditSpoolWhenFull = whenFull;
        log.settings.auditRetryInterval = Duration.ZERO;
        log.settings.auditJournalSync = journal;
        log.settings.auditJournalDir = dir.resolve("journal").toString();
        log.settings.auditJournalSegmentBytes = 64 * 1024;
        log.settings.auditJournalMaxWait = Duration.ofSeconds(5);
        log.settings.auditJournalCommitDelay = Duration.ZERO;
        log.storedGrace = Duration.ZERO;
        log.threads = (ManagedThreadFactory) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ManagedThreadFactory.class}, (p, m, a) -> new Thread((Runnable) a[0]));
        log.start();
        return log;
    }

    @Test
    void recordsMadeWhileTheDatabaseIsDownAreSpooledAndWrittenOnceInOrderWhenItIsBack() {
        FlakyDatabase db = new FlakyDatabase();
        QueuedAuditLog log = log(db, 1 << 20, "refuse");
        log.record(entry("a"));
        log.flush();
        db.down = true;
        log.record(entry("b"));
        log.record(entry("c"));
        catchThrowableOfType(IllegalStateException.class, log::flush);
        assertThat(log.backlog().spooled()).isEqualTo(2);
        assertThat(log.backlog().queued()).isZero();
        log.record(entry("d")); // joins the spool behind b and c, not ahead of them
        catchThrowableOfType(IllegalStateException.class, log::flush);

        db.down = false;
        db.loseNextAcknowledgement = true; // the first replay commits, but Sluice does not hear it
        catchThrowableOfType(IllegalStateException.class, log::flush);
        log.flush();

        assertThat(db.stored.values()).extracting(AuditEntry::target).containsExactly("a", "b", "c", "d");
        assertThat(log.backlog().spooled()).isZero();
        assertThat(db.writes).contains("2 again");
    }

    @Test
    void aFullSpoolRefusesNewCallsUnderTheDefaultPolicy() {
        FlakyDatabase db = new FlakyDatabase();
        db.down = true;
        QueuedAuditLog log = log(db, 1, "refuse"); // the bound is raised to 1 MiB: about 2,500 records
        log.admit();
        for (int i = 0; i < 4000; i++) {
            log.record(entry("t" + i));
        }
        SluiceException refused = catchThrowableOfType(SluiceException.class, log::admit);
        assertThat(refused.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(refused.detail()).contains("audit spool is full").contains("sluice.audit.spool.when-full");

        db.down = false;
        log.flush();
        log.admit(); // drained: calls are taken again
        assertThat(db.stored).hasSize(4000 - (int) log.backlog().dropped());
    }

    @Test
    void theDropPolicyLetsCallsThroughAndCountsWhatItCannotKeep() {
        FlakyDatabase db = new FlakyDatabase();
        db.down = true;
        QueuedAuditLog log = log(db, 1, "drop");
        for (int i = 0; i < 4000; i++) {
            log.record(entry("t" + i));
        }
        log.admit(); // never refuses
        long lost = log.backlog().dropped();
        assertThat(lost).isPositive();
        assertThat(dropped.get()).isEqualTo(lost);

        db.down = false;
        log.flush();
        assertThat(db.stored).hasSize(4000 - (int) lost);
    }

    @Nested
    class Journal {
        private List<Path> segments() throws IOException {
            try (var files = Files.list(dir.resolve("journal"))) {
                return files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
            }
        }

        @Test
        void aRecordIsInTheJournalWhenRecordReturnsAndANodeKilledBeforeItsDatabaseWriteStoresItAtItsNextStart()
                throws IOException {
            FlakyDatabase db = new FlakyDatabase();
            QueuedAuditLog first = log(db, 1 << 20, "refuse", "fsync");
            first.record(entry("a"));
            first.record(entry("b"));
            first.flush(); // a and b reach the database
            first.record(entry("c"));
            first.record(entry("d")); // c and d are only in memory and in the journal when the node dies
            String journaled = new String(Files.readAllBytes(segments().get(0)), StandardCharsets.ISO_8859_1);
            assertThat(journaled).contains("req-c", "req-d");
            assertThat(db.stored.values()).extracting(AuditEntry::target).containsExactly("a", "b");

            // the kill: no stop(), no drain; a new node on the same directories
            QueuedAuditLog second = log(db, 1 << 20, "refuse", "fsync");
            second.flush();

            assertThat(db.stored.values()).extracting(AuditEntry::target)
                    .as("every recorded call once: c and d from the journal, a and b not twice")
                    .containsExactly("a", "b", "c", "d");
            assertThat(second.backlog().spooled()).isZero();
            second.stop();
        }

        @Test
        void aSegmentIsDeletedOnceEveryRecordInItIsStored() throws IOException {
            FlakyDatabase db = new FlakyDatabase();
            QueuedAuditLog log = log(db, 1 << 20, "refuse", "fsync");
            for (int i = 0; i < 600; i++) { // about 250 KiB: several 64 KiB segments
                log.record(entry("t" + i));
                if (i % 90 == 0) {
                    log.flush();
                }
            }
            log.flush();
            assertThat(db.stored).hasSize(600);
            assertThat(segments()).as("only the segment still open is left").hasSize(1);
            log.stop();
            assertThat(segments()).as("a stop with every record stored leaves nothing to replay").isEmpty();
        }

        @Test
        void recordsTheDatabaseHasNotTakenStayInTheJournalAcrossAStop() throws IOException {
            FlakyDatabase db = new FlakyDatabase();
            QueuedAuditLog log = log(db, 1 << 20, "refuse", "write");
            db.down = true;
            log.record(entry("x"));
            log.stop(); // the database refuses; the spool takes the record, the journal may let it go
            db.down = false;
            QueuedAuditLog again = log(db, 1 << 20, "refuse", "write");
            again.flush();
            assertThat(db.stored.values()).extracting(AuditEntry::target).containsExactly("x");
            again.stop();
        }
    }
}
