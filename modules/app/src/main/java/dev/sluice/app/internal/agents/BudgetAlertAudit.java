package dev.sluice.app.internal.agents;

import dev.sluice.agents.BudgetAlert;
import dev.sluice.core.RequestIds;
import dev.sluice.observability.AuditEntry;
import dev.sluice.observability.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * A monthly token budget's alert goes into the audit trail too (action {@code token-budget/alert},
 * target the budget's scope), where administrators look for what happened and when.
 */
@ApplicationScoped
public class BudgetAlertAudit {

    @Inject
    AuditLog audit;

    void on(@Observes BudgetAlert alert) {
        audit.record(AuditEntry.ofSystem(RequestIds.next(), "agent", "token-budget/alert", alert.scope(),
                "{\"month\":\"" + alert.month() + "\",\"used\":" + alert.usedTokens() + ",\"limit\":" + alert.limitTokens()
                        + "}"));
    }
}
