package dev.sluice.agents.internal;

import dev.sluice.agents.TokenBudget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The once-a-month claim of a budget alert, in {@code token_budget_alerts}: the row's primary key
 * (scope, month, threshold) lets exactly one node fire it.
 */
@ApplicationScoped
public class AlertClaims {

    @PersistenceContext(unitName = "sluice")
    EntityManager em;

    /**
     * True for the first claim of this budget, month and threshold; false when it was already fired.
     * Throws when another node inserted the row between this look and this insert (the caller takes that
     * as a no).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean claim(TokenBudget b, String month, int threshold) {
        Number exists = (Number) em.createNativeQuery("select count(*) from token_budget_alerts where budget_scope = ?1"
                + " and budget_month = ?2 and threshold = ?3").setParameter(1, b.scope()).setParameter(2, month)
                .setParameter(3, threshold).getSingleResult();
        if (exists.longValue() > 0) {
            return false;
        }
        em.createNativeQuery("insert into token_budget_alerts (budget_scope, budget_month, threshold, fired_at,"
                + " used_tokens, limit_tokens) values (?1, ?2, ?3, ?4, ?5, ?6)").setParameter(1, b.scope())
                .setParameter(2, month).setParameter(3, threshold).setParameter(4, Timestamp.from(Instant.now()))
                .setParameter(5, b.usedTokens()).setParameter(6, b.limitTokens()).executeUpdate();
        return true;
    }
}
