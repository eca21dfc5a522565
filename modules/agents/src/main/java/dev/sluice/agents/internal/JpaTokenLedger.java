package dev.sluice.agents.internal;

import dev.sluice.agents.BudgetAlert;
import dev.sluice.agents.TokenBudget;
import dev.sluice.agents.TokenLedger;
import dev.sluice.agents.TokenUsage;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.SluiceException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperties;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Token accounting in {@code token_usage}, and the monthly budgets of configuration: all usage
 * ({@code sluice.agents.budget.monthly-tokens}), per model ({@code sluice.agents.budget.per-model}) and
 * per organisation ({@code sluice.agents.budget.per-organisation}). At {@code sluice.agents.budget.alert-at}
 * (80 %) of a budget an alert fires once per budget and month across every node (a warning in the log, the
 * counter {@code mcp_token_budget_alerts_total} and a CDI event {@link BudgetAlert}, which the application writes to the audit trail); at 100 % runs are refused.
 */
@ApplicationScoped
public class JpaTokenLedger implements TokenLedger {
    private static final Logger LOG = Logger.getLogger(JpaTokenLedger.class.getName());
    static final Metadata TOKENS = Metadata.builder().withName("mcp_token_usage")
            .withDescription("Tokens of model calls (prompt and completion) by agent role and by the MCP server and tool"
                    + " whose result was in the prompt").build();
    static final Metadata ALERTS = Metadata.builder().withName("mcp_token_budget_alerts")
            .withDescription("Monthly token budgets that reached their alert threshold").build();

    @PersistenceContext(unitName = "sluice")
    EntityManager em;

    @Inject
    @ConfigProperties
    AgentSettings settings;

    @Inject
    MetricRegistry metrics;

    @Inject
    Event<BudgetAlert> alerts;

    @Inject
    AlertClaims claims;

    static String month(Instant at) {
        return YearMonth.from(at.atZone(ZoneOffset.UTC)).toString();
    }

    /** Records one model call's tokens and counts them in the metric. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void record(TokenUsageEntity usage, String tool) {
        em.persist(usage);
        metrics.counter(TOKENS, new Tag("agent", usage.role == null ? "" : usage.role),
                new Tag("server", usage.server == null ? "" : usage.server), new Tag("tool", tool == null ? "" : tool))
                .inc(usage.promptTokens + usage.completionTokens);
    }

    /** Budgets that apply to a call of this model by this organisation. */
    List<TokenBudget> applicable(String modelRef, String organisation) {
        List<TokenBudget> out = new ArrayList<>();
        Instant now = Instant.now();
        if (settings.monthlyTokens > 0) {
            out.add(new TokenBudget("all", settings.monthlyTokens, used(now, null, null)));
        }
        Long m = parse(settings.perModel).get(modelRef);
        if (m != null) {
            out.add(new TokenBudget("model:" + modelRef, m, used(now, modelRef, null)));
        }
        Long o = organisation == null ? null : parse(settings.perOrganisation).get(organisation);
        if (o != null) {
            out.add(new TokenBudget("organisation:" + organisation, o, used(now, null, organisation)));
        }
        return out;
    }

    /**
     * Refuses when a budget for this model or organisation is spent; fires the alert of any budget past
     * its threshold (once a month).
     *
     * @throws SluiceException {@code token-budget-exceeded}
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void check(String modelRef, String organisation) {
        for (TokenBudget b : applicable(modelRef, organisation)) {
            if (b.usedTokens() >= b.limitTokens()) {
                throw new SluiceException(ErrorKind.TOKEN_BUDGET_EXCEEDED, "the monthly token budget '" + b.scope()
                        + "' is spent: " + b.usedTokens() + " of " + b.limitTokens() + " tokens used in " + month(Instant.now()),
                        Json.object().put("scope", b.scope()).put("limit", b.limitTokens()).put("used", b.usedTokens()),
                        null);
            }
        }
    }

    /** After usage was recorded: fires the alert of each budget that crossed its threshold. */
    public void alertIfDue(String modelRef, String organisation) {
        for (TokenBudget b : applicable(modelRef, organisation)) {
            String month = month(Instant.now());
            if (b.usedShare() >= settings.alertAt && claimed(b, month)) {
                LOG.warning(() -> "token budget '" + b.scope() + "' reached " + Math.round(b.usedShare() * 100) + " % in "
                        + month + ": " + b.usedTokens() + " of " + b.limitTokens() + " tokens");
                metrics.counter(ALERTS, new Tag("scope", b.scope().startsWith("organisation:") ? "organisation"
                        : b.scope())).inc();
                alerts.fire(new BudgetAlert(b.scope(), month, b.usedTokens(), b.limitTokens()));
            }
        }
    }

    private boolean claimed(TokenBudget b, String month) {
        try {
            return claims.claim(b, month, (int) Math.round(settings.alertAt * 100));
        } catch (RuntimeException raced) { // another node claimed it first
            return false;
        }
    }

    private long used(Instant now, String modelRef, String organisation) {
        YearMonth ym = YearMonth.from(now.atZone(ZoneOffset.UTC));
        Instant from = ym.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = ym.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        StringBuilder q = new StringBuilder("select coalesce(sum(u.promptTokens + u.completionTokens), 0) from TokenUsageEntity u"
                + " where u.occurredAt >= :from and u.occurredAt < :to");
        if (modelRef != null) {
            q.append(" and concat(u.provider, ':', u.model) = :model");
        }
        if (organisation != null) {
            q.append(" and u.organisation = :org");
        }
        var query = em.createQuery(q.toString(), Long.class).setParameter("from", from).setParameter("to", to);
        if (modelRef != null) {
            query.setParameter("model", modelRef);
        }
        if (organisation != null) {
            query.setParameter("org", organisation);
        }
        return query.getSingleResult();
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<TokenUsage> usage(String month, String groupBy) {
        YearMonth ym;
        try {
            ym = YearMonth.parse(month);
        } catch (RuntimeException e) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'month' must be yyyy-MM, not '" + month + "'");
        }
        Instant from = ym.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = ym.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        String sums = "count(u), sum(u.promptTokens), sum(u.completionTokens), sum(u.cachedPromptTokens)";
        if ("day".equals(groupBy)) { // UTC days, whatever the database's time zone: one indexed range a day
            List<TokenUsage> out = new ArrayList<>();
            for (LocalDate day = ym.atDay(1); !day.isAfter(ym.atEndOfMonth()); day = day.plusDays(1)) {
                Object[] r = em.createQuery("select " + sums + " from TokenUsageEntity u where u.occurredAt >= :from"
                        + " and u.occurredAt < :to", Object[].class)
                        .setParameter("from", day.atStartOfDay(ZoneOffset.UTC).toInstant())
                        .setParameter("to", day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()).getSingleResult();
                if (((Number) r[0]).longValue() > 0) {
                    out.add(new TokenUsage(ym.toString(), groupBy, day.toString(), ((Number) r[0]).longValue(),
                            ((Number) r[1]).longValue(), ((Number) r[2]).longValue(), ((Number) r[3]).longValue()));
                }
            }
            return out;
        }
        String column = switch (groupBy) {
            case "model" -> "concat(u.provider, ':', u.model)";
            case "role" -> "coalesce(u.role, '')";
            case "subject" -> "coalesce(u.subject, '')";
            case "server" -> "coalesce(u.server, '')";
            case "organisation" -> "coalesce(u.organisation, '')";
            default -> throw new SluiceException(ErrorKind.INVALID_PARAMS, "'by' must be model, role, subject, server,"
                    + " organisation or day, not '" + groupBy + "'");
        };
        List<Object[]> rows = em.createQuery("select " + column + ", " + sums
                + " from TokenUsageEntity u where u.occurredAt >= :from and u.occurredAt < :to group by " + column
                + " order by " + column, Object[].class).setParameter("from", from).setParameter("to", to).getResultList();
        return rows.stream().map(r -> new TokenUsage(ym.toString(), groupBy, String.valueOf(r[0]),
                ((Number) r[1]).longValue(), ((Number) r[2]).longValue(), ((Number) r[3]).longValue(),
                ((Number) r[4]).longValue())).toList();
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public SortedMap<Instant, Long> perMinute(Instant from, Instant to) {
        SortedMap<Instant, Long> out = new TreeMap<>();
        em.createQuery("select u.occurredAt, u.promptTokens + u.completionTokens from TokenUsageEntity u"
                + " where u.occurredAt >= :from and u.occurredAt < :to", Object[].class).setParameter("from", from)
                .setParameter("to", to).getResultStream().forEach(r -> out.merge(
                        ((Instant) r[0]).truncatedTo(ChronoUnit.MINUTES), ((Number) r[1]).longValue(),
                        Long::sum));
        return out;
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<TokenBudget> budgets(String organisation) {
        List<TokenBudget> out = new ArrayList<>();
        Instant now = Instant.now();
        if (settings.monthlyTokens > 0) {
            out.add(new TokenBudget("all", settings.monthlyTokens, used(now, null, null)));
        }
        parse(settings.perModel).forEach((model, limit) -> out.add(new TokenBudget("model:" + model, limit, used(now, model, null))));
        parse(settings.perOrganisation).forEach((org, limit) -> {
            if (organisation == null || organisation.equals(org)) {
                out.add(new TokenBudget("organisation:" + org, limit, used(now, null, org)));
            }
        });
        return out;
    }

    /** {@code key=limit} entries of a list-valued property (a key may contain ':', never '='). */
    static Map<String, Long> parse(Optional<List<String>> entries) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String e : entries.orElse(List.of())) {
            int eq = e.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a token budget entry must be key=tokens, not '" + e + "'");
            }
            out.put(e.substring(0, eq).strip(), Long.parseLong(e.substring(eq + 1).strip()));
        }
        return out;
    }
}
