package dev.sluice.observability.internal;

import dev.sluice.observability.AuditEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Writes batches of audit records in one transaction, and reads them back. */
@ApplicationScoped
public class AuditWriter {
    @PersistenceContext(unitName = "sluice")
    EntityManager em;

    @Transactional
    public void write(List<AuditEntry> entries, String nodeId) {
        for (AuditEntry e : entries) {
            AuditRecordEntity r = new AuditRecordEntity();
            r.recordId = UUID.randomUUID().toString();
            r.requestId = cut(e.requestId(), 64);
            r.occurredAt = e.occurredAt();
            r.nodeId = cut(e.nodeId() != null ? e.nodeId() : nodeId, 200);
            r.subject = cut(e.subject(), 255);
            r.role = cut(e.role(), 32);
            r.apiKeyId = cut(e.apiKeyId(), 36);
            r.organisation = cut(e.organisation(), 255);
            r.channel = cut(e.channel(), 16);
            r.action = cut(e.action(), 32);
            r.server = cut(e.server(), 64);
            r.target = cut(e.target(), 512);
            r.argumentDigest = cut(e.argumentDigest(), 128);
            r.argumentsRedacted = cut(e.argumentsRedacted(), 8000);
            r.outcome = cut(e.outcome(), 32);
            r.errorType = cut(e.errorType(), 64);
            r.durationMicros = e.durationMicros();
            r.cacheHit = e.cacheHit();
            r.clientAddress = cut(e.clientAddress(), 64);
            em.persist(r);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AuditEntry> search(String subject, String server, String action, String outcome, Instant since,
            int limit) {
        StringBuilder jpql = new StringBuilder("select r from AuditRecordEntity r where 1 = 1");
        List<Object[]> params = new ArrayList<>();
        if (subject != null) {
            jpql.append(" and r.subject = :subject");
            params.add(new Object[] {"subject", subject});
        }
        if (server != null) {
            jpql.append(" and r.server = :server");
            params.add(new Object[] {"server", server});
        }
        if (action != null) {
            jpql.append(" and r.action = :action");
            params.add(new Object[] {"action", action});
        }
        if (outcome != null) {
            jpql.append(" and r.outcome = :outcome");
            params.add(new Object[] {"outcome", outcome});
        }
        if (since != null) {
            jpql.append(" and r.occurredAt >= :since");
            params.add(new Object[] {"since", since});
        }
        jpql.append(" order by r.occurredAt desc, r.id desc");
        var query = em.createQuery(jpql.toString(), AuditRecordEntity.class);
        params.forEach(p -> query.setParameter((String) p[0], p[1]));
        return query.setMaxResults(Math.max(1, Math.min(limit, 1000))).getResultStream()
                .map(r -> new AuditEntry(r.requestId, r.occurredAt, r.nodeId, r.subject, r.role, r.apiKeyId,
                        r.organisation, r.channel, r.action, r.server, r.target, r.argumentDigest,
                        r.argumentsRedacted, r.outcome, r.errorType, r.durationMicros, r.cacheHit, r.clientAddress))
                .toList();
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
