package dev.sluice.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * What a call produced: the upstream's MCP result object, untouched. A tool that failed is still a
 * result ({@code isError: true}); a protocol failure is a {@link SluiceException} instead.
 *
 * @param result the MCP result ({@code CallToolResult}, {@code ReadResourceResult}, {@code GetPromptResult})
 * @param cached whether the cache answered instead of the upstream
 */
public record CallResult(ObjectNode result, boolean cached) {
    public CallResult {
        Objects.requireNonNull(result, "result");
    }

    public static CallResult of(ObjectNode result) {
        return new CallResult(result, false);
    }

    /** Whether a tool reported failure ({@code isError: true}). */
    public boolean isToolError() {
        return result.path("isError").asBoolean(false);
    }

    /** Whether the upstream started a task instead of answering (a CreateTaskResult, tasks extension). */
    public boolean isTask() {
        return "task".equals(result.path("resultType").asText());
    }
}
