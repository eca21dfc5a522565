package dev.sluice.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.Catalog;
import dev.sluice.registry.CatalogChange;
import dev.sluice.registry.CatalogChanged;
import dev.sluice.registry.CatalogChanges;
import dev.sluice.registry.CatalogSnapshot;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The catalog from a YAML file ({@code sluice.registry.catalog-file}), or the built-in default
 * catalog when none is configured, with the run-time changes ({@link CatalogChanges}, kept in the
 * database) applied on top. The file and the changes are checked every {@code sluice.registry.catalog-poll}
 * and the catalog reloads when either moved; an invalid file at start stops the start, an invalid
 * file later is refused and the catalog in force stays.
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

    @Inject
    Instance<CatalogChanges> changeStore;

    @Inject
    SealedSecrets sealed;

    @Inject
    RunTimeEntries runTimeEntries;

    /** Where the file and the run-time changes are watched: the container's default managed scheduler. */
    @Resource
    ManagedScheduledExecutorService scheduler;

    private volatile Loaded current;
    private volatile FileTime lastModified;
    private ScheduledFuture<?> watcher;

    /**
     * A catalog as loaded: the snapshot, the tree it was parsed from (the file with the run-time changes
     * applied), its server entries by name, and where each came from.
     */
    private record Loaded(CatalogSnapshot snapshot, ObjectNode root, Map<String, ObjectNode> entries, Set<String> fileServers,
            Map<String, CatalogChange> lastChanges, Set<String> definedAtRunTime, long version) {
    }

    @PostConstruct
    void load() {
        current = read();
        LOG.info(() -> "catalog " + current.snapshot().source() + ": " + current.snapshot().servers().size()
                + " servers, " + current.snapshot().virtualServers().size() + " virtual servers"
                + (current.lastChanges().isEmpty() ? "" : ", " + current.lastChanges().size() + " changed at run time"));
        if (!poll.isZero()) {
            watcher = scheduler.scheduleWithFixedDelay(this::reloadIfChanged, poll.toMillis(), poll.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    @PreDestroy
    void stop() {
        if (watcher != null) {
            watcher.cancel(false);
        }
    }

    @Override
    public CatalogSnapshot current() {
        return current.snapshot();
    }

    @Override
    public synchronized CatalogSnapshot reload() {
        CatalogSnapshot before = current.snapshot();
        Loaded after = read();
        current = after;
        changed.fire(new CatalogChanged(before, after.snapshot()));
        LOG.info(() -> "catalog reloaded from " + after.snapshot().source() + ": " + after.snapshot().servers().size()
                + " servers");
        return after.snapshot();
    }

    @Override
    public Optional<ObjectNode> entry(String server) {
        ObjectNode e = current.entries().get(server);
        return Optional.ofNullable(e == null ? null : e.deepCopy());
    }

    @Override
    public String origin(String server) {
        return current.fileServers().contains(server) ? "catalog" : "api";
    }

    @Override
    public boolean definedAtRunTime(String server) {
        return current.definedAtRunTime().contains(server);
    }

    @Override
    public Optional<CatalogChange> lastChange(String server) {
        return Optional.ofNullable(current.lastChanges().get(server));
    }

    @Override
    public synchronized CatalogSnapshot change(String server, CatalogChange.Kind kind, ObjectNode definition, String actor,
            String requestId) {
        CatalogChanges store = changes().orElseThrow(() -> new SluiceException(ErrorKind.UNAVAILABLE,
                "run-time catalog changes need Sluice's database"));
        Loaded now = current;
        if (kind != CatalogChange.Kind.DEFINE && !now.entries().containsKey(server)) {
            throw new SluiceException(ErrorKind.UNKNOWN_SERVER, "no server '" + server + "' in the catalog");
        }
        if (kind == CatalogChange.Kind.DELETE && now.fileServers().contains(server)) {
            throw new SluiceException(ErrorKind.CONFLICT, "the server '" + server + "' is defined in the catalog file ("
                    + now.snapshot().source() + "); disable it instead, or remove it from the file");
        }
        ObjectNode entry = null;
        if (kind == CatalogChange.Kind.DEFINE) {
            if (definition == null) {
                throw new SluiceException(ErrorKind.INVALID_PARAMS, "the body must be the server's entry, a JSON object");
            }
            JsonNode named = definition.get("name");
            if (named != null && !named.asText().equals(server)) {
                throw new SluiceException(ErrorKind.INVALID_PARAMS, "the entry's name '" + named.asText()
                        + "' is not the server's name '" + server + "' (a server cannot be renamed)");
            }
            entry = sealed.sealEntry(server, definition); // literal secrets are stored encrypted, never as given
            runTimeEntries.check(server, entry); // what an entry from the API may run, read and reach
            ObjectNode ordered = Json.object().put("name", server); // the name first, as in the file
            ordered.setAll(entry);
            entry = ordered;
        }
        // the catalog in force with this change applied must be valid as a whole
        ObjectNode candidate = now.root().deepCopy();
        apply(candidate, new CatalogChange(0, null, actor, server, kind, entry));
        CatalogParser.parse(candidate, now.snapshot().source() + " with the change to '" + server + "'");
        store.append(server, kind, entry, actor, requestId);
        return reload();
    }

    private Optional<CatalogChanges> changes() {
        return changeStore.isResolvable() ? Optional.of(changeStore.get()) : Optional.empty();
    }

    private void reloadIfChanged() {
        try {
            boolean fileMoved = false;
            if (file.isPresent() && !file.get().isBlank()) {
                FileTime modified = Files.getLastModifiedTime(Path.of(file.get()));
                fileMoved = !modified.equals(lastModified);
            }
            long version = changes().map(CatalogChanges::version).orElse(0L);
            if (fileMoved || version != current.version()) {
                reload();
            }
        } catch (IOException e) {
            LOG.warning(() -> "catalog file " + file.orElse("") + " cannot be read: " + e.getMessage());
        } catch (SluiceException e) {
            LOG.warning(() -> "catalog change refused, the previous catalog stays: " + e.detail());
        } catch (RuntimeException e) { // the database may be away for a moment; the next poll tries again
            LOG.warning(() -> "run-time catalog changes cannot be read: " + e);
        }
    }

    private Loaded read() {
        JsonNode base = baseTree();
        String source = source();
        Set<String> fileServers = new HashSet<>();
        base.path("servers").forEach(e -> fileServers.add(e.path("name").asText()));
        List<CatalogChange> all = List.of();
        long version = 0;
        Optional<CatalogChanges> store = changes();
        if (store.isPresent()) {
            try {
                version = store.get().version();
                all = store.get().all();
            } catch (RuntimeException e) { // the database not migrated yet, or away: the file alone, until the next poll
                LOG.warning(() -> "run-time catalog changes cannot be read yet, the catalog file alone is in force: " + e);
                version = -1;
                all = List.of();
            }
        }
        ObjectNode root = base instanceof ObjectNode o ? o : Json.object(); // freshly parsed: ours to change
        Map<String, CatalogChange> last = new HashMap<>();
        Set<String> runTime = new HashSet<>();
        for (CatalogChange c : all) {
            apply(root, c);
            last.put(c.server(), c);
            if (c.kind() == CatalogChange.Kind.DEFINE) {
                runTime.add(c.server());
            } else if (c.kind() == CatalogChange.Kind.DELETE) {
                runTime.remove(c.server());
            }
        }
        CatalogSnapshot snapshot = CatalogParser.parse(root, all.isEmpty() ? source : source + " with run-time changes");
        Map<String, ObjectNode> entries = new LinkedHashMap<>();
        root.path("servers").forEach(e -> {
            if (e instanceof ObjectNode o) {
                entries.put(o.path("name").asText(), o);
            }
        });
        return new Loaded(snapshot, root, entries, fileServers, last, Set.copyOf(runTime), version);
    }

    /** Applies one change to a catalog tree; a change to a server that is gone is skipped. */
    static void apply(ObjectNode root, CatalogChange c) {
        JsonNode list = root.get("servers");
        ArrayNode servers = list instanceof ArrayNode a ? a : root.putArray("servers");
        int at = -1;
        for (int i = 0; i < servers.size(); i++) {
            if (c.server().equals(servers.get(i).path("name").asText())) {
                at = i;
            }
        }
        switch (c.kind()) {
            case DEFINE -> {
                if (at >= 0) {
                    servers.set(at, c.definition().deepCopy());
                } else {
                    servers.add(c.definition().deepCopy());
                }
            }
            case ENABLE, DISABLE -> {
                if (at >= 0 && servers.get(at) instanceof ObjectNode o) {
                    o.put("enabled", c.kind() == CatalogChange.Kind.ENABLE);
                }
            }
            case DELETE -> {
                if (at >= 0) {
                    servers.remove(at);
                }
            }
        }
    }

    private String source() {
        return file.isEmpty() || file.get().isBlank() ? "built-in default" : file.get();
    }

    private JsonNode baseTree() {
        if (file.isEmpty() || file.get().isBlank()) {
            try (InputStream in = FileCatalog.class.getResourceAsStream(DEFAULT_RESOURCE)) {
                return CatalogParser.tree(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in default");
            } catch (IOException e) {
                throw new IllegalStateException("the built-in catalog is missing", e);
            }
        }
        Path path = Path.of(file.get());
        try {
            lastModified = Files.getLastModifiedTime(path);
            return CatalogParser.tree(Files.readString(path), path.toString());
        } catch (IOException e) {
            throw new SluiceException(ErrorKind.INVALID_CATALOG, "catalog file " + path + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
