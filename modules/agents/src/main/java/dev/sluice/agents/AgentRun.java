package dev.sluice.agents;

import java.time.Instant;
import java.util.List;

/**
 * A task one agent ran (or is running) for a user.
 *
 * @param id the run's id
 * @param role the role
 * @param subject who asked (the run acted with their rights)
 * @param task the task as given
 * @param category routine or reasoning
 * @param model the {@code provider:model} it used
 * @param status {@code running}, {@code completed}, {@code stopped} (a limit ended it) or {@code failed}
 * @param stopReason {@code answer}, {@code step-limit}, {@code token-budget}, {@code monthly-budget} or
 *     {@code model-error}
 * @param startedAt when it started
 * @param finishedAt when it ended, or null
 * @param promptTokens prompt tokens of all its model calls
 * @param completionTokens completion tokens of all its model calls
 * @param cachedPromptTokens of its prompt tokens, those the provider read from its prompt cache
 * @param answer the final answer, or null
 * @param error why it failed, or null
 * @param steps its steps in order (empty in listings)
 */
public record AgentRun(String id, AgentRole role, String subject, String task, TaskCategory category, String model,
        String status, String stopReason, Instant startedAt, Instant finishedAt, long promptTokens,
        long completionTokens, long cachedPromptTokens, String answer, String error, List<RunStep> steps) {
    public AgentRun {
        steps = List.copyOf(steps == null ? List.of() : steps);
    }
}
