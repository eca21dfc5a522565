package dev.sluice.agents;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A tool call a model asked for.
 *
 * @param id the provider's id of the call, quoted back with its result
 * @param name the federated tool name
 * @param arguments the arguments; an empty object when the model's were not a JSON object
 * @param malformed what was wrong with the arguments the model sent (not JSON), or null
 */
public record ToolCall(String id, String name, ObjectNode arguments, String malformed) {
}
