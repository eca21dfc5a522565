package dev.sluice.agents;

/**
 * Tokens used in one month by one group ({@code model}, {@code role}, {@code subject}, {@code server},
 * {@code organisation} or {@code day}).
 *
 * @param month {@code yyyy-MM} (UTC)
 * @param group the grouping
 * @param key the model, role, subject, server or organisation ({@code ""} for none), or
 *     the day ({@code yyyy-MM-dd}, UTC)
 * @param calls model calls
 * @param promptTokens prompt tokens
 * @param completionTokens completion tokens
 * @param cachedPromptTokens of the prompt tokens, those read from the provider's prompt cache
 */
public record TokenUsage(String month, String group, String key, long calls, long promptTokens,
        long completionTokens, long cachedPromptTokens) {
    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
