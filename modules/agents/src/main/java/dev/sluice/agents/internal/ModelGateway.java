package dev.sluice.agents.internal;

import dev.sluice.agents.ModelProvider;
import dev.sluice.agents.ModelReply;
import dev.sluice.agents.ModelRequest;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.SecretValues;
import dev.sluice.core.SluiceException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperties;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * The model providers, configured once, behind {@link #complete}: a model reference
 * {@code provider:model} picks the provider. Calls that may succeed when tried again are retried with
 * MicroProfile Fault Tolerance (two more tries by default; override with
 * {@code dev.sluice.agents.internal.ModelGateway/complete/Retry/maxRetries}); each try is bounded by
 * {@code sluice.agents.request-timeout}.
 */
@ApplicationScoped
public class ModelGateway {
    @Inject
    @ConfigProperties
    AgentSettings settings;

    private Map<String, ModelProvider> providers;

    @PostConstruct
    void configure() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1).build();
        providers = Map.of(
                "openai", new OpenAiProvider(http, settings.openAiUrl, secret(settings.openAiKey), settings.timeout),
                "anthropic", new AnthropicProvider(http, settings.anthropicUrl, secret(settings.anthropicKey), settings.anthropicVersion, settings.timeout,
                        settings.anthropicCaching));
    }

    /**
     * A key given by reference: {@code env:NAME} (an environment variable), {@code file:PATH} (a file's
     * first line, as container secrets are mounted), or the value itself. The key is registered as a
     * secret value, so that it is masked wherever it might show.
     */
    static String secret(Optional<String> reference) {
        if (reference.isEmpty() || reference.get().isBlank()) {
            return null;
        }
        String ref = reference.get().strip();
        String value;
        if (ref.startsWith("env:")) {
            value = System.getenv(ref.substring(4));
        } else if (ref.startsWith("file:")) {
            try {
                value = Files.readString(Path.of(ref.substring(5)), StandardCharsets.UTF_8).lines().findFirst()
                        .orElse("").strip();
            } catch (IOException e) {
                throw new UncheckedIOException("the model API key file " + ref.substring(5) + " cannot be read", e);
            }
        } else {
            value = ref;
        }
        if (value != null && !value.isBlank()) {
            SecretValues.register(value);
        }
        return value == null || value.isBlank() ? null : value;
    }

    /** The provider of a model reference, checked before a run starts. */
    public ModelProvider provider(String modelRef) {
        int colon = modelRef == null ? -1 : modelRef.indexOf(':');
        if (colon <= 0 || colon == modelRef.length() - 1) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS,
                    "model '" + modelRef + "' is not 'provider:model' (providers: openai, anthropic)");
        }
        ModelProvider p = providers.get(modelRef.substring(0, colon));
        if (p == null) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "model '" + modelRef + "' names no known provider"
                    + " (openai, anthropic)");
        }
        return p;
    }

    /** One model call, retried while the provider is unavailable. */
    @Retry(maxRetries = 2, delay = 500, jitter = 200, retryOn = ModelUnavailableException.class)
    public ModelReply complete(String modelRef, ModelRequest request) {
        return provider(modelRef).complete(request);
    }

    /** The model name without its provider prefix. */
    public static String modelName(String modelRef) {
        return modelRef.substring(modelRef.indexOf(':') + 1);
    }
}
