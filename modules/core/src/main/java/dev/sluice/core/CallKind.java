package dev.sluice.core;

import java.util.Optional;

/**
 * What a pipelined call does upstream. Every kind is observed (metrics, call log, audit), authorised,
 * rate-limited and masked alike; argument validation and the result cache apply to tool calls only.
 */
public enum CallKind {
    TOOL("tools/call", null),
    RESOURCE("resources/read", null),
    PROMPT("prompts/get", null),
    /** Completion of a prompt's argument: decided as a use of the prompt. */
    PROMPT_COMPLETION("completion/complete", PROMPT),
    /** Completion of a resource template's argument: decided as a use of the resource. */
    RESOURCE_COMPLETION("completion/complete", RESOURCE),
    /** A subscription to a resource's updates: decided as a read of the resource. */
    SUBSCRIBE("resources/subscribe", RESOURCE),
    /** The end of a subscription: decided as a read of the resource. */
    UNSUBSCRIBE("resources/unsubscribe", RESOURCE),
    /** A session's log level passed to an upstream: a use of the server, not of one of its tools. */
    LOG_LEVEL("logging/setLevel", null),
    /** A look at a task a tool call started (tasks extension of 2026-07-28): decided as that tool's call. */
    TASK_GET("tasks/get", TOOL),
    /** The client's answers to what a task waits for: decided as a call of the tool that started it. */
    TASK_UPDATE("tasks/update", TOOL),
    /** The cancellation of a task: decided as a call of the tool that started it. */
    TASK_CANCEL("tasks/cancel", TOOL);

    private final String method;
    private final CallKind actsOn;

    CallKind(String method, CallKind actsOn) {
        this.method = method;
        this.actsOn = actsOn;
    }

    /** The MCP method sent upstream. */
    public String method() {
        return method;
    }

    /**
     * What the call acts on, for authorisation and scopes: the tool, prompt or resource kind whose
     * rules decide it (a task's calls are decided as the tool that started the task, a completion
     * as its prompt or resource, a subscription as a read); {@link #LOG_LEVEL} acts on its server.
     */
    public CallKind actsOn() {
        return actsOn == null ? this : actsOn;
    }

    /** The kind of a {@code tasks/*} method, if it is one Sluice passes through. */
    public static Optional<CallKind> ofTaskMethod(String method) {
        return switch (method) {
            case "tasks/get" -> Optional.of(TASK_GET);
            case "tasks/update" -> Optional.of(TASK_UPDATE);
            case "tasks/cancel" -> Optional.of(TASK_CANCEL);
            default -> Optional.empty();
        };
    }
}
