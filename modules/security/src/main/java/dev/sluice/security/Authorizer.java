package dev.sluice.security;

import dev.sluice.core.Role;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.AccessRule;
import dev.sluice.core.Call;
import dev.sluice.core.CallKind;
import dev.sluice.core.Caller;
import dev.sluice.core.ServerPolicy;
import dev.sluice.core.ToolMode;
import dev.sluice.core.ToolPolicy;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides whether a caller may use a tool, prompt or resource of an upstream server. The order:
 *
 * <ol>
 *   <li>the server's {@code roles}, when it names any, must include the caller's role;</li>
 *   <li>an API key's tool scope, when it has one, must match {@code server/tool} (for a prompt
 *       {@code server/prompt}, for a resource {@code server/uri}: {@code server/*} opens all of a
 *       server, a pattern naming a tool opens that tool alone);</li>
 *   <li>the tool's rules, then the server's, first match wins (allow or deny, by role, user or
 *       group);</li>
 *   <li>no rule matched: read tools (and every prompt and resource) need the read minimum role
 *       ({@code analyst} by default), write tools the write minimum ({@code engineer}).</li>
 * </ol>
 *
 * A tool's mode is what the catalog says, else the server's {@code default-mode}, else read when
 * the upstream marks it {@code readOnlyHint: true}, else write.
 */
public final class Authorizer {

    /** The outcome, with a reason that names the rule or role behind it (shown to the caller on refusal). */
    public record Decision(boolean allowed, String reason) {
        static Decision allow(String reason) {
            return new Decision(true, reason);
        }

        static Decision deny(String reason) {
            return new Decision(false, reason);
        }
    }

    private final Role readMinimum;
    private final Role writeMinimum;

    public Authorizer(Role readMinimum, Role writeMinimum) {
        this.readMinimum = Objects.requireNonNull(readMinimum, "readMinimum");
        this.writeMinimum = Objects.requireNonNull(writeMinimum, "writeMinimum");
    }

    /** The mode of a tool by the catalog's policy, then the upstream's own annotation. */
    public static ToolMode mode(ServerPolicy policy, String tool, JsonNode definition) {
        return policy.mode(tool, definition);
    }

    /**
     * @param caller who asks
     * @param call a tool call, prompt get or resource read (lists use {@link CallKind#TOOL} for tools
     *     and the others for prompts and resources); a task's calls are decided as its tool's
     * @param server the upstream's catalog name
     * @param policy that server's policy
     * @param target the upstream's own tool or prompt name, or the resource URI
     * @param definition the target as the upstream lists it, or null
     */
    public Decision decide(Caller caller, CallKind call, String server, ServerPolicy policy, String target,
            ObjectNode definition) {
        return decide(caller, call, server, policy, target,
                call.actsOn() == CallKind.TOOL ? policy.mode(target, definition) : ToolMode.READ);
    }

    /** The decision on a call, by what it resolved when it came in (its policy and mode). */
    public Decision decide(Call call) {
        return decide(call.caller(), call.kind(), call.server(), call.policy(), call.target(), call.mode());
    }

    private Decision decide(Caller caller, CallKind call, String server, ServerPolicy policy, String target,
            ToolMode mode) {
        CallKind kind = call.actsOn(); // a task's calls as its tool's, a completion as its prompt's or resource's
        Role role;
        try {
            role = Role.parse(caller.role());
        } catch (IllegalArgumentException e) {
            return Decision.deny("the caller's role '" + caller.role() + "' is not a Sluice role");
        }
        if (!policy.allowedRoles().isEmpty() && !policy.allowedRoles().contains(role.id())) {
            return Decision.deny("server '" + server + "' is open to the roles " + String.join(", ",
                    new TreeSet<>(policy.allowedRoles())) + ", not " + role.id());
        }
        // a log level is set on the server, not on a tool: the scope names tools, prompts and resources
        if (kind != CallKind.LOG_LEVEL && !caller.toolScope().isEmpty() && !inScope(caller.toolScope(), server, target)) {
            return Decision.deny(noun(kind) + " '" + server + "/" + target + "' is outside the API key's tool scope");
        }
        List<AccessRule> toolRules = kind == CallKind.TOOL ? policy.tool(target).access() : List.of();
        for (List<AccessRule> rules : List.of(toolRules, policy.access())) {
            for (AccessRule rule : rules) {
                if (rule.matches(caller)) {
                    String where = rules == toolRules ? "tool '" + server + "/" + target + "'" : "server '" + server + "'";
                    return rule.effect() == AccessRule.Effect.ALLOW
                            ? Decision.allow("allowed by a rule of " + where)
                            : Decision.deny("denied by a rule of " + where);
                }
            }
        }
        Role needed = mode == ToolMode.READ ? readMinimum : writeMinimum;
        if (role.includes(needed)) {
            return Decision.allow("role " + role.id() + " may use " + mode.id() + " " + noun(kind));
        }
        return Decision.deny("role " + role.id() + " may not use " + mode.id() + " " + noun(kind) + " '"
                + server + "/" + target + "' (needs " + needed.id() + " or above)");
    }

    private static String noun(CallKind kind) {
        return switch (kind) {
            case TOOL -> "tool";
            case PROMPT -> "prompt";
            case RESOURCE -> "resource";
            case LOG_LEVEL -> "log level of";
            default -> "tool";
        };
    }

    /** Whether {@code server/tool} matches one of the patterns ({@code *} matches any run of characters). */
    public static boolean inScope(Set<String> scope, String server, String tool) {
        String name = server + "/" + tool;
        for (String pattern : scope) {
            if (KeyGrants.globMatches(pattern, name)) {
                return true;
            }
        }
        return false;
    }
}
