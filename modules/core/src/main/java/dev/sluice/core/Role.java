package dev.sluice.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The five roles of Sluice, from least to most privileged. A role includes every right of the roles
 * below it, so an {@code admin} may do whatever an {@code engineer} may. The same names and ranks
 * are seeded into the {@code roles} table by the first migration.
 */
public enum Role {
    VIEWER,
    ANALYST,
    ENGINEER,
    ADMIN,
    OWNER;

    /** The name used in tokens, API keys, configuration and the database: lower case. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The rank stored in the database: 1 for viewer up to 5 for owner. */
    public int rank() {
        return ordinal() + 1;
    }

    /** Whether this role has at least the rights of {@code other}. */
    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    /**
     * Parses a role name, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException naming the valid roles when {@code name} is none of them
     */
    public static Role parse(String name) {
        if (name != null) {
            String wanted = name.strip().toUpperCase(Locale.ROOT);
            for (Role role : values()) {
                if (role.name().equals(wanted)) {
                    return role;
                }
            }
        }
        throw new IllegalArgumentException("unknown role '" + name + "'; the roles are "
                + Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", ")));
    }

    /** Every role's {@link #id()}. */
    public static Set<String> ids() {
        return Arrays.stream(values()).map(Role::id).collect(Collectors.toUnmodifiableSet());
    }

    /** Whether a caller's role (by name) has at least the rights of {@code least}; an unknown name has none. */
    public static boolean allows(String name, Role least) {
        try {
            return parse(name).includes(least);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
