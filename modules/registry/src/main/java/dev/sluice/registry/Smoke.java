package dev.sluice.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import java.util.Objects;

/**
 * A server's documented smoke call: one tool call that shows the server works against its backing
 * service, run by the catalog verification.
 *
 * @param tool the upstream's own tool name
 * @param arguments its arguments
 * @param expect text the answer must contain, or null (any answer that is not an error will do)
 */
public record Smoke(String tool, ObjectNode arguments, String expect) {
    public Smoke {
        Objects.requireNonNull(tool, "tool");
        arguments = arguments == null ? Json.object() : arguments.deepCopy();
    }
}
