package dev.sluice.core;

import com.fasterxml.jackson.databind.JsonNode;
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
 * @param cache the cache policy of the server's tools (each tool's own policy wins field by field)
 */
public record ServerPolicy(Set<String> allowedRoles, ToolMode defaultMode, List<AccessRule> access,
        Map<String, ToolPolicy> tools, CachePolicy cache) {

    public static final ServerPolicy OPEN = new ServerPolicy(Set.of(), null, List.of(), Map.of());

    public ServerPolicy {
        allowedRoles = allowedRoles == null ? Set.of() : Set.copyOf(allowedRoles);
        access = access == null ? List.of() : List.copyOf(access);
        tools = tools == null ? Map.of() : Map.copyOf(tools);
        cache = cache == null ? CachePolicy.UNSET : cache;
    }

    /** A server policy that says nothing about caching. */
    public ServerPolicy(Set<String> allowedRoles, ToolMode defaultMode, List<AccessRule> access,
            Map<String, ToolPolicy> tools) {
        this(allowedRoles, defaultMode, access, tools, CachePolicy.UNSET);
    }

    /** The cache policy of a tool: its own fields, the server's where it says nothing. */
    public CachePolicy cache(String tool) {
        return tool(tool).cache().over(cache);
    }

    /** Whether any rule of the server or of a tool names users (so permissions differ per user). */
    public boolean namesUsers() {
        return access.stream().anyMatch(r -> !r.users().isEmpty())
                || tools.values().stream().flatMap(t -> t.access().stream()).anyMatch(r -> !r.users().isEmpty());
    }

    /** The catalog's policy for a tool, {@link ToolPolicy#NONE} when it says nothing. */
    public ToolPolicy tool(String name) {
        return tools.getOrDefault(name, ToolPolicy.NONE);
    }

    /**
     * The mode of a tool: the catalog's word for the tool, else the server's default, else the
     * upstream's own {@code readOnlyHint} annotation in its definition; a tool nobody describes writes.
     */
    public ToolMode mode(String tool, JsonNode definition) {
        ToolPolicy own = tool(tool);
        if (own.mode() != null) {
            return own.mode();
        }
        if (defaultMode != null) {
            return defaultMode;
        }
        boolean readOnlyHint = definition != null && definition.path("annotations").path("readOnlyHint").asBoolean(false);
        return readOnlyHint ? ToolMode.READ : ToolMode.WRITE;
    }
}
