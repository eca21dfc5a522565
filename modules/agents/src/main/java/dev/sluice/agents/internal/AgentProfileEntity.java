package dev.sluice.agents.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code agent_profiles}. */
@Entity
@Table(name = "agent_profiles")
public class AgentProfileEntity {
    @Id
    @Column(name = "role_name")
    public String role;

    @Column(name = "purpose", nullable = false)
    public String purpose;

    @Column(name = "system_prompt", nullable = false)
    public String systemPrompt;

    @Column(name = "servers_csv", nullable = false)
    public String servers;

    @Column(name = "tools_csv", nullable = false)
    public String tools;

    @Column(name = "routine_model")
    public String routineModel;

    @Column(name = "reasoning_model")
    public String reasoningModel;

    @Column(name = "step_limit", nullable = false)
    public int stepLimit;

    @Column(name = "token_budget", nullable = false)
    public long tokenBudget;

    @Column(name = "enabled", nullable = false)
    public boolean enabled;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;
}
