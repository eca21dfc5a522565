package dev.sluice.registry.internal;

import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.Catalog;
import dev.sluice.registry.CatalogChanged;
import dev.sluice.registry.CatalogSnapshot;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The catalog from a YAML file ({@code sluice.registry.catalog-file}), or the built-in default
 * catalog when none is configured. The file is checked for changes every
 * {@code sluice.registry.catalog-poll} and reloaded; an invalid file at start stops the start, an
 * invalid file later is refused and the catalog in force stays.
 */
@ApplicationScoped
public class FileCatalog implements Catalog {
    private static final Logger LOG = Logger.getLogger(FileCatalog.class.getName());
    static final String DEFAULT_RESOURCE = "/dev/sluice/registry/default-catalog.yaml";

    @Inject
    @ConfigProperty(name = "sluice.registry.catalog-file")
    Optional<String> file;

    @Inject
    @ConfigProperty(name = "sluice.registry.catalog-poll", defaultValue = "PT5S")
    Duration poll;

    @Inject
    Event<CatalogChanged> changed;

    private volatile CatalogSnapshot current;
    private volatile FileTime lastModified;
    private ScheduledExecutorService watcher;

    @PostConstruct
    void load() {
        current = read();
        LOG.info(() -> "catalog " + current.source() + ": " + current.servers().size() + " servers, "
                + current.virtualServers().size() + " virtual servers");
        if (file.isPresent() && !poll.isZero()) {
            watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sluice-catalog-watch");
                t.setDaemon(true);
                return t;
            });
            watcher.scheduleWithFixedDelay(this::reloadIfChanged, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @PreDestroy
    void stop() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }

    @Override
    public CatalogSnapshot current() {
        return current;
    }

    @Override
    public synchronized CatalogSnapshot reload() {
        CatalogSnapshot before = current;
        CatalogSnapshot after = read();
        current = after;
        changed.fire(new CatalogChanged(before, after));
        LOG.info(() -> "catalog reloaded from " + after.source() + ": " + after.servers().size() + " servers");
        return after;
    }

    private void reloadIfChanged() {
        try {
            FileTime modified = Files.getLastModifiedTime(Path.of(file.orElseThrow()));
            if (!modified.equals(lastModified)) {
                reload();
            }
        } catch (IOException e) {
            LOG.warning(() -> "catalog file " + file.orElse("") + " cannot be read: " + e.getMessage());
        } catch (SluiceException e) {
            LOG.warning(() -> "catalog change refused, the previous catalog stays: " + e.detail());
        }
    }

    private CatalogSnapshot read() {
        if (file.isEmpty() || file.get().isBlank()) {
            try (InputStream in = FileCatalog.class.getResourceAsStream(DEFAULT_RESOURCE)) {
                return CatalogParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in default");
            } catch (IOException e) {
                throw new IllegalStateException("the built-in catalog is missing", e);
            }
        }
        Path path = Path.of(file.get());
        try {
            lastModified = Files.getLastModifiedTime(path);
            return CatalogParser.parse(Files.readString(path), path.toString());
        } catch (IOException e) {
            throw new SluiceException(ErrorKind.INVALID_CATALOG, "catalog file " + path + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
