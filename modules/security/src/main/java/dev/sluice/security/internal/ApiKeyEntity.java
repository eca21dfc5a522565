package dev.sluice.security.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code api_keys}: the key's description and its keyed hash, never the key. */
@Entity
@Table(name = "api_keys")
public class ApiKeyEntity {
    @Id
    @Column(name = "id")
    public String id;

    @Column(name = "key_prefix", nullable = false, unique = true)
    public String prefix;

    @Column(name = "key_hash", nullable = false)
    public String hash;

    @Column(name = "name", nullable = false)
    public String name;

    @Column(name = "owner_subject", nullable = false)
    public String owner;

    @Column(name = "role_name", nullable = false)
    public String role;

    @Column(name = "tool_scope")
    public String toolScope;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "rotated_from_id")
    public String rotatedFromId;

    @Column(name = "overlap_until")
    public Instant overlapUntil;
}
