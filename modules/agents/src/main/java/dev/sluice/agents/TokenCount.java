package dev.sluice.agents;

/**
 * The tokens of one model call.
 *
 * @param prompt prompt (input) tokens
 * @param completion completion (output) tokens
 * @param countedBy {@code provider} when the provider's usage field said so, {@code tokenizer} when
 *     Sluice counted them itself because the provider did not
 */
public record TokenCount(long prompt, long completion, String countedBy) {
    public long total() {
        return prompt + completion;
    }
}
