package dev.sluice.core;

/** What a pipelined call does upstream; each kind is audited, counted and authorised alike. */
public enum CallKind {
    TOOL("tools/call"),
    RESOURCE("resources/read"),
    PROMPT("prompts/get"),
    /** A look at a task a tool call started (tasks extension of 2026-07-28): authorised as that tool. */
    TASK_GET("tasks/get"),
    /** The client's answers to what a task waits for: authorised as the tool that started it. */
    TASK_UPDATE("tasks/update"),
    /** The cancellation of a task: authorised as the tool that started it. */
    TASK_CANCEL("tasks/cancel");

    private final String method;

    CallKind(String method) {
        this.method = method;
    }

    /** The MCP method sent upstream. */
    public String method() {
        return method;
    }

    /**
     * What the call acts on, for authorisation, scopes and rate limits: a task's calls act on the
     * tool that started the task (their target is that tool's name), everything else on itself.
     */
    public CallKind actsOn() {
        return switch (this) {
            case TASK_GET, TASK_UPDATE, TASK_CANCEL -> TOOL;
            default -> this;
        };
    }

    /** The kind of a {@code tasks/*} method, if it is one Sluice passes through. */
    public static java.util.Optional<CallKind> ofTaskMethod(String method) {
        return switch (method) {
            case "tasks/get" -> java.util.Optional.of(TASK_GET);
            case "tasks/update" -> java.util.Optional.of(TASK_UPDATE);
            case "tasks/cancel" -> java.util.Optional.of(TASK_CANCEL);
            default -> java.util.Optional.empty();
        };
    }
}
