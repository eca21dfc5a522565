package dev.sluice.security;

import dev.sluice.core.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Creating, listing, revoking and rotating API keys. Keys are stored only as a keyed hash. */
public interface ApiKeys {

    /** The lifetime of a key whose creator names none. */
    Duration DEFAULT_LIFETIME = Duration.ofDays(90);

    /**
     * @param name what the key is for
     * @param owner the subject it acts as
     * @param role its role
     * @param toolScope tool-name patterns it is limited to (empty: none)
     * @param expiresAt when it stops working (null: {@link #DEFAULT_LIFETIME} from now)
     */
    IssuedApiKey create(String name, String owner, Role role, Set<String> toolScope, Instant expiresAt);

    List<ApiKey> list(String ownerOrNull);

    Optional<ApiKey> find(String id);

    /** Revokes a key at once; a revoked key never works again. */
    ApiKey revoke(String id);

    /**
     * Issues a successor with the same owner, role, scope and lifetime, and lets the old key work
     * for {@code overlap} more so that clients switch without downtime.
     */
    IssuedApiKey rotate(String id, Duration overlap);

    /**
     * On a database without keys, creates the first owner key: from {@code configuredSecret} when
     * given (a deployment that provisions it), otherwise a new random one.
     *
     * @return the key when one was created now, empty when keys already existed
     */
    Optional<IssuedApiKey> bootstrap(String configuredSecret);
}
