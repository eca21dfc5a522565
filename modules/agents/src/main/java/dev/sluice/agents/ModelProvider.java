package dev.sluice.agents;

/**
 * A language model API behind one interface: OpenAI-compatible chat completions (OpenAI, and local
 * servers such as Ollama or vLLM that speak it) and Anthropic messages.
 */
public interface ModelProvider {
    /** The prefix of model references it serves: {@code openai}, {@code anthropic}. */
    String id();

    /**
     * @throws dev.sluice.core.SluiceException {@code model-unavailable} when the provider cannot be reached,
     *     times out or fails (retried by the caller), {@code invalid-params} when it refuses the request
     */
    ModelReply complete(ModelRequest request);
}
