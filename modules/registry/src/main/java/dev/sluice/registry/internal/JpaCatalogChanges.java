package dev.sluice.registry.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import dev.sluice.registry.CatalogChange;
import dev.sluice.registry.CatalogChanges;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Run-time catalog changes in {@code catalog_changes}, shared by every node of the database. */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class JpaCatalogChanges implements CatalogChanges {

    @PersistenceContext(unitName = "sluice")
    EntityManager em;

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<CatalogChange> all() {
        return em.createQuery("select c from CatalogChangeEntity c order by c.id", CatalogChangeEntity.class)
                .getResultList().stream().map(JpaCatalogChanges::view).toList();
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public long version() {
        Long max = em.createQuery("select max(c.id) from CatalogChangeEntity c", Long.class).getSingleResult();
        return max == null ? 0 : max;
    }

    @Override
    public CatalogChange append(String server, CatalogChange.Kind kind, ObjectNode definition, String actor,
            String requestId) {
        CatalogChangeEntity e = new CatalogChangeEntity();
        e.changedAt = Instant.now();
        e.actor = actor;
        e.server = server;
        e.kind = kind.name().toLowerCase(Locale.ROOT);
        e.definition = definition == null ? null : Json.write(definition);
        e.requestId = requestId;
        em.persist(e);
        em.flush();
        return view(e);
    }

    private static CatalogChange view(CatalogChangeEntity e) {
        return new CatalogChange(e.id, e.changedAt, e.actor, e.server,
                CatalogChange.Kind.valueOf(e.kind.toUpperCase(Locale.ROOT)),
                e.definition == null ? null : (ObjectNode) Json.parse(e.definition));
    }
}
