package dev.sluice.observability.internal;

import dev.sluice.observability.AuditEntry;

/**
 * An audit record on its way to the database, with the id it will have there (given when it is
 * recorded, so that writing it twice — after a lost commit acknowledgement, or from the spool after
 * a crash — stores it once), the node that recorded it, and where it is in the {@link AuditJournal}
 * (null without one).
 */
record PendingRecord(String recordId, String nodeId, AuditEntry entry, AuditJournal.Mark mark) {
    PendingRecord(String recordId, String nodeId, AuditEntry entry) {
        this(recordId, nodeId, entry, null);
    }

    /** The same record, at this place in the journal. */
    PendingRecord at(AuditJournal.Mark where) {
        return new PendingRecord(recordId, nodeId, entry, where);
    }
}
