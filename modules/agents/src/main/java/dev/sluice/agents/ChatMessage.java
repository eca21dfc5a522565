package dev.sluice.agents;

import java.util.List;

/**
 * One message of a conversation with a model, provider-neutral.
 *
 * @param kind who speaks
 * @param text the text (a user's task, an assistant's words, a tool's result)
 * @param toolCalls the tool calls of an assistant message (empty otherwise)
 * @param toolCallId for a tool result: the id of the call it answers
 * @param error for a tool result: whether it reports a failure
 */
public record ChatMessage(Kind kind, String text, List<ToolCall> toolCalls, String toolCallId, boolean error) {
    public enum Kind { USER, ASSISTANT, TOOL_RESULT }

    public ChatMessage {
        toolCalls = List.copyOf(toolCalls == null ? List.of() : toolCalls);
    }

    public static ChatMessage user(String text) {
        return new ChatMessage(Kind.USER, text, List.of(), null, false);
    }

    public static ChatMessage assistant(String text, List<ToolCall> calls) {
        return new ChatMessage(Kind.ASSISTANT, text, calls, null, false);
    }

    public static ChatMessage toolResult(String callId, String text, boolean error) {
        return new ChatMessage(Kind.TOOL_RESULT, text, List.of(), callId, error);
    }
}
