package dev.sluice.agents;

import java.util.List;
import java.util.Optional;

/** The stored agent profiles, one per role. */
public interface AgentProfiles {
    List<AgentProfile> all();

    Optional<AgentProfile> find(AgentRole role);

    /** Replaces a role's profile; {@code actor} is recorded as who changed it. */
    AgentProfile save(AgentProfile profile, String actor);
}
