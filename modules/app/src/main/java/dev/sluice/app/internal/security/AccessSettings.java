package dev.sluice.app.internal.security;

import jakarta.enterprise.context.Dependent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperties;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@code sluice.security.*} keys the web layer reads (authentication at the door, the bootstrap
 * key, request bodies, browsers), with their defaults in one place; the security module reads its own.
 * The reference is {@code src-docs/reference/configuration.md}.
 */
@Dependent
@ConfigProperties(prefix = "sluice.security")
public class AccessSettings {
    // a request without credentials: refused, or given this role; the URL clients are told to use
    @ConfigProperty(name = "anonymous-role") public Optional<String> anonymousRole;
    @ConfigProperty(name = "public-url") public Optional<String> publicUrl;

    // failed authentications from one address: how many in a window before 429, how many audited
    @ConfigProperty(name = "auth-failures.limit", defaultValue = "20") public int failureLimit;
    @ConfigProperty(name = "auth-failures.window", defaultValue = "PT1M") public Duration failureWindow;
    @ConfigProperty(name = "auth-failures.audited", defaultValue = "1") public int failuresAudited;

    // the first owner key (given, else written once to the file) and a rotated key's overlap
    @ConfigProperty(name = "bootstrap-key") public Optional<String> bootstrapKey;
    @ConfigProperty(name = "bootstrap-key-file", defaultValue = "bootstrap-owner.key") public String bootstrapKeyFile;
    @ConfigProperty(name = "api-keys.rotation-overlap", defaultValue = "PT24H") public Duration rotationOverlap;

    // browsers allowed cross-origin calls, and the largest request body
    @ConfigProperty(name = "cors.allowed-origins") public Optional<List<String>> corsOrigins;
    @ConfigProperty(name = "max-body-bytes", defaultValue = "4194304") public long maxBodyBytes;
}
