package dev.sluice.agents;

/**
 * The tokens of one model call.
 *
 * @param prompt prompt (input) tokens
 * @param completion completion (output) tokens
 * @param countedBy {@code provider} when the provider's usage field said so, {@code tokenizer} when
 *     Sluice counted them itself because the provider did not
 * @param cachedPrompt of the prompt tokens, those the provider read from its prompt cache (billed at a
 *     fraction of the price; Anthropic's {@code cache_read_input_tokens}, OpenAI's
 *     {@code prompt_tokens_details.cached_tokens}); 0 when none or unknown
 */
public record TokenCount(long prompt, long completion, String countedBy, long cachedPrompt) {
    public TokenCount(long prompt, long completion, String countedBy) {
        this(prompt, completion, countedBy, 0);
    }

    public long total() {
        return prompt + completion;
    }
}
