package dev.sluice.core;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The access policy of one upstream server, as the catalog states it: who may use it, what its
 * tools do, and the rules for them.
 *
 * @param allowedRoles roles that may use the server at all (empty: every role)
 * @param defaultMode the mode of tools the catalog does not list; null means "write unless the
 *     upstream marks the tool {@code readOnlyHint}"
 * @param access allow and deny rules for every tool of the server, checked after a tool's own
 * @param tools per-tool policy by the upstream's own tool name
 */
public record ServerPolicy(Set<String> allowedRoles, ToolMode defaultMode, List<AccessRule> access,
        Map<String, ToolPolicy> tools) {

    public static final ServerPolicy OPEN = new ServerPolicy(Set.of(), null, List.of(), Map.of());

    public ServerPolicy {
        allowedRoles = allowedRoles == null ? Set.of() : Set.copyOf(allowedRoles);
        access = access == null ? List.of() : List.copyOf(access);
        tools = tools == null ? Map.of() : Map.copyOf(tools);
    }

    /** The catalog's policy for a tool, {@link ToolPolicy#NONE} when it says nothing. */
    public ToolPolicy tool(String name) {
        return tools.getOrDefault(name, ToolPolicy.NONE);
    }
}
