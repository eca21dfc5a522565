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
    public String id;

    @Column(name = "agent_role")
    public String role;

    public String subject;
    public String organisation;
    public String task;

    @Column(name = "task_category")
    public String category;

    public String requestId;
    public String status;
    public String stopReason;
    public String model;
    public Instant startedAt;
    public Instant finishedAt;
    public int stepCount;
    public long promptTokens;
    public long cachedPromptTokens;
    public long completionTokens;
    public String answer;
    public String error;
}
