package dev.sluice.observability;

import java.time.Instant;

/**
 * The audit trail: every call, allowed or refused, and every administrative action. Records are
 * written off the request path in small batches; {@link #flush()} waits for those queued so far.
 */
public interface AuditLog {

    void record(AuditEntry entry);

    /**
     * Checks that a new call's record can be kept; called before the call runs.
     *
     * @throws dev.sluice.core.SluiceException {@code unavailable} when the database cannot be written, the
     *     on-disk spool is full and the policy ({@code sluice.audit.spool.when-full}) is to refuse calls
     */
    default void admit() {
    }

    /** How many records wait, in memory and in the spool, and how many were dropped. */
    default Backlog backlog() {
        return new Backlog(0, 0, 0, 0, 0);
    }

    /**
     * Records not in the database yet.
     *
     * @param queued in memory, written within a flush interval
     * @param spooled on disk, waiting for the database
     * @param spoolBytes the spool's size
     * @param spoolMaxBytes its bound
     * @param dropped records lost because the spool was full (policy {@code drop}) since this node started
     */
    record Backlog(long queued, long spooled, long spoolBytes, long spoolMaxBytes, long dropped) {
    }

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
