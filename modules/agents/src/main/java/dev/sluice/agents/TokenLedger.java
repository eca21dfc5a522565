package dev.sluice.agents;

import java.util.List;

/** Token accounting: what model calls used, by month, and the monthly budgets. */
public interface TokenLedger {
    /** Usage of a month ({@code yyyy-MM}), grouped by {@code model}, {@code role}, {@code subject},
     * {@code server} or {@code organisation}. */
    List<TokenUsage> usage(String month, String groupBy);

    /** Every configured monthly budget with this month's use, for an organisation (or none). */
    List<TokenBudget> budgets(String organisation);
}
