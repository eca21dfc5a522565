package dev.sluice.agents.internal;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Locale;

/**
 * Counts tokens with the BPE encodings of OpenAI's tokenizer (jtokkit): {@code o200k_base} for the
 * GPT-4o family and newer, {@code cl100k_base} otherwise. For Anthropic models, whose tokenizer is not
 * public, cl100k_base is an estimate. Used when a provider's answer carries no usage, and by the
 * token-overhead benchmark.
 */
public final class Tokenizer {
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private Tokenizer() {
    }

    /** The encoding for a model reference ({@code provider:model}). */
    public static Encoding encodingFor(String modelRef) {
        String m = modelRef == null ? "" : modelRef.toLowerCase(Locale.ROOT);
        boolean o200k = m.startsWith("openai:") && (m.contains("gpt-4o") || m.contains("gpt-4.1") || m.contains("gpt-5")
                || m.contains(":o1") || m.contains(":o3") || m.contains(":o4"));
        return REGISTRY.getEncoding(o200k ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE);
    }

    public static int count(String modelRef, String text) {
        return text == null || text.isEmpty() ? 0 : encodingFor(modelRef).countTokensOrdinary(text);
    }
}
