package dev.sluice.security;

import dev.sluice.core.Role;
import dev.sluice.core.Caller;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a caller may hand out as a credential: never more than it holds. Every path that issues,
 * rotates or revokes an API key asks here first, so that no path (a low-role key rotating a
 * higher one, a scoped key minting an unscoped one, an admin acting in another subject's name) gives
 * a caller a credential with a higher role or a wider tool scope than its own.
 *
 * <ul>
 *   <li>the role granted is at most the caller's;</li>
 *   <li>a caller with a tool scope grants only a non-empty scope, each pattern of which its own
 *       scope covers (a pattern is covered when one of the caller's patterns, {@code *} matching any
 *       run, matches it letter for letter: then every name it matches is matched too);</li>
 *   <li>only an owner issues a key in another subject's name;</li>
 *   <li>rotating or revoking a key is granting (or taking away) what it holds: the caller must
 *       own the key's subject or be an admin, and hold at least the key's role and scope.</li>
 * </ul>
 */
public final class KeyGrants {
    private KeyGrants() {
    }

    /**
     * Refuses with {@link ErrorKind#FORBIDDEN} unless {@code caller} may issue a key with this role,
     * scope and owner.
     */
    public static void checkIssue(Caller caller, Role role, Set<String> scope, String owner, String what) {
        Role own = roleOf(caller);
        if (!own.includes(role)) {
            throw forbidden("a " + own.id() + " cannot " + what + " with the role " + role.id());
        }
        checkScope(caller, scope, what);
        if (owner != null && !owner.strip().equals(caller.subject()) && own != Role.OWNER) {
            throw forbidden("only an owner may " + what + " in another subject's name ('" + owner.strip()
                    + "'); an " + own.id() + " issues keys for itself ('" + caller.subject() + "')");
        }
    }

    /**
     * Refuses unless {@code caller} may rotate or revoke {@code key}: the key must be visible to it
     * (its subject or an admin), and the caller must hold at least what the key holds.
     *
     * @throws SluiceException {@link ErrorKind#NOT_FOUND} for a key the caller may not see (ids
     *     cannot be probed), {@link ErrorKind#FORBIDDEN} for one that holds more than the caller
     */
    public static void checkManage(Caller caller, ApiKey key, String what) {
        if (!visible(caller, key)) {
            throw new SluiceException(ErrorKind.NOT_FOUND, "no API key with id " + key.id());
        }
        Role own = roleOf(caller);
        Role held;
        try {
            held = Role.parse(key.role());
        } catch (IllegalArgumentException e) {
            held = Role.OWNER; // unknown: treat as the most privileged
        }
        if (!own.includes(held)) {
            throw forbidden("a " + own.id() + " cannot " + what + " a key with the role " + held.id());
        }
        checkScope(caller, key.toolScope(), what + " a key");
    }

    /** Whether the caller may see the key at all: its own subject's keys, or any as an admin. */
    public static boolean visible(Caller caller, ApiKey key) {
        return roleOf(caller).includes(Role.ADMIN) || key.owner().equals(caller.subject());
    }

    private static void checkScope(Caller caller, Set<String> scope, String what) {
        if (caller.toolScope().isEmpty()) {
            return;
        }
        if (scope == null || scope.isEmpty()) {
            throw forbidden("a key limited to the tools " + String.join(", ", new TreeSet<>(caller.toolScope()))
                    + " cannot " + what + " without a tool scope (it would reach every tool)");
        }
        for (String pattern : scope) {
            if (!covered(caller.toolScope(), pattern)) {
                throw forbidden("the tool scope '" + pattern + "' is wider than the caller's own ("
                        + String.join(", ", new TreeSet<>(caller.toolScope())) + ")");
            }
        }
    }

    /**
     * Whether every name {@code pattern} matches is matched by one of {@code scope}'s patterns: true
     * when a scope pattern matches the pattern's own text, its {@code *} taken as a letter.
     */
    public static boolean covered(Set<String> scope, String pattern) {
        for (String own : scope) {
            if (globMatches(own, pattern)) {
                return true;
            }
        }
        return false;
    }

    /** {@code *} in {@code glob} matches any run of characters; everything else itself. Linear, no regex. */
    static boolean globMatches(String glob, String text) {
        int g = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (g < glob.length() && glob.charAt(g) != '*' && glob.charAt(g) == text.charAt(t)) {
                g++;
                t++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                mark = t;
            } else if (star >= 0) {
                g = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    private static Role roleOf(Caller caller) {
        try {
            return Role.parse(caller.role());
        } catch (IllegalArgumentException e) {
            return Role.VIEWER;
        }
    }

    private static SluiceException forbidden(String why) {
        return new SluiceException(ErrorKind.FORBIDDEN, why);
    }
}
