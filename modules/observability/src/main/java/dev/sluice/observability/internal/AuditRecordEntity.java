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
    Long id;

    String recordId;
    String requestId;
    Instant occurredAt;
    String nodeId;
    String subject;

    @Column(name = "role_name")
    String role;

    String apiKeyId;
    String organisation;
    String channel;
    String action;

    @Column(name = "server_name")
    String server;

    String target;
    String argumentDigest;
    String argumentsRedacted;
    String outcome;
    String errorType;
    long durationMicros;
    boolean cacheHit;
    String clientAddress;
}
