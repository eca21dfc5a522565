package dev.sluice.agents.internal;

import dev.sluice.agents.AgentProfile;
import dev.sluice.agents.AgentProfiles;
import dev.sluice.agents.AgentRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Agent profiles in {@code agent_profiles} (seeded by the V2 migration, one row per role). */
@ApplicationScoped
@Transactional
public class JpaAgentProfiles implements AgentProfiles {

    @PersistenceContext(unitName = "sluice")
    EntityManager em;

    @Override
    public List<AgentProfile> all() {
        return em.createQuery("select p from AgentProfileEntity p", AgentProfileEntity.class).getResultList().stream()
                .map(JpaAgentProfiles::view)
                .sorted(Comparator.comparing(p -> p.role().ordinal()))
                .toList();
    }

    @Override
    public Optional<AgentProfile> find(AgentRole role) {
        return Optional.ofNullable(em.find(AgentProfileEntity.class, role.id())).map(JpaAgentProfiles::view);
    }

    @Override
    public AgentProfile save(AgentProfile profile, String actor) {
        AgentProfileEntity e = em.find(AgentProfileEntity.class, profile.role().id());
        if (e == null) {
            e = new AgentProfileEntity();
            e.role = profile.role().id();
            em.persist(e);
        }
        e.purpose = profile.purpose();
        e.systemPrompt = profile.systemPrompt();
        e.servers = String.join(",", profile.servers());
        e.tools = String.join(",", profile.tools());
        e.routineModel = profile.routineModel();
        e.reasoningModel = profile.reasoningModel();
        e.stepLimit = profile.stepLimit();
        e.tokenBudget = profile.tokenBudget();
        e.enabled = profile.enabled();
        e.updatedAt = Instant.now();
        e.updatedBy = actor;
        return view(e);
    }

    static AgentProfile view(AgentProfileEntity e) {
        return new AgentProfile(AgentRole.fromId(e.role), e.purpose, e.systemPrompt, csv(e.servers), csv(e.tools),
                e.routineModel, e.reasoningModel, e.stepLimit, e.tokenBudget, e.enabled);
    }

    private static List<String> csv(String s) {
        return s == null || s.isBlank() ? List.of()
                : Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }
}
