package dev.sluice.observability.internal;

import jakarta.enterprise.context.Dependent;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperties;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The observability module's configuration, {@code sluice.audit.*}, {@code sluice.logs.*} and
 * {@code sluice.observability.*}, with their defaults in one place (injected with
 * {@code @Inject @ConfigProperties ObservabilitySettings}); the reference is
 * {@code src-docs/reference/configuration.md}.
 */
@Dependent
@ConfigProperties(prefix = "sluice")
public class ObservabilitySettings {
    // the audit trail: the queue before the database, the spool behind it, how long rows are kept
    @ConfigProperty(name = "audit.queue-size", defaultValue = "10000") int auditQueueSize;
    @ConfigProperty(name = "audit.flush-interval-ms", defaultValue = "250") long auditFlushIntervalMs;
    @ConfigProperty(name = "audit.retry-interval", defaultValue = "PT2S") Duration auditRetryInterval;
    @ConfigProperty(name = "audit.spool.dir", defaultValue = "audit-spool") String auditSpoolDir;
    @ConfigProperty(name = "audit.spool.max-bytes", defaultValue = "268435456") long auditSpoolMaxBytes;
    @ConfigProperty(name = "audit.spool.when-full", defaultValue = "refuse") String auditSpoolWhenFull;
    @ConfigProperty(name = "audit.retention", defaultValue = "P365D") Duration auditRetention;

    // the journal: where a record is before its call answers (fsync, write: to the OS only, off), and for how long a call waits
    @ConfigProperty(name = "audit.journal.sync", defaultValue = "fsync") String auditJournalSync;
    @ConfigProperty(name = "audit.journal.dir", defaultValue = "audit-journal") String auditJournalDir;
    @ConfigProperty(name = "audit.journal.segment-bytes", defaultValue = "16777216") long auditJournalSegmentBytes;
    @ConfigProperty(name = "audit.journal.max-wait", defaultValue = "PT5S") Duration auditJournalMaxWait;
    @ConfigProperty(name = "audit.journal.commit-delay", defaultValue = "PT0.001S") Duration auditJournalCommitDelay;
    @ConfigProperty(name = "audit.retention-check-interval", defaultValue = "PT1H") Duration auditRetentionCheck;

    // the call log's files: where, and how long they are kept
    @ConfigProperty(name = "logs.dir", defaultValue = "logs") String logsDir;
    @ConfigProperty(name = "logs.retention", defaultValue = "P90D") Duration logsRetention;
    @ConfigProperty(name = "logs.retention-check-interval", defaultValue = "PT1H") Duration logsRetentionCheck;

    // this node in the node directory: its id (else host and port) and how often it says it is alive
    @ConfigProperty(name = "observability.node-id") Optional<String> nodeId;
    @ConfigProperty(name = "observability.node-heartbeat", defaultValue = "PT30S") Duration nodeHeartbeat;
}
