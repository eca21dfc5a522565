package dev.sluice.agents;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

/** Token accounting: what model calls used, by month, and the monthly budgets. */
public interface TokenLedger {
    /** Usage of a month ({@code yyyy-MM}), grouped by {@code model}, {@code role}, {@code subject},
     * {@code server}, {@code organisation} or {@code day}. */
    List<TokenUsage> usage(String month, String groupBy);

    /** Every configured monthly budget with this month's use, for an organisation (or none). */
    List<TokenBudget> budgets(String organisation);

    /**
     * The tokens (prompt and completion) of the model calls from {@code from} (inclusive) to {@code to}
     * (exclusive), summed per minute: minute start → tokens, minutes without calls left out.
     */
    SortedMap<Instant, Long> perMinute(Instant from, Instant to);
}
