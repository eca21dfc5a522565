package dev.sluice.agents.internal;

import dev.sluice.agents.AgentRole;
import dev.sluice.agents.AgentRun;
import dev.sluice.agents.RunStep;
import dev.sluice.agents.TaskCategory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Runs and their steps in {@code agent_runs} and {@code agent_run_steps}. Each write is its own short
 * transaction, so a run's progress is readable (from any node) while it goes on, and a model call never
 * holds a database transaction open.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class RunStore {

    @PersistenceContext(unitName = "sluice")
    EntityManager em;

    public void create(AgentRunEntity run) {
        em.persist(run);
    }

    public void addStep(AgentRunStepEntity step) {
        em.persist(step);
        AgentRunEntity run = em.find(AgentRunEntity.class, step.runId);
        run.stepCount = Math.max(run.stepCount, step.seq);
        run.promptTokens += step.promptTokens == null ? 0 : step.promptTokens;
        run.completionTokens += step.completionTokens == null ? 0 : step.completionTokens;
        run.cachedPromptTokens += step.cachedPromptTokens == null ? 0 : step.cachedPromptTokens;
    }

    public void finish(String runId, String status, String stopReason, String answer, String error) {
        AgentRunEntity run = em.find(AgentRunEntity.class, runId);
        run.status = status;
        run.stopReason = stopReason;
        run.answer = answer;
        run.error = error;
        run.finishedAt = Instant.now();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<AgentRun> find(String id) {
        AgentRunEntity run = em.find(AgentRunEntity.class, id);
        if (run == null) {
            return Optional.empty();
        }
        List<RunStep> steps = em.createQuery("select s from AgentRunStepEntity s where s.runId = :id order by s.seq",
                AgentRunStepEntity.class).setParameter("id", id).getResultList().stream().map(RunStore::view).toList();
        return Optional.of(view(run, steps));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AgentRun> list(String subject, AgentRole role, int limit) {
        StringBuilder q = new StringBuilder("select r from AgentRunEntity r where 1 = 1");
        if (subject != null) {
            q.append(" and r.subject = :subject");
        }
        if (role != null) {
            q.append(" and r.role = :role");
        }
        q.append(" order by r.startedAt desc");
        var query = em.createQuery(q.toString(), AgentRunEntity.class).setMaxResults(limit);
        if (subject != null) {
            query.setParameter("subject", subject);
        }
        if (role != null) {
            query.setParameter("role", role.id());
        }
        return query.getResultList().stream().map(r -> view(r, List.of())).toList();
    }

    /** The subject a run belongs to, or null when there is no such run. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public String subjectOf(String id) {
        AgentRunEntity run = em.find(AgentRunEntity.class, id);
        return run == null ? null : run.subject;
    }

    static AgentRun view(AgentRunEntity r, List<RunStep> steps) {
        return new AgentRun(r.id, AgentRole.fromId(r.role), r.subject, r.task,
                r.category == null ? null : TaskCategory.fromId(r.category), r.model, r.status, r.stopReason,
                r.startedAt, r.finishedAt, r.promptTokens, r.completionTokens, r.cachedPromptTokens, r.answer, r.error, steps);
    }

    static RunStep view(AgentRunStepEntity s) {
        return new RunStep(s.seq, s.kind, s.startedAt, s.durationMicros, s.model, s.server, s.tool, s.promptTokens,
                s.completionTokens, s.cachedPromptTokens, s.outcome, s.detail);
    }
}
