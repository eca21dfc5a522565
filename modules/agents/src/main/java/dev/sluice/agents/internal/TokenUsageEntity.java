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
    @Column(name = "id")
    public Long id;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(name = "provider", nullable = false)
    public String provider;

    @Column(name = "model", nullable = false)
    public String model;

    @Column(name = "agent_role")
    public String role;

    @Column(name = "subject")
    public String subject;

    @Column(name = "organisation")
    public String organisation;

    @Column(name = "server_name")
    public String server;

    @Column(name = "run_id")
    public String runId;

    @Column(name = "prompt_tokens", nullable = false)
    public long promptTokens;

    @Column(name = "cached_prompt_tokens", nullable = false)
    public long cachedPromptTokens;

    @Column(name = "completion_tokens", nullable = false)
    public long completionTokens;

    @Column(name = "counted_by", nullable = false)
    public String countedBy;
}
