package dev.sluice.agents;

import java.util.List;

/**
 * A model's answer to one call.
 *
 * @param text its words (may be empty when it only asks for tools)
 * @param toolCalls the tools it asks for; empty for a final answer
 * @param usage the tokens the provider reported, or null when its answer had no usage
 * @param stopReason the provider's own stop reason ({@code stop}, {@code tool_calls}, {@code end_turn} …)
 */
public record ModelReply(String text, List<ToolCall> toolCalls, TokenCount usage, String stopReason) {
    public ModelReply {
        text = text == null ? "" : text;
        toolCalls = List.copyOf(toolCalls == null ? List.of() : toolCalls);
    }
}
