package dev.sluice.security.internal;

import jakarta.enterprise.context.Dependent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperties;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@code sluice.security.*} keys the security module reads, with their defaults, in one place
 * (injected with {@code @Inject @ConfigProperties SecuritySettings}); the token verification keys are
 * MicroProfile JWT's ({@link JwtVerification}). The reference is {@code src-docs/reference/configuration.md}.
 */
@Dependent
@ConfigProperties(prefix = "sluice.security")
public class SecuritySettings {
    // bearer tokens: where the role and organisation are, and what an unmapped group becomes
    @ConfigProperty(name = "jwt.role-claim", defaultValue = "groups") String roleClaim;
    @ConfigProperty(name = "jwt.default-role", defaultValue = "viewer") String defaultRole;
    @ConfigProperty(name = "jwt.role-map") Optional<String> roleMapping;
    @ConfigProperty(name = "jwt.organisation-claim", defaultValue = "org") String organisationClaim;

    // API keys: the keyed hash's key (given, else a file made once) and how long a looked-up key is trusted
    @ConfigProperty(name = "api-keys.hash-key") Optional<String> configuredHashKey;
    @ConfigProperty(name = "api-keys.hash-key-file", defaultValue = "resources/security/api-key-hash.key") String hashKeyFile;
    @ConfigProperty(name = "api-keys.cache-ttl", defaultValue = "PT10S") Duration cacheTtl;

    // the SQL guard: statements and functions denied everywhere, functions read tools may call besides the built-in list
    @ConfigProperty(name = "sql.denied-statements") Optional<List<String>> deniedStatements;
    @ConfigProperty(name = "sql.denied-functions") Optional<List<String>> deniedFunctions;
    @ConfigProperty(name = "sql.allowed-functions") Optional<List<String>> allowedFunctions;
}
