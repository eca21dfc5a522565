package dev.sluice.agents.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code token_usage}: one model call's tokens. */
@Entity
@Table(name = "token_usage")
public class TokenUsageEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public Instant occurredAt;
    public String provider;
    public String model;

    @Column(name = "agent_role")
    public String role;

    public String subject;
    public String organisation;

    @Column(name = "server_name")
    public String server;

    public String runId;
    public long promptTokens;
    public long cachedPromptTokens;
    public long completionTokens;
    public String countedBy;
}
