package dev.sluice.agents;

import java.util.List;

/**
 * One model call.
 *
 * @param model the provider's model name (without the {@code provider:} prefix)
 * @param system the system prompt
 * @param messages the conversation so far
 * @param tools the tools the model may ask for
 * @param maxTokens the most completion tokens to ask for
 */
public record ModelRequest(String model, String system, List<ChatMessage> messages, List<ToolSpec> tools,
        int maxTokens) {
    public ModelRequest {
        messages = List.copyOf(messages);
        tools = List.copyOf(tools == null ? List.of() : tools);
    }
}
