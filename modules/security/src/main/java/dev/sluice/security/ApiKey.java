package dev.sluice.security;

import java.time.Instant;
import java.util.Set;

/**
 * An API key as Sluice shows it: everything but the key itself, which is shown once at creation
 * and then exists only as a keyed hash.
 *
 * @param id stable identifier (used in audit records and the REST API)
 * @param prefix the key's first characters, enough for a person to recognise it
 * @param name what the key is for
 * @param owner the subject the key acts as
 * @param role the key's role
 * @param toolScope federated tool-name patterns the key is limited to (empty: the role decides)
 * @param createdAt when it was made
 * @param expiresAt when it stops working
 * @param revokedAt when it was revoked, or null
 * @param lastUsedAt when it last authenticated a request (to the minute), or null
 * @param rotatedFromId the key this one replaced, or null
 * @param overlapUntil for a rotated-away key: it keeps working until then; null otherwise
 */
public record ApiKey(String id, String prefix, String name, String owner, String role, Set<String> toolScope,
        Instant createdAt, Instant expiresAt, Instant revokedAt, Instant lastUsedAt, String rotatedFromId,
        Instant overlapUntil) {

    public ApiKey {
        toolScope = toolScope == null ? Set.of() : Set.copyOf(toolScope);
    }

    /** {@code active}, {@code expired}, {@code revoked} or {@code rotating} (valid until the overlap ends). */
    public String status(Instant now) {
        if (revokedAt != null && !revokedAt.isAfter(now)) {
            return "revoked";
        }
        if (!expiresAt.isAfter(now) || (overlapUntil != null && !overlapUntil.isAfter(now))) {
            return "expired";
        }
        return overlapUntil != null ? "rotating" : "active";
    }
}
