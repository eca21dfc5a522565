package dev.sluice.observability;

import java.time.Instant;

/**
 * What to look for in the audit trail; every filter is optional (null).
 *
 * @param subject who
 * @param server the upstream server
 * @param target the tool, prompt or resource (or an admin action's object)
 * @param action {@code tools/call}, {@code authenticate}, {@code api-keys/create} …
 * @param outcome {@code ok}, {@code denied}, {@code invalid} …
 * @param since at or after this instant
 * @param until before this instant
 * @param cursor where the previous page ended ({@link AuditPage#next()}), or null for the first page
 * @param limit at most this many records (1 to {@link #MAX_LIMIT})
 */
public record AuditQuery(String subject, String server, String target, String action, String outcome, Instant since,
        Instant until, String cursor, int limit) {
    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        limit = Math.max(1, Math.min(limit, MAX_LIMIT));
    }

    /** The same query for the page after {@code cursor}. */
    public AuditQuery after(String next) {
        return new AuditQuery(subject, server, target, action, outcome, since, until, next, limit);
    }
}
