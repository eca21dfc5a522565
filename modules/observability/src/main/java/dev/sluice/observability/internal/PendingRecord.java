package dev.sluice.observability.internal;

import dev.sluice.observability.AuditEntry;

/**
 * An audit record on its way to the database, with the id it will have there (given when it is
 * recorded, so that writing it twice — after a lost commit acknowledgement, or from the spool after
 * a crash — stores it once) and the node that recorded it.
 */
record PendingRecord(String recordId, String nodeId, AuditEntry entry) {
}
