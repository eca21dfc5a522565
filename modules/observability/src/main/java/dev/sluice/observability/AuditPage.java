package dev.sluice.observability;

import java.util.List;

/**
 * One page of audit records, newest first.
 *
 * @param entries the records
 * @param next the cursor of the next page, or null when this is the last
 */
public record AuditPage(List<AuditEntry> entries, String next) {
}
