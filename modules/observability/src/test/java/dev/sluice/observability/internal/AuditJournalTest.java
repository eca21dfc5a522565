package dev.sluice.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write-ahead journal of the audit trail on its own: group commit, crash recovery, segments. */
class AuditJournalTest {
    @TempDir
    Path dir;

    private AuditJournal journal(AuditJournal.Sync sync) {
        return new AuditJournal(dir, sync, 64 * 1024, Duration.ZERO, Duration.ZERO, Thread::new);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A closed journal's one segment, holding these records. */
    private Path segmentWith(String... records) throws IOException {
        AuditJournal journal = journal(AuditJournal.Sync.WRITE);
        for (String r : records) {
            assertThat(journal.append(bytes(r)).await(Duration.ofSeconds(5))).isTrue();
        }
        journal.close();
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".log")).findFirst().orElseThrow();
        }
    }

    @Test
    void aLoneCallerNeverWaitsForTheCommitDelay() {
        // a delay of an hour: a lone caller that waited for it would not see its record written
        AuditJournal journal = new AuditJournal(dir, AuditJournal.Sync.FSYNC, 64 * 1024, Duration.ZERO,
                Duration.ofHours(1), Thread::new);
        for (int i = 0; i < 20; i++) {
            assertThat(journal.append(bytes("{\"i\":" + i + "}")).await(Duration.ofSeconds(5)))
                    .as("record %d written without waiting for company", i).isTrue();
        }
        assertThat(journal.rounds()).isEqualTo(20);
        journal.close();
    }

    @Test
    void afterASharedRoundTheWriterWaitsForMoreRecordsUpToAFullRound() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        AuditJournal journal = new AuditJournal(dir, AuditJournal.Sync.FSYNC, 1 << 20, Duration.ZERO,
                Duration.ofHours(1), r -> new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    r.run();
                }));
        // three calls arrive together: the first round serves them all, without a delay
        List<AuditJournal.Mark> first = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            first.add(journal.append(bytes("{\"first\":" + i + "}")));
        }
        start.countDown();
        for (AuditJournal.Mark m : first) {
            assertThat(m.await(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(journal.rounds()).isEqualTo(1);
        // now the writer waits (an hour at most) until a full round has gathered, then writes it at once
        List<AuditJournal.Mark> next = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            next.add(journal.append(bytes("{\"next\":" + i + "}")));
        }
        for (AuditJournal.Mark m : next) {
            assertThat(m.await(Duration.ofSeconds(5))).as("a full round is written without the rest of the delay")
                    .isTrue();
        }
        assertThat(journal.rounds()).as("256 records that arrived during the delay share one sync").isEqualTo(2);
        journal.close();
    }

    @Test
    void callsArrivingTogetherShareWriteRounds() throws Exception {
        AuditJournal journal = journal(AuditJournal.Sync.FSYNC);
        int threads = 32;
        int each = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                go.await();
                boolean all = true;
                for (int i = 0; i < each; i++) {
                    all &= journal.append(bytes("{\"t\":" + thread + ",\"i\":" + i + "}")).await(Duration.ofSeconds(10));
                }
                return all;
            }));
        }
        go.countDown();
        for (Future<Boolean> f : done) {
            assertThat(f.get()).as("every record written before its caller goes on").isTrue();
        }
        pool.shutdown();
        assertThat(journal.rounds()).as("one sync serves many records").isLessThan(threads * each);
        journal.close();

        List<byte[]> found = new AuditJournal(dir, AuditJournal.Sync.FSYNC, 64 * 1024, Duration.ZERO, Duration.ZERO, Thread::new).recover();
        assertThat(found).hasSize(threads * each);
    }

    @Test
    void aWriteCutByAKillEndsTheSegmentAndTheWholeRecordsBeforeItAreRecovered() throws IOException {
        Path segment = segmentWith("one", "two");
        // half a frame: a length that promises 100 bytes, a checksum, and 3 of the bytes
        Files.write(segment, new byte[] {0, 0, 0, 100, 1, 2, 3, 4, 'x', 'y', 'z'}, StandardOpenOption.APPEND);

        AuditJournal next = journal(AuditJournal.Sync.WRITE);
        assertThat(next.recover()).extracting(b -> new String(b, StandardCharsets.UTF_8)).containsExactly("one", "two");
        next.forget();
        assertThat(next.recover()).isEmpty();
        next.close();
    }

    @Test
    void aFrameWhoseChecksumDoesNotMatchIsNotRecovered() throws IOException {
        Path segment = segmentWith("kept", "bent");
        byte[] content = Files.readAllBytes(segment);
        content[content.length - 1] ^= 0x20; // "bent" becomes "benT" on disk
        Files.write(segment, content);

        assertThat(journal(AuditJournal.Sync.WRITE).recover()).extracting(b -> new String(b, StandardCharsets.UTF_8))
                .containsExactly("kept");
    }

    @Test
    void aFullSegmentIsClosedAndDeletedOnceItsRecordsAreDone() throws IOException {
        AuditJournal journal = journal(AuditJournal.Sync.WRITE);
        List<AuditJournal.Mark> marks = new ArrayList<>();
        byte[] record = new byte[1000];
        for (int i = 0; i < 200; i++) { // 200 KB: four segments of 64 KiB at least
            AuditJournal.Mark m = journal.append(record);
            assertThat(m.await(Duration.ofSeconds(5))).isTrue();
            marks.add(m);
        }
        long segments;
        try (var files = Files.list(dir)) {
            segments = files.count();
        }
        assertThat(segments).isGreaterThanOrEqualTo(4);
        marks.forEach(journal::done);
        try (var files = Files.list(dir)) {
            assertThat(files.count()).as("the open segment stays").isEqualTo(1);
        }
        journal.close();
    }

    @Test
    void aFinishedSegmentStaysForItsGraceBecauseTheDatabaseMayNotHaveWrittenItYet() throws IOException {
        AuditJournal journal = new AuditJournal(dir, AuditJournal.Sync.WRITE, 64 * 1024, Duration.ofHours(1), Duration.ZERO,
                Thread::new);
        List<AuditJournal.Mark> marks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            AuditJournal.Mark m = journal.append(new byte[1000]);
            assertThat(m.await(Duration.ofSeconds(5))).isTrue();
            marks.add(m);
        }
        marks.forEach(journal::done);
        journal.close();
        assertThat(journal(AuditJournal.Sync.WRITE).recover()).as("a kill now still finds every record").hasSize(200);
    }
}
