package dev.sluice.observability.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The audit trail's write-ahead journal: a call's record is on disk before the call's answer leaves,
 * so that a node killed at any moment has a record of every call it answered.
 *
 * <p>{@link #append} adds a record (its bytes framed with their length and a CRC-32C) to what waits
 * for the disk and returns a {@link Mark}; {@link Mark#await} returns once it is written. One writer
 * thread writes everything that gathered since its last round with one {@code write} and, with
 * {@link Sync#FSYNC}, one {@code fsync} (group commit): however many calls arrive together, each pays
 * for its own bytes and shares the sync. When the last round served more than one call (calls arrive
 * together), the writer first waits up to a commit delay for more to gather, as PostgreSQL's
 * {@code commit_delay} does: a sync costs the same for one record as for fifty, and a lone caller never
 * waits. Records go to numbered segment files; a segment is deleted
 * once it is closed, each of its records reached the database or the spool ({@link #done}), and a
 * grace period passed (the database's own disk may lag its acknowledgement). A node
 * that starts with segments left {@link #recover recovers} their records, which the caller stores
 * again (record ids make a second copy harmless); a torn last frame (a write the kill cut) ends a
 * segment's reading.
 */
final class AuditJournal implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AuditJournal.class.getName());
    private static final String PREFIX = "journal-";
    private static final String SUFFIX = ".log";

    /** How far a record goes before its call answers. */
    enum Sync {
        /** written and forced to the device: survives a power cut. */
        FSYNC,
        /** written to the operating system: survives the process being killed, not the machine failing. */
        WRITE
    }

    private final Path dir;
    private final Sync sync;
    private final long segmentBytes;
    private final long graceNanos;
    private final long commitDelayNanos;
    /** A round that gathered this many records is written without waiting for more. */
    private static final int FULL_ROUND = 256;
    /** The largest write buffer kept for the next round. */
    private static final int MAX_SPARE = 1 << 20;
    /** How many records the last round took. */
    private int lastRound;
    /** What the writer waits for, under the lock: appends wake it only when it waits for them. */
    private Waiting waiting = Waiting.NOTHING;

    private enum Waiting { NOTHING, ANY_RECORD, FULL_ROUND }
    /** Closed segments whose records are all stored, deleted once their grace is over. */
    private final ConcurrentLinkedQueue<Segment> finished = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition gathered = lock.newCondition();
    private Frames pending = new Frames();
    /** The buffer of the round before last, emptied, for the next swap (the writer thread's alone). */
    private Frames spare;
    private Batch open = new Batch();
    private boolean closed;
    private final Thread writer;
    private final AtomicLong rounds = new AtomicLong();
    private volatile IOException failure;

    private Segment segment;
    private long nextSegment;

    /**
     * @param grace how long a closed segment stays after its last record was stored: a database may
     *     acknowledge a commit before its own disk has it (embedded H2 writes within half a second), and
     *     the journal must outlive that
     * @param commitDelay how long a round waits for more records when calls arrive together (zero: never)
     */
    AuditJournal(Path dir, Sync sync, long segmentBytes, Duration grace, Duration commitDelay, ThreadFactory threads) {
        this.dir = dir.toAbsolutePath();
        this.commitDelayNanos = sync == Sync.FSYNC ? Math.max(0, commitDelay.toNanos()) : 0;
        this.sync = sync;
        this.segmentBytes = Math.max(64 * 1024, segmentBytes);
        this.graceNanos = grace.toNanos();
        try {
            Files.createDirectories(this.dir);
            try {
                Files.setPosixFilePermissions(this.dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException notPosix) {
                // the platform's defaults apply
            }
            nextSegment = segments().stream().mapToLong(AuditJournal::number).max().orElse(0) + 1;
        } catch (IOException e) {
            throw new UncheckedIOException("the audit journal " + this.dir + " cannot be opened", e);
        }
        writer = threads.newThread(this::writeLoop);
        writer.setName("sluice-audit-journal");
        writer.setDaemon(true);
        writer.start();
    }

    Path dir() {
        return dir;
    }

    /** Write rounds so far (each one write and, with {@link Sync#FSYNC}, one sync for every record it took). */
    long rounds() {
        return rounds.get();
    }

    /** The last write failure, while the journal cannot be written; null when it can. */
    IOException failure() {
        return failure;
    }

    /** Adds a record's bytes; {@link Mark#await} says when they are on disk. */
    Mark append(byte[] record) {
        CRC32C crc = new CRC32C();
        crc.update(record);
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the audit journal is closed");
            }
            writeInt(pending, record.length);
            writeInt(pending, (int) crc.getValue());
            pending.write(record, 0, record.length);
            open.count++;
            // a wake-up costs a system call and a context switch: only when the writer waits for this one
            if (waiting == Waiting.ANY_RECORD || waiting == Waiting.FULL_ROUND && open.count >= FULL_ROUND) {
                waiting = Waiting.NOTHING;
                gathered.signal();
            }
            return new Mark(open);
        } finally {
            lock.unlock();
        }
    }

    /** The records of a previous run's segments, oldest first, for storing again; then {@link #forget} them. */
    List<byte[]> recover() throws IOException {
        List<byte[]> records = new ArrayList<>();
        for (Path file : segments()) {
            if (segment != null && file.equals(segment.file)) {
                continue;
            }
            readSegment(file, records);
        }
        return records;
    }

    /** Deletes a previous run's segments once their records are stored elsewhere. */
    void forget() throws IOException {
        for (Path file : segments()) {
            if (segment == null || !file.equals(segment.file)) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Says that a record of this mark's round reached the database or the spool. */
    void done(Mark mark) {
        Segment s = mark.batch.segment;
        if (s != null && s.outstanding.decrementAndGet() == 0 && s.closed) {
            finish(s);
        }
    }

    private void finish(Segment s) {
        if (s.finished.compareAndSet(false, true)) {
            finished.add(s);
            sweep();
        }
    }

    /** Deletes the finished segments whose grace is over. */
    private void sweep() {
        long now = System.nanoTime();
        for (Segment s : finished) {
            if (now - s.closedAt >= graceNanos && finished.remove(s)) {
                delete(s);
            }
        }
    }

    private void writeLoop() {
        while (true) {
            Frames bytes;
            Batch batch;
            lock.lock();
            try {
                while (pending.size() == 0 && !closed) {
                    waiting = Waiting.ANY_RECORD;
                    gathered.awaitUninterruptibly();
                }
                if (pending.size() == 0) {
                    return;
                }
                if (commitDelayNanos > 0 && lastRound > 1) {
                    // calls arrive together: let more of them share this round's sync
                    long left = commitDelayNanos;
                    while (left > 0 && open.count < FULL_ROUND && !closed) {
                        waiting = Waiting.FULL_ROUND;
                        try {
                            left = gathered.awaitNanos(left);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                }
                waiting = Waiting.NOTHING;
                lastRound = open.count;
                bytes = pending;
                batch = open;
                pending = spare != null ? spare : new Frames();
                spare = null;
                open = new Batch();
            } finally {
                lock.unlock();
            }
            sweep();
            try {
                Segment target = segment(bytes.size());
                ByteBuffer buffer = bytes.view();
                while (buffer.hasRemaining()) {
                    target.channel.write(buffer);
                }
                if (sync == Sync.FSYNC) {
                    target.channel.force(false);
                }
                target.bytes += bytes.size();
                bytes.reset();
                spare = bytes.capacity() <= MAX_SPARE ? bytes : null; // a burst's large buffer is not kept
                target.outstanding.addAndGet(batch.count);
                batch.segment = target;
                rounds.incrementAndGet();
                if (failure != null) {
                    LOG.info("the audit journal " + dir + " is written again");
                    failure = null;
                }
                batch.written.complete(null);
            } catch (IOException | RuntimeException e) {
                IOException io = e instanceof IOException x ? x : new IOException(e);
                if (failure == null) {
                    LOG.log(Level.SEVERE, "the audit journal " + dir + " cannot be written: " + e.getMessage());
                }
                failure = io;
                closeSegment(); // the next round starts a fresh segment
                batch.written.completeExceptionally(io);
            }
        }
    }

    /** The segment the next round goes to: the open one, or a new one when it is full. */
    private Segment segment(int adding) throws IOException {
        if (segment != null && segment.bytes > 0 && segment.bytes + adding > segmentBytes) {
            closeSegment();
        }
        if (segment == null) {
            Path file = dir.resolve(PREFIX + String.format("%019d", nextSegment++) + SUFFIX);
            segment = new Segment(file, FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            if (sync == Sync.FSYNC) {
                try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                    d.force(true); // the new file's name is durable too
                } catch (IOException | UnsupportedOperationException notSupported) {
                    // some platforms cannot open directories; the file's own sync still covers its data
                }
            }
        }
        return segment;
    }

    private void closeSegment() {
        Segment s = segment;
        segment = null;
        if (s == null) {
            return;
        }
        try {
            s.channel.close();
        } catch (IOException e) {
            LOG.fine(() -> "closing " + s.file + ": " + e.getMessage());
        }
        s.closedAt = System.nanoTime();
        s.closed = true;
        if (s.outstanding.get() == 0) {
            finish(s);
        }
    }

    private void delete(Segment s) {
        if (s.deleted.compareAndSet(false, true)) {
            try {
                Files.deleteIfExists(s.file);
            } catch (IOException e) {
                LOG.warning("the audit journal segment " + s.file + " could not be deleted: " + e.getMessage());
            }
        }
    }

    /** Stops the writer once what is pending is written; segments stay while a record in them is not done. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            gathered.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeSegment(); // deleted when every record in it is stored and its grace is over, else kept for the next start
        sweep();
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith(PREFIX) && n.endsWith(SUFFIX);
            }).sorted().toList();
        }
    }

    private static long number(Path file) {
        String n = file.getFileName().toString();
        try {
            return Long.parseLong(n.substring(PREFIX.length(), n.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Reads a segment's whole frames; a short or corrupt frame (the tail of a write that was cut) ends it. */
    static void readSegment(Path file, List<byte[]> into) throws IOException {
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(
                new BufferedInputStream(raw, 64 * 1024))) {
            while (true) {
                int length;
                int crc;
                try {
                    length = in.readInt();
                    crc = in.readInt();
                } catch (EOFException end) {
                    return;
                }
                if (length <= 0 || length > 16 << 20) {
                    LOG.warning("audit journal " + file.getFileName() + ": a frame of " + length + " bytes ends it");
                    return;
                }
                byte[] record = new byte[length];
                try {
                    in.readFully(record);
                } catch (EOFException torn) {
                    return; // the last write did not finish: its call never answered
                }
                CRC32C check = new CRC32C();
                check.update(record);
                if ((int) check.getValue() != crc) {
                    LOG.warning("audit journal " + file.getFileName() + ": a frame whose checksum does not match ends it");
                    return;
                }
                into.add(record);
            }
        }
    }

    /** What waits for the disk: frames in a growing array, written from the array itself (no copy). */
    private static final class Frames extends ByteArrayOutputStream {
        Frames() {
            super(64 * 1024);
        }

        ByteBuffer view() {
            return ByteBuffer.wrap(buf, 0, count);
        }

        int capacity() {
            return buf.length;
        }
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    /** The records one round writes together. */
    private static final class Batch {
        final CompletableFuture<Void> written = new CompletableFuture<>();
        int count;
        volatile Segment segment;
    }

    private static final class Segment {
        final Path file;
        final FileChannel channel;
        final AtomicInteger outstanding = new AtomicInteger();
        final AtomicBoolean deleted = new AtomicBoolean();
        final AtomicBoolean finished = new AtomicBoolean();
        long bytes;
        volatile long closedAt;
        volatile boolean closed;

        Segment(Path file, FileChannel channel) {
            this.file = file;
            this.channel = channel;
        }
    }

    /** Where a record is in the journal: wait for it to be written, say when it is stored elsewhere. */
    static final class Mark {
        private final Batch batch;

        private Mark(Batch batch) {
            this.batch = batch;
        }

        /**
         * Waits until the record is written.
         *
         * @return false when it could not be written (the journal's failure says why) or took longer than {@code max}
         */
        boolean await(Duration max) {
            try {
                batch.written.get(max.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (ExecutionException | TimeoutException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
