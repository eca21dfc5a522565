package dev.sluice.core;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One allow or deny rule of a server or tool, matched against a caller by role, subject or group.
 * A rule with no roles, users and groups matches every caller.
 *
 * @param effect whether a match allows or denies
 * @param roles role names that match exactly ({@code analyst}, …)
 * @param users subjects that match
 * @param groups group claims that match
 */
public record AccessRule(Effect effect, Set<String> roles, Set<String> users, Set<String> groups) {

    public enum Effect {
        ALLOW,
        DENY
    }

    public AccessRule {
        Objects.requireNonNull(effect, "effect");
        roles = roles == null ? Set.of() : Set.copyOf(roles);
        users = users == null ? Set.of() : Set.copyOf(users);
        groups = groups == null ? Set.of() : Set.copyOf(groups);
    }

    /** Whether the rule speaks about this caller. */
    public boolean matches(Caller caller) {
        if (roles.isEmpty() && users.isEmpty() && groups.isEmpty()) {
            return true;
        }
        return roles.contains(caller.role()) || users.contains(caller.subject())
                || caller.groups().stream().anyMatch(groups::contains);
    }

    @Override
    public String toString() {
        return effect.name().toLowerCase(Locale.ROOT) + " roles=" + roles + " users=" + users
                + " groups=" + groups;
    }
}
