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

    public String purpose;
    public String systemPrompt;

    @Column(name = "servers_csv")
    public String servers;

    @Column(name = "tools_csv")
    public String tools;

    public String routineModel;
    public String reasoningModel;
    public int stepLimit;
    public long tokenBudget;
    public boolean enabled;
    public Instant updatedAt;
    public String updatedBy;
}
