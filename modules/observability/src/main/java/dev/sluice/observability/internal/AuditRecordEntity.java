package dev.sluice.observability.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code audit_records}. */
@Entity
@Table(name = "audit_records")
public class AuditRecordEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    Long id;

    @Column(name = "record_id", nullable = false, unique = true)
    String recordId;

    @Column(name = "request_id", nullable = false)
    String requestId;

    @Column(name = "occurred_at", nullable = false)
    Instant occurredAt;

    @Column(name = "node_id")
    String nodeId;

    @Column(name = "subject")
    String subject;

    @Column(name = "role_name")
    String role;

    @Column(name = "api_key_id")
    String apiKeyId;

    @Column(name = "organisation")
    String organisation;

    @Column(name = "channel", nullable = false)
    String channel;

    @Column(name = "action", nullable = false)
    String action;

    @Column(name = "server_name")
    String server;

    @Column(name = "target")
    String target;

    @Column(name = "argument_digest")
    String argumentDigest;

    @Column(name = "arguments_redacted")
    String argumentsRedacted;

    @Column(name = "outcome", nullable = false)
    String outcome;

    @Column(name = "error_type")
    String errorType;

    @Column(name = "duration_micros", nullable = false)
    long durationMicros;

    @Column(name = "cache_hit", nullable = false)
    boolean cacheHit;

    @Column(name = "client_address")
    String clientAddress;
}
