package dev.sluice.core;

import java.util.Objects;
import java.util.Set;

/**
 * Who makes a call, as authentication established it. A core value so that every step (rate limits,
 * cache keys, audit) can use it without depending on the security module.
 *
 * @param subject stable identity (token subject or API key owner)
 * @param role the caller's role name ({@code viewer} … {@code owner})
 * @param organisation the organisation claim, or null
 * @param groups group claims
 * @param apiKeyId the API key used, or null for a token
 * @param toolScope {@code server/tool} patterns ({@code postgres/*}) an API key is limited to;
 *     empty: no limit beyond the role
 */
public record Caller(String subject, String role, String organisation, Set<String> groups, String apiKeyId,
        Set<String> toolScope) {
    /** The caller of a request that carried no credentials, where configuration admits such calls. */
    public static final Caller ANONYMOUS = new Caller("anonymous", "viewer", null, Set.of(), null, Set.of());

    public Caller {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(role, "role");
        groups = groups == null ? Set.of() : Set.copyOf(groups);
        toolScope = toolScope == null ? Set.of() : Set.copyOf(toolScope);
    }

    /** The same caller with another role (an anonymous caller admitted with a configured role). */
    public Caller withRole(String newRole) {
        return new Caller(subject, newRole, organisation, groups, apiKeyId, toolScope);
    }
}
