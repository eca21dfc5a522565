package dev.sluice.observability;

import java.time.Instant;
import java.util.List;

/**
 * The audit trail: every call, allowed or refused, and every administrative action. Records are
 * written off the request path in small batches; {@link #flush()} waits for those queued so far.
 */
public interface AuditLog {

    void record(AuditEntry entry);

    /** Writes every record queued so far (tests and shutdown use it). */
    void flush();

    /**
     * Records newest first, each filter ignored when null.
     *
     * @param limit at most this many (capped at 1000)
     */
    List<AuditEntry> search(String subject, String server, String action, String outcome, Instant since, int limit);
}
