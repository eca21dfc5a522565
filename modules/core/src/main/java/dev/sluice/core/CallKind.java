package dev.sluice.core;

/** What a pipelined call does upstream; each kind is audited, counted and authorised alike. */
public enum CallKind {
    TOOL("tools/call"),
    RESOURCE("resources/read"),
    PROMPT("prompts/get");

    private final String method;

    CallKind(String method) {
        this.method = method;
    }

    /** The MCP method sent upstream. */
    public String method() {
        return method;
    }
}
