package dev.sluice.agents;

import dev.sluice.core.Caller;
import java.util.List;
import java.util.Optional;

/** Runs agents and keeps their runs. */
public interface AgentRuns {
    /**
     * Runs a task to its end (an answer, the step limit, a budget) and answers the stored run.
     *
     * @throws dev.sluice.core.SluiceException {@code unknown-agent} for a disabled role,
     *     {@code token-budget-exceeded} when a monthly budget is already spent (nothing runs),
     *     {@code invalid-params} for an empty task or a model that is not configured
     */
    AgentRun run(AgentRole role, String task, TaskCategory category, Caller caller, String requestId);

    /**
     * Starts a run and answers at once with it (status {@code running}); it goes on in the background,
     * and its steps can be read as they are stored. The same checks as {@link #run} come first.
     */
    AgentRun start(AgentRole role, String task, TaskCategory category, Caller caller, String requestId);

    /** A run with its steps; runs of other subjects only for administrators. */
    Optional<AgentRun> find(String id, Caller caller);

    /** The newest runs first (the caller's own, or everyone's for administrators), without steps. */
    List<AgentRun> list(Caller caller, AgentRole role, int limit);
}
