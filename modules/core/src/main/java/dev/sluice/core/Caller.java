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
 */
public record Caller(String subject, String role, String organisation, Set<String> groups, String apiKeyId) {
    public static final Caller ANONYMOUS = new Caller("anonymous", "viewer", null, Set.of(), null);

    public Caller {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(role, "role");
        groups = groups == null ? Set.of() : Set.copyOf(groups);
    }
}
