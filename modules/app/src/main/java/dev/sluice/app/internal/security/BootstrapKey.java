package dev.sluice.app.internal.security;

import dev.sluice.core.PrivateFiles;
import dev.sluice.security.ApiKeys;
import dev.sluice.security.IssuedApiKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperties;

/**
 * The way into a new install. On a start with no API keys in the database, it creates the first
 * {@code owner} key: the one given in {@code sluice.security.bootstrap-key} (a deployment that
 * provisions its own), or else a new random key that it writes, once, to
 * {@code sluice.security.bootstrap-key-file} (readable by the server's user only). The key never
 * appears in the log; the log says where the file is.
 */
@ApplicationScoped
public class BootstrapKey {
    private static final Logger LOG = Logger.getLogger(BootstrapKey.class.getName());

    @Inject
    @ConfigProperties
    AccessSettings access;

    @Inject
    ApiKeys apiKeys;

    void start(@Observes Startup startup) {
        try {
            Optional<IssuedApiKey> created = apiKeys.bootstrap(access.bootstrapKey.orElse(null));
            if (created.isEmpty()) {
                return;
            }
            if (access.bootstrapKey.isPresent() && !access.bootstrapKey.get().isBlank()) {
                LOG.info("first start: stored the configured bootstrap owner API key (sluice.security.bootstrap-key)");
                return;
            }
            Path path = Path.of(access.bootstrapKeyFile).toAbsolutePath();
            // created readable by the server's user only from its first moment (no chmod afterwards)
            PrivateFiles.write(path, created.get().secret() + "\n");
            LOG.warning("first start: created an owner API key and wrote it to " + path
                    + " — use it as 'Authorization: Bearer <key>', create your own keys, then delete the file");
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "the bootstrap owner API key could not be created: " + e.getMessage(), e);
        }
    }
}
