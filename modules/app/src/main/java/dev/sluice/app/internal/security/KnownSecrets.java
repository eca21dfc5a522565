package dev.sluice.app.internal.security;

import dev.sluice.core.SecretValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.annotation.Priority;
import jakarta.interceptor.Interceptor;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Tells redaction, before anything else starts, every secret this node was given: the values of its
 * environment variables whose names say they are secrets ({@code DB_PASSWORD},
 * {@code SLUICE_SECURITY_API_KEYS_HASH_KEY}, {@code SLUICE_SECRETS_KEYS}, {@code SLUICE_MCP_SESSION_KEYS},
 * model-provider keys …) and of the configuration keys that hold key material, however they were
 * set. From then on they are masked in results, errors, audit records and logs.
 */
@ApplicationScoped
public class KnownSecrets {
    /** Configuration keys whose values are secrets whatever their source (system property, file, environment). */
    static final List<String> SECRET_KEYS = List.of("db.password", "sluice.security.bootstrap-key",
            "sluice.security.api-keys.hash-key", "sluice.secrets.keys", "sluice.mcp.session-keys",
            "sluice.agents.openai.api-key", "sluice.agents.anthropic.api-key", "sluice.cache.redis.password");

    void register(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) Startup startup) {
        SecretValues.registerNamed(System.getenv());
        Config config = ConfigProvider.getConfig();
        for (String key : SECRET_KEYS) {
            config.getOptionalValue(key, String.class).ifPresent(v -> SecretValues.registerNamed(Map.of(key, v)));
        }
    }
}
