package dev.sluice.agents;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A tool as a model sees it: its federated name, a description and the JSON Schema of its input. */
public record ToolSpec(String name, String description, ObjectNode inputSchema) {
}
