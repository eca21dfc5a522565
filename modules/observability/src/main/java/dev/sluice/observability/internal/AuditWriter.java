package dev.sluice.observability.internal;

import dev.sluice.observability.AuditEntry;
import dev.sluice.observability.AuditPage;
import dev.sluice.observability.AuditQuery;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/** Writes batches of audit records in one transaction (one JDBC batch each), and reads them back. */
@ApplicationScoped
public class AuditWriter {
    @PersistenceContext(unitName = "sluice")
    EntityManager em;

    private static final String INSERT = "INSERT INTO audit_records (record_id, request_id, occurred_at, node_id,"
            + " subject, role_name, api_key_id, organisation, channel, action, server_name, target, argument_digest,"
            + " arguments_redacted, outcome, error_type, duration_micros, cache_hit, client_address)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** The connection pool the persistence unit uses: the batch joins the same transaction. */
    @Resource(lookup = "jdbc/sluice")
    DataSource dataSource;

    /**
     * Stores records in one transaction, as one JDBC batch insert (no entity per record).
     *
     * @param again whether some may be stored already (a batch from the spool, whose earlier write may
     *     have committed without Sluice hearing it): those are skipped by their record id
     */
    @Transactional
    public void write(List<PendingRecord> records, boolean again) {
        Set<String> stored = Set.of();
        if (again && !records.isEmpty()) {
            // record ids are not indexed (an index search per insert for a rare replay); a record keeps its
            // time, so the time index narrows the search to the batch's span
            // (widened by a millisecond each side: the database keeps microseconds, PostgreSQL rounding them)
            Instant from = records.stream().map(p -> p.entry().occurredAt()).min(Instant::compareTo).orElseThrow()
                    .minusMillis(1);
            Instant to = records.stream().map(p -> p.entry().occurredAt()).max(Instant::compareTo).orElseThrow()
                    .plusMillis(1);
            stored = new HashSet<>(em.createQuery("select r.recordId from AuditRecordEntity r where r.occurredAt >= :from"
                    + " and r.occurredAt <= :to and r.recordId in :ids", String.class)
                    .setParameter("from", from).setParameter("to", to)
                    .setParameter("ids", records.stream().map(PendingRecord::recordId).toList())
                    .getResultList());
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(INSERT)) {
            int rows = 0;
            for (PendingRecord p : records) {
                if (stored.contains(p.recordId())) {
                    continue;
                }
                bind(insert, p);
                insert.addBatch();
                rows++;
            }
            if (rows > 0) {
                insert.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("audit records could not be written: " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement insert, PendingRecord p) throws SQLException {
        AuditEntry e = p.entry();
        insert.setString(1, p.recordId());
        insert.setString(2, cut(e.requestId(), 64));
        insert.setObject(3, OffsetDateTime.ofInstant(e.occurredAt(), ZoneOffset.UTC));
        insert.setString(4, cut(e.nodeId() != null ? e.nodeId() : p.nodeId(), 200));
        insert.setString(5, cut(e.subject(), 255));
        insert.setString(6, cut(e.role(), 32));
        insert.setString(7, cut(e.apiKeyId(), 36));
        insert.setString(8, cut(e.organisation(), 255));
        insert.setString(9, cut(e.channel(), 16));
        insert.setString(10, cut(e.action(), 32));
        insert.setString(11, cut(e.server(), 64));
        insert.setString(12, cut(e.target(), 512));
        insert.setString(13, cut(e.argumentDigest(), 128));
        insert.setString(14, cut(e.argumentsRedacted(), 8000));
        insert.setString(15, cut(e.outcome(), 32));
        insert.setString(16, cut(e.errorType(), 64));
        insert.setLong(17, e.durationMicros());
        insert.setBoolean(18, e.cacheHit());
        insert.setString(19, cut(e.clientAddress(), 64));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public AuditPage search(AuditQuery q) {
        StringBuilder jpql = new StringBuilder("select r from AuditRecordEntity r where 1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        filter(jpql, params, "subject", q.subject());
        filter(jpql, params, "server", q.server());
        filter(jpql, params, "target", q.target());
        filter(jpql, params, "action", q.action());
        filter(jpql, params, "outcome", q.outcome());
        if (q.since() != null) {
            jpql.append(" and r.occurredAt >= :since");
            params.put("since", q.since());
        }
        if (q.until() != null) {
            jpql.append(" and r.occurredAt < :until");
            params.put("until", q.until());
        }
        if (q.cursor() != null) {
            Cursor c = Cursor.parse(q.cursor());
            jpql.append(" and (r.occurredAt < :cursorAt or (r.occurredAt = :cursorAt and r.id < :cursorId))");
            params.put("cursorAt", c.at());
            params.put("cursorId", c.id());
        }
        jpql.append(" order by r.occurredAt desc, r.id desc");
        var query = em.createQuery(jpql.toString(), AuditRecordEntity.class);
        params.forEach(query::setParameter);
        List<AuditRecordEntity> rows = query.setMaxResults(q.limit() + 1).getResultList();
        String next = null;
        if (rows.size() > q.limit()) {
            rows = rows.subList(0, q.limit());
            AuditRecordEntity last = rows.get(rows.size() - 1);
            next = new Cursor(last.occurredAt, last.id).toString();
        }
        return new AuditPage(rows.stream().map(r -> new AuditEntry(r.requestId, r.occurredAt, r.nodeId, r.subject,
                r.role, r.apiKeyId, r.organisation, r.channel, r.action, r.server, r.target, r.argumentDigest,
                r.argumentsRedacted, r.outcome, r.errorType, r.durationMicros, r.cacheHit, r.clientAddress)).toList(),
                next);
    }

    private static void filter(StringBuilder jpql, Map<String, Object> params, String field, String value) {
        if (value != null) {
            jpql.append(" and r.").append(field).append(" = :").append(field);
            params.put(field, value);
        }
    }

    /** Deletes records older than {@code before}, in batches, each in its own transaction. */
    @Transactional
    public long deleteBefore(Instant before) {
        return em.createQuery("delete from AuditRecordEntity r where r.occurredAt < :before")
                .setParameter("before", before).executeUpdate();
    }

    /** Where a page ended: the last record's time and id, opaque to clients (base64url). */
    record Cursor(Instant at, long id) {
        static Cursor parse(String text) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split(":");
                return new Cursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                        Long.parseLong(parts[2]));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a cursor of this audit trail", e);
            }
        }

        @Override
        public String toString() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((at.getEpochSecond() + ":" + at.getNano() + ":"
                    + id).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
