package dev.sluice.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * Where a federated name leads.
 *
 * @param server the upstream's catalog name
 * @param name the upstream's own name (tool, prompt) or URI (resource)
 * @param definition the entry as the upstream lists it (a tool's {@code inputSchema},
 *     {@code annotations}), or null when the name was routed without one (a resource URI matched
 *     by a template, say)
 */
public record Route(String server, String name, ObjectNode definition) {

    public Route(String server, String name) {
        this(server, name, null);
    }

    /** Two routes are equal when they lead to the same place, whatever definition they carry. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Route r && server.equals(r.server) && name.equals(r.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(server, name);
    }
}
