package dev.sluice.security.internal;

import dev.sluice.core.ErrorKind;
import dev.sluice.core.PrivateFiles;
import dev.sluice.core.SecretValues;
import dev.sluice.core.SluiceException;
import dev.sluice.security.ApiKey;
import dev.sluice.security.ApiKeys;
import dev.sluice.security.Authenticator;
import dev.sluice.security.IssuedApiKey;
import dev.sluice.core.Role;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperties;

/**
 * API keys in the {@code api_keys} table. A key is {@code sk-sluice-} and 32 random bytes; the
 * table holds its first 16 characters (to find it and to show it) and an HMAC-SHA-256 of the whole
 * key under a hash key that is not in the database. Keys found valid are remembered for a few
 * seconds ({@code sluice.security.api-keys.cache-ttl}), so a revocation made on another node takes
 * at most that long to reach this one; on this node it is immediate.
 */
@ApplicationScoped
public class JpaApiKeys implements ApiKeys {
    private static final Logger LOG = Logger.getLogger(JpaApiKeys.class.getName());
    static final int PREFIX_LENGTH = 16;

    @Inject
    @ConfigProperties
    SecuritySettings settings;

    @PersistenceContext(unitName = "sluice")
    EntityManager em;

    @Inject
    ApiKeyLoader loader;

    private final Clock clock = Clock.systemUTC();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private KeyHasher hasher;

    private record Cached(ApiKey key, String hash, Instant loadedAt) {
    }

    @PostConstruct
    void init() {
        hasher = new KeyHasher(hashKey());
    }

    private byte[] hashKey() {
        if (settings.configuredHashKey.isPresent() && !settings.configuredHashKey.get().isBlank()) {
            String value = settings.configuredHashKey.get().strip();
            SecretValues.register(value);
            return value.getBytes(StandardCharsets.UTF_8);
        }
        Path file = Path.of(settings.hashKeyFile);
        try {
            if (Files.exists(file)) {
                return Base64.getDecoder().decode(Files.readString(file).strip());
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] key = KeyHasher.newHashKey();
            PrivateFiles.write(file, Base64.getEncoder().encodeToString(key) + "\n");
            LOG.warning("sluice.security.api-keys.hash-key is not set: generated a hash key in " + file.toAbsolutePath()
                    + "; nodes sharing a database must share this key (set SLUICE_SECURITY_API_KEYS_HASH_KEY)");
            return key;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read or create the API key hash key file " + file.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    @Transactional
    public IssuedApiKey create(String name, String owner, Role role, Set<String> toolScope, Instant expiresAt) {
        return issue(name, owner, role, toolScope, expiresAt, null, null);
    }

    private IssuedApiKey issue(String name, String owner, Role role, Set<String> toolScope, Instant expiresAt,
            String rotatedFrom, String givenSecret) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (name == null || name.isBlank() || name.length() > 255) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'name' is required (at most 255 characters)");
        }
        if (owner == null || owner.isBlank() || owner.length() > 255) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'owner' is required (at most 255 characters)");
        }
        Instant expiry = expiresAt == null ? now.plus(DEFAULT_LIFETIME) : expiresAt;
        if (!expiry.isAfter(now)) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'expiresAt' must be in the future");
        }
        String scope = toolScope == null || toolScope.isEmpty() ? null : String.join("\n", toolScope);
        if (scope != null && scope.length() > 4000) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'toolScope' is too long (at most 4000 characters)");
        }
        String secret = givenSecret != null ? givenSecret : KeyHasher.newSecret(Authenticator.API_KEY_PREFIX);
        ApiKeyEntity entity = new ApiKeyEntity();
        entity.id = UUID.randomUUID().toString();
        entity.prefix = secret.substring(0, PREFIX_LENGTH);
        entity.hash = hasher.hash(secret);
        entity.name = name.strip();
        entity.owner = owner.strip();
        entity.role = role.id();
        entity.toolScope = scope;
        entity.createdAt = now;
        entity.expiresAt = expiry;
        entity.rotatedFromId = rotatedFrom;
        em.persist(entity);
        em.flush();
        return new IssuedApiKey(view(entity), secret);
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ApiKey> list(String ownerOrNull) {
        var query = ownerOrNull == null
                ? em.createQuery("select k from ApiKeyEntity k order by k.createdAt", ApiKeyEntity.class)
                : em.createQuery("select k from ApiKeyEntity k where k.owner = :owner order by k.createdAt",
                        ApiKeyEntity.class).setParameter("owner", ownerOrNull);
        return query.getResultStream().map(JpaApiKeys::view).toList();
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ApiKey> find(String id) {
        return Optional.ofNullable(em.find(ApiKeyEntity.class, id)).map(JpaApiKeys::view);
    }

    @Override
    @Transactional
    public ApiKey revoke(String id) {
        ApiKeyEntity entity = entity(id);
        if (entity.revokedAt == null) {
            keepAnOwner(entity, "revoked");
            entity.revokedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        }
        cache.remove(entity.prefix);
        return view(entity);
    }

    @Override
    @Transactional
    public IssuedApiKey rotate(String id, Duration overlap) {
        ApiKeyEntity old = entity(id);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String status = view(old).status(now);
        if (!"active".equals(status)) {
            throw new SluiceException(ErrorKind.CONFLICT, "key " + id + " is " + status + "; only an active key is rotated");
        }
        if (overlap == null || overlap.isNegative()) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'overlap' must be a duration of zero or more");
        }
        Duration lifetime = Duration.between(old.createdAt, old.expiresAt);
        // the successor is issued in this transaction, so the last owner key may be rotated: its
        // successor is a working owner credential
        Instant until = now.plus(overlap);
        old.overlapUntil = until.isAfter(old.expiresAt) ? old.expiresAt : until;
        cache.remove(old.prefix);
        Set<String> scope = scope(old.toolScope);
        return issue(old.name, old.owner, Role.parse(old.role), scope, now.plus(lifetime), old.id, null);
    }

    /**
     * Refuses to take away the last working owner key: without it nobody could manage keys or
     * the catalog any more. Locks the owner keys' rows so that two revocations at once cannot
     * both pass the count.
     */
    private void keepAnOwner(ApiKeyEntity entity, String action) {
        if (!Role.OWNER.id().equals(entity.role)) {
            return;
        }
        Instant now = clock.instant();
        List<ApiKeyEntity> owners = em.createQuery("select k from ApiKeyEntity k where k.role = :role and k.revokedAt is null"
                + " and k.expiresAt > :now", ApiKeyEntity.class)
                .setParameter("role", Role.OWNER.id()).setParameter("now", now)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        boolean another = owners.stream().anyMatch(k -> !k.id.equals(entity.id)
                && (k.overlapUntil == null || k.overlapUntil.isAfter(now)));
        if (!another) {
            throw new SluiceException(ErrorKind.CONFLICT, "key " + entity.id + " is the last working owner key and cannot"
                    + " be " + action + "; create or rotate to another owner key first");
        }
    }

    @Override
    @Transactional
    public Optional<IssuedApiKey> bootstrap(String configuredSecret) {
        Long count = em.createQuery("select count(k) from ApiKeyEntity k", Long.class).getSingleResult();
        if (count > 0) {
            return Optional.empty();
        }
        if (configuredSecret != null && !configuredSecret.isBlank()) {
            String secret = configuredSecret.strip();
            if (!secret.startsWith(Authenticator.API_KEY_PREFIX) || secret.length() < Authenticator.API_KEY_PREFIX.length() + 32) {
                throw new IllegalStateException("sluice.security.bootstrap-key must start with "
                        + Authenticator.API_KEY_PREFIX + " followed by at least 32 random characters");
            }
            SecretValues.register(secret);
            return Optional.of(issue("bootstrap", "owner", Role.OWNER, Set.of(), null, null, secret));
        }
        return Optional.of(issue("bootstrap", "owner", Role.OWNER, Set.of(), null, null, null));
    }

    /**
     * The key a secret belongs to, if it may be used now.
     *
     * @throws SluiceException {@code UNAUTHENTICATED} (reason unknown-key, revoked, expired)
     */
    /** Not transactional: a key seen within the cache's time costs no interceptor and no query; the loader reads in its own. */
    public ApiKey authenticate(String secret) {
        if (secret.length() < PREFIX_LENGTH || !secret.startsWith(Authenticator.API_KEY_PREFIX)) {
            throw Authenticator.refused("unknown-key", "the API key is not valid");
        }
        String prefix = secret.substring(0, PREFIX_LENGTH);
        Instant now = clock.instant();
        Cached cached = cache.get(prefix);
        if (cached == null || cached.loadedAt().plus(settings.cacheTtl).isBefore(now)) {
            Optional<ApiKeyLoader.Loaded> found = loader.load(prefix, now);
            if (found.isEmpty()) {
                cache.remove(prefix);
                throw Authenticator.refused("unknown-key", "the API key is not valid");
            }
            cached = new Cached(found.get().key(), found.get().hash(), now);
            cache.put(prefix, cached);
        }
        if (!hasher.matches(secret, cached.hash())) {
            throw Authenticator.refused("unknown-key", "the API key is not valid");
        }
        ApiKey key = cached.key();
        switch (key.status(now)) {
            case "revoked" -> throw Authenticator.refused("revoked", "the API key " + key.prefix() + "… was revoked");
            case "expired" -> throw Authenticator.refused("expired", "the API key " + key.prefix() + "… has expired"
                    + (key.overlapUntil() != null ? " (it was rotated and its overlap is over)" : ""));
            default -> {
                return key;
            }
        }
    }

    private ApiKeyEntity entity(String id) {
        ApiKeyEntity entity = em.find(ApiKeyEntity.class, id);
        if (entity == null) {
            throw new SluiceException(ErrorKind.NOT_FOUND, "no API key with id " + id);
        }
        return entity;
    }

    private static Set<String> scope(String text) {
        if (text == null || text.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(text.split("\n")).filter(s -> !s.isBlank()).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    static ApiKey view(ApiKeyEntity e) {
        return new ApiKey(e.id, e.prefix, e.name, e.owner, e.role, scope(e.toolScope), e.createdAt, e.expiresAt,
                e.revokedAt, e.lastUsedAt, e.rotatedFromId, e.overlapUntil);
    }
}
