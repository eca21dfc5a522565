package dev.sluice.observability.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import dev.sluice.observability.AuditEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Audit records that could not be written to the database yet, on disk: one file per batch (JSON
 * lines, each with the record's id), named so that they sort oldest first, written to a temporary
 * name, forced to disk and then renamed, so that a file is either whole or absent. Bounded by
 * {@code maxBytes}. A file leaves the spool only after its records are in the database; the
 * record ids make a second write of the same file harmless.
 */
final class AuditSpool {
    private static final Logger LOG = Logger.getLogger(AuditSpool.class.getName());
    private static final String SUFFIX = ".jsonl";

    private final Path dir;
    private final long maxBytes;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();

    AuditSpool(Path dir, long maxBytes) {
        this.dir = dir.toAbsolutePath();
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(this.dir);
            try {
                // the records are redacted, but who called what is still nobody else's business
                Files.setPosixFilePermissions(this.dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException notPosix) {
                // the platform's defaults apply
            }
            try (Stream<Path> files = Files.list(this.dir)) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".part")) {
                        Files.deleteIfExists(f); // a write that never finished: its records were still in memory
                    } else if (name.endsWith(SUFFIX)) {
                        bytes.addAndGet(Files.size(f));
                        try (Stream<String> lines = Files.lines(f, StandardCharsets.UTF_8)) {
                            records.addAndGet(lines.filter(l -> !l.isBlank()).count());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the audit spool " + this.dir + " cannot be used: " + e.getMessage(), e);
        }
    }

    Path dir() {
        return dir;
    }

    boolean isEmpty() {
        return records.get() == 0;
    }

    long bytes() {
        return bytes.get();
    }

    long records() {
        return records.get();
    }

    long maxBytes() {
        return maxBytes;
    }

    /**
     * Adds a batch as one file.
     *
     * @return false when the spool has no room for it (nothing written)
     * @throws IOException when the disk refuses it
     */
    synchronized boolean append(List<PendingRecord> batch) throws IOException {
        StringBuilder text = new StringBuilder();
        for (PendingRecord p : batch) {
            text.append(Json.write(toJson(p))).append('\n');
        }
        byte[] data = text.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.get() + data.length > maxBytes) {
            return false;
        }
        String name = String.format("%013d-%09d", System.currentTimeMillis(), sequence.incrementAndGet() % 1_000_000_000);
        Path part = dir.resolve(name + ".part");
        Path done = dir.resolve(name + SUFFIX);
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        try {
            Files.move(part, done, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, done);
        }
        bytes.addAndGet(data.length);
        records.addAndGet(batch.size());
        return true;
    }

    /** The spool's files, oldest first. */
    List<Path> files() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The records of one file; a line that cannot be read is logged and skipped (it cannot be written either). */
    List<PendingRecord> read(Path file) throws IOException {
        List<PendingRecord> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(fromJson(Json.parse(line)));
            } catch (RuntimeException e) {
                LOG.severe("an unreadable line in audit spool file " + file + " was skipped: " + e.getMessage());
            }
        }
        return out;
    }

    /** Removes a file whose records are in the database. */
    synchronized void remove(Path file, int recordCount) throws IOException {
        long size = Files.size(file);
        Files.delete(file);
        bytes.addAndGet(-size);
        records.addAndGet(-recordCount);
    }

    /** A record as the journal and the spool keep it: one line of JSON, UTF-8. */
    static byte[] encode(PendingRecord p) {
        return Json.bytes(toJson(p));
    }

    static PendingRecord decode(byte[] bytes) {
        return fromJson(Json.parse(bytes));
    }

    private static ObjectNode toJson(PendingRecord p) {
        AuditEntry e = p.entry();
        ObjectNode o = Json.object().put("recordId", p.recordId()).put("nodeId", p.nodeId())
                .put("requestId", e.requestId()).put("occurredAt", e.occurredAt().toString())
                .put("entryNode", e.nodeId()).put("subject", e.subject()).put("role", e.role())
                .put("apiKeyId", e.apiKeyId()).put("organisation", e.organisation()).put("channel", e.channel())
                .put("action", e.action()).put("server", e.server()).put("target", e.target())
                .put("argumentDigest", e.argumentDigest()).put("argumentsRedacted", e.argumentsRedacted())
                .put("outcome", e.outcome()).put("errorType", e.errorType()).put("durationMicros", e.durationMicros())
                .put("cacheHit", e.cacheHit()).put("clientAddress", e.clientAddress());
        return o;
    }

    private static PendingRecord fromJson(JsonNode o) {
        AuditEntry e = new AuditEntry(text(o, "requestId"), Instant.parse(o.path("occurredAt").asText()),
                text(o, "entryNode"), text(o, "subject"), text(o, "role"), text(o, "apiKeyId"), text(o, "organisation"),
                text(o, "channel"), text(o, "action"), text(o, "server"), text(o, "target"), text(o, "argumentDigest"),
                text(o, "argumentsRedacted"), text(o, "outcome"), text(o, "errorType"), o.path("durationMicros").asLong(),
                o.path("cacheHit").asBoolean(), text(o, "clientAddress"));
        String recordId = text(o, "recordId");
        if (recordId == null) {
            throw new IllegalArgumentException("no recordId");
        }
        return new PendingRecord(recordId, text(o, "nodeId"), e);
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
