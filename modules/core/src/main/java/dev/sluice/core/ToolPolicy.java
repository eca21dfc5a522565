package dev.sluice.core;

import java.util.List;
import java.util.Set;

/**
 * What the catalog says about one tool of a server.
 *
 * @param mode read or write, or null when the catalog does not say (the server's default applies)
 * @param sqlArgument the argument holding SQL, parsed and held to the SQL policy; null if none
 * @param deniedStatements statement kinds refused for this tool on top of the global list
 *     (e.g. {@code DROP}, {@code TRUNCATE}); upper case
 * @param commandArguments arguments that the upstream puts on a process command line: they must be
 *     plain words (no shell metacharacters, no leading {@code -})
 * @param access allow and deny rules for this tool, checked before the server's
 * @param cache how its results are cached, over the server's cache policy
 * @param idempotent whether a call may be repeated without a different effect (so Sluice retries it
 *     when the upstream could not be reached); null: read tools are, write tools are not
 */
public record ToolPolicy(ToolMode mode, String sqlArgument, Set<String> deniedStatements,
        List<String> commandArguments, List<AccessRule> access, CachePolicy cache, Boolean idempotent) {

    public static final ToolPolicy NONE = new ToolPolicy(null, null, Set.of(), List.of(), List.of());

    public ToolPolicy {
        deniedStatements = deniedStatements == null ? Set.of() : Set.copyOf(deniedStatements);
        commandArguments = commandArguments == null ? List.of() : List.copyOf(commandArguments);
        access = access == null ? List.of() : List.copyOf(access);
        cache = cache == null ? CachePolicy.UNSET : cache;
    }

    /** A tool policy that says nothing about idempotence. */
    public ToolPolicy(ToolMode mode, String sqlArgument, Set<String> deniedStatements, List<String> commandArguments,
            List<AccessRule> access, CachePolicy cache) {
        this(mode, sqlArgument, deniedStatements, commandArguments, access, cache, null);
    }

    /** A tool policy that says nothing about caching. */
    public ToolPolicy(ToolMode mode, String sqlArgument, Set<String> deniedStatements, List<String> commandArguments,
            List<AccessRule> access) {
        this(mode, sqlArgument, deniedStatements, commandArguments, access, CachePolicy.UNSET);
    }
}
