package dev.sluice.agents.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code agent_runs}. */
@Entity
@Table(name = "agent_runs")
public class AgentRunEntity {
    @Id
    @Column(name = "id")
    public String id;

    @Column(name = "agent_role", nullable = false)
    public String role;

    @Column(name = "subject", nullable = false)
    public String subject;

    @Column(name = "organisation")
    public String organisation;

    @Column(name = "task", nullable = false)
    public String task;

    @Column(name = "task_category")
    public String category;

    @Column(name = "request_id")
    public String requestId;

    @Column(name = "status", nullable = false)
    public String status;

    @Column(name = "stop_reason")
    public String stopReason;

    @Column(name = "model")
    public String model;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "step_count", nullable = false)
    public int stepCount;

    @Column(name = "prompt_tokens", nullable = false)
    public long promptTokens;

    @Column(name = "cached_prompt_tokens", nullable = false)
    public long cachedPromptTokens;

    @Column(name = "completion_tokens", nullable = false)
    public long completionTokens;

    @Column(name = "answer")
    public String answer;

    @Column(name = "error")
    public String error;
}
