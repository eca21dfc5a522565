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
    public String id;

    @Column(name = "key_prefix")
    public String prefix;

    @Column(name = "key_hash")
    public String hash;

    public String name;

    @Column(name = "owner_subject")
    public String owner;

    @Column(name = "role_name")
    public String role;

    public String toolScope;
    public Instant createdAt;
    public Instant expiresAt;
    public Instant revokedAt;
    public Instant lastUsedAt;
    public String rotatedFromId;
    public Instant overlapUntil;
}
