package dev.sluice.agents;

import java.util.List;
import java.util.Objects;

/**
 * What an agent of one role is and may do.
 *
 * @param role the data role
 * @param purpose one line on what the role is for
 * @param systemPrompt the system prompt every run of the role starts with
 * @param servers the catalog servers its tools come from (its preferred servers)
 * @param tools glob patterns over federated tool names ({@code postgres__list_*}): the role's tool
 *     subset, a virtual server of its own; a tool must match one to be offered or called
 * @param routineModel {@code provider:model} for routine tasks, or null for the configured default
 * @param reasoningModel {@code provider:model} for reasoning tasks, or null for the configured default
 * @param stepLimit the most model calls one run may make
 * @param tokenBudget the most tokens (prompt and completion) one run may use
 * @param enabled whether runs may start
 */
public record AgentProfile(AgentRole role, String purpose, String systemPrompt, List<String> servers,
        List<String> tools, String routineModel, String reasoningModel, int stepLimit, long tokenBudget,
        boolean enabled) {

    public AgentProfile {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(systemPrompt, "systemPrompt");
        purpose = purpose == null ? role.purpose() : purpose;
        servers = List.copyOf(servers == null ? List.of() : servers);
        tools = List.copyOf(tools == null ? List.of() : tools);
    }

    /** The model this profile names for a category, or null when it leaves it to configuration. */
    public String model(TaskCategory category) {
        return category == TaskCategory.ROUTINE ? routineModel : reasoningModel;
    }
}
