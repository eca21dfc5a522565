package dev.sluice.agents;

/**
 * Tokens used in one month by one group ({@code model}, {@code role}, {@code subject}, {@code server}
 * or {@code organisation}).
 *
 * @param month {@code yyyy-MM} (UTC)
 * @param group the grouping
 * @param key the model, role, subject, server or organisation ({@code ""} for none)
 * @param calls model calls
 * @param promptTokens prompt tokens
 * @param completionTokens completion tokens
 */
public record TokenUsage(String month, String group, String key, long calls, long promptTokens,
        long completionTokens) {
    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
