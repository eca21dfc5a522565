package dev.sluice.agents;

/**
 * A CDI event, fired once per budget and month (across all nodes) when a monthly token budget reaches
 * its alert threshold ({@code sluice.agents.budget.alert-at}, 80 % by default).
 *
 * @param scope {@code all}, {@code model:<provider:model>} or {@code organisation:<name>}
 * @param month {@code yyyy-MM} (UTC)
 * @param usedTokens tokens used this month when it fired
 * @param limitTokens the monthly limit
 */
public record BudgetAlert(String scope, String month, long usedTokens, long limitTokens) {
}
