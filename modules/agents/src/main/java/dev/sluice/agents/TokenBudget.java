package dev.sluice.agents;

/**
 * A monthly token limit and how much of it this month used.
 *
 * @param scope {@code all}, {@code model:<provider:model>} or {@code organisation:<name>}
 * @param limitTokens the monthly limit
 * @param usedTokens tokens used this month (UTC)
 */
public record TokenBudget(String scope, long limitTokens, long usedTokens) {
    public double usedShare() {
        return limitTokens <= 0 ? 0 : (double) usedTokens / limitTokens;
    }
}
