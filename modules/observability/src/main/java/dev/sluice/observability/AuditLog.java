package dev.sluice.observability;

import java.time.Instant;

/**
 * The audit trail: every call, allowed or refused, and every administrative action. Records are
 * written off the request path in small batches; {@link #flush()} waits for those queued so far.
 */
public interface AuditLog {

    void record(AuditEntry entry);

    /** Writes every record queued so far (tests and shutdown use it). */
    void flush();

    /**
     * Records newest first, a page at a time.
     *
     * @throws IllegalArgumentException when the query's cursor is not one this log gave out
     */
    AuditPage search(AuditQuery query);

    /**
     * Deletes the records older than {@code before} (the retention job).
     *
     * @return how many were deleted
     */
    long deleteBefore(Instant before);
}
