package dev.sluice.security.internal;

import dev.sluice.security.ApiKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Reads one API key by its prefix, in a transaction of its own, and notes when it was used (to the
 * minute). Apart from {@link JpaApiKeys} so that a request whose key is cached runs no transaction.
 */
@ApplicationScoped
public class ApiKeyLoader {

    /** A stored key: its description and its keyed hash. */
    record Loaded(ApiKey key, String hash) {
    }

    @PersistenceContext(unitName = "sluice")
    EntityManager em;

    @Transactional
    public Optional<Loaded> load(String prefix, Instant now) {
        List<ApiKeyEntity> found = em.createQuery("select k from ApiKeyEntity k where k.prefix = :p", ApiKeyEntity.class)
                .setParameter("p", prefix).getResultList();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ApiKeyEntity entity = found.get(0);
        if (entity.lastUsedAt == null || entity.lastUsedAt.isBefore(now.minus(Duration.ofMinutes(1)))) {
            entity.lastUsedAt = now.truncatedTo(ChronoUnit.MILLIS);
        }
        return Optional.of(new Loaded(JpaApiKeys.view(entity), entity.hash));
    }
}
