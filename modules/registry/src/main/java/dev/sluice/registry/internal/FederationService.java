package dev.sluice.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ClientChannel;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.Catalog;
import dev.sluice.registry.CatalogChanged;
import dev.sluice.registry.FederatedList;
import dev.sluice.registry.Federation;
import dev.sluice.registry.QualifiedName;
import dev.sluice.registry.Route;
import dev.sluice.registry.ServerDefinition;
import dev.sluice.registry.UpstreamListener;
import dev.sluice.registry.Upstreams;
import dev.sluice.registry.VirtualServer;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/** {@link Federation} over the upstream connections of this node, with a list cache per server and kind. */
@ApplicationScoped
public class FederationService implements Federation, UpstreamListener {
    private static final int MAX_PAGES = 100;

    @Inject
    Catalog catalog;

    @Inject
    Upstreams upstreams;

    /** server -> kind -> the upstream's own entries. */
    private final Map<String, Map<Kind, List<ObjectNode>>> lists = new ConcurrentHashMap<>();
    /** Each server's entries as it last listed them, for routing calls while it cannot be reached. */
    private final Map<String, Map<Kind, List<ObjectNode>>> lastKnown = new ConcurrentHashMap<>();
    private final List<UpstreamListener> listeners = new CopyOnWriteArrayList<>();

    /** The container's default managed executor, which fetches the lists of several servers at once. */
    @Resource
    ManagedExecutorService managedExecutor;

    private volatile Executor fetchers;

    @PostConstruct
    void listen() {
        fetchers(managedExecutor);
        upstreams.addListener(this);
    }

    /** Where the lists of several servers are fetched at once: the managed executor, a plain one in unit tests. */
    void fetchers(Executor pool) {
        this.fetchers = pool;
    }

    void catalogChanged(@Observes CatalogChanged change) {
        lists.clear();
        lastKnown.clear();
        for (ServerDefinition server : change.after().servers()) {
            listeners.forEach(l -> {
                l.listChanged(server.name(), "tools");
                l.listChanged(server.name(), "prompts");
                l.listChanged(server.name(), "resources");
            });
        }
    }

    @Override
    public void listChanged(String server, String kind) {
        Map<Kind, List<ObjectNode>> cached = lists.get(server);
        if (cached != null) {
            switch (kind) {
                case "tools" -> cached.remove(Kind.TOOLS);
                case "prompts" -> cached.remove(Kind.PROMPTS);
                default -> {
                    cached.remove(Kind.RESOURCES);
                    cached.remove(Kind.RESOURCE_TEMPLATES);
                }
            }
        }
        listeners.forEach(l -> l.listChanged(server, kind));
    }

    @Override
    public void resourceUpdated(String server, ObjectNode params) {
        listeners.forEach(l -> l.resourceUpdated(server, params));
    }

    @Override
    public void addListener(UpstreamListener listener) {
        listeners.add(listener);
    }

    private List<String> serversOf(VirtualServer vs) {
        List<String> names = new ArrayList<>();
        for (ServerDefinition def : catalog.current().servers()) {
            if (def.enabled() && vs.drawsFrom(def.name())) {
                names.add(def.name());
            }
        }
        return names;
    }

    /** The upstream's own entries of one kind, fetched (all pages) when not cached. */
    private List<ObjectNode> entries(String server, Kind kind) {
        Map<Kind, List<ObjectNode>> cached = lists.computeIfAbsent(server, s -> new ConcurrentHashMap<>());
        List<ObjectNode> hit = cached.get(kind);
        if (hit != null) {
            return hit;
        }
        ObjectNode init = upstreams.initializeResult(server).orElse(Json.object());
        if (!init.path("capabilities").has(kind.capability())) {
            cached.put(kind, List.of());
            return List.of();
        }
        List<ObjectNode> all = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            ObjectNode params = Json.object();
            if (cursor != null) {
                params.put("cursor", cursor);
            }
            ObjectNode answer = upstreams.request(server, kind.method(), params, ClientChannel.NONE);
            if (answer.has("error")) {
                throw new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, server + " refused "
                        + kind.method() + ": " + answer.path("error").path("message").asText());
            }
            JsonNode result = answer.path("result");
            for (JsonNode entry : result.path(kind.field())) {
                if (entry instanceof ObjectNode o) {
                    all.add(o);
                }
            }
            cursor = result.path("nextCursor").asText(null);
            if (cursor == null || cursor.isEmpty()) {
                break;
            }
        }
        List<ObjectNode> frozen = List.copyOf(all);
        cached.put(kind, frozen);
        lastKnown.computeIfAbsent(server, s -> new ConcurrentHashMap<>()).put(kind, frozen);
        return frozen;
    }

    /**
     * The server's entries for routing a call: as listed now, or, while the server cannot be reached,
     * as it last listed them. A call to a server that is down thus reaches the pipeline, which audits
     * it, applies the server's circuit breaker and may answer from the cache (stale-if-error);
     * listings leave such a server out.
     */
    private List<ObjectNode> known(String server, Kind kind) {
        try {
            return entries(server, kind);
        } catch (SluiceException e) {
            List<ObjectNode> last = lastKnown.getOrDefault(server, Map.of()).get(kind);
            if (last != null && (e.kind() == ErrorKind.UPSTREAM_UNAVAILABLE
                    || e.kind() == ErrorKind.UPSTREAM_TIMEOUT
                    || e.kind() == ErrorKind.UPSTREAM_BUSY)) {
                return last;
            }
            throw e;
        }
    }

    @Override
    public FederatedList list(VirtualServer vs, Kind kind) {
        String separator = catalog.current().separator();
        List<String> servers = serversOf(vs);
        Map<String, CompletableFuture<List<ObjectNode>>> fetches = new LinkedHashMap<>();
        for (String server : servers) {
            fetches.put(server, CompletableFuture.supplyAsync(() -> entries(server, kind), fetchers));
        }
        List<ObjectNode> items = new ArrayList<>();
        List<Route> routes = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, CompletableFuture<List<ObjectNode>>> fetch : fetches.entrySet()) {
            String server = fetch.getKey();
            List<ObjectNode> entries;
            try {
                entries = fetch.getValue().join();
            } catch (RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                unavailable.add(server + ": " + (cause instanceof SluiceException se ? se.detail() : cause.getMessage()));
                continue;
            }
            for (ObjectNode entry : entries) {
                ObjectNode exposed = entry;
                String key;
                if (kind == Kind.TOOLS || kind == Kind.PROMPTS) {
                    QualifiedName qualified = new QualifiedName(server, entry.path("name").asText());
                    String federated = qualified.render(separator);
                    if (!vs.includes(federated)) {
                        continue;
                    }
                    key = vs.prefixed() ? federated : qualified.name();
                    if (vs.prefixed()) {
                        exposed = entry.deepCopy();
                        exposed.put("name", key);
                    }
                    if (qualified.tooLong(separator) && vs.prefixed()) {
                        problems.add(key + ": longer than " + QualifiedName.MAX_RECOMMENDED_LENGTH
                                + " characters, which some clients refuse");
                    }
                } else {
                    key = entry.path(kind == Kind.RESOURCES ? "uri" : "uriTemplate").asText();
                }
                if (!seen.add(key)) {
                    problems.add(key + ": offered twice (by " + server + " and an earlier server); the first is served");
                    continue;
                }
                items.add(exposed);
                routes.add(new Route(server, kind == Kind.TOOLS || kind == Kind.PROMPTS
                        ? entry.path("name").asText() : key, entry));
            }
        }
        return new FederatedList(items, routes, unavailable, problems);
    }

    @Override
    public Optional<Route> route(VirtualServer vs, Kind kind, String federatedName) {
        String separator = catalog.current().separator();
        Optional<Route> candidate;
        if (!vs.prefixed()) {
            List<String> servers = serversOf(vs);
            if (servers.size() != 1) {
                return Optional.empty();
            }
            String server = servers.get(0);
            candidate = vs.includes(new QualifiedName(server, federatedName).render(separator))
                    ? Optional.of(new Route(server, federatedName)) : Optional.empty();
        } else {
            candidate = QualifiedName.parse(federatedName, separator)
                    .filter(q -> vs.drawsFrom(q.server()))
                    .filter(q -> catalog.current().server(q.server()).map(ServerDefinition::enabled).orElse(false))
                    .filter(q -> vs.includes(federatedName))
                    .map(q -> new Route(q.server(), q.name()));
        }
        // only what the upstream lists is routed: an unknown name is refused here, never guessed upstream
        return candidate.flatMap(r -> known(r.server(), kind).stream()
                .filter(e -> r.name().equals(e.path("name").asText()))
                .findFirst()
                .map(e -> new Route(r.server(), r.name(), e)));
    }

    @Override
    public Optional<Route> routeResource(VirtualServer vs, String uri) {
        List<String> servers = serversOf(vs);
        for (String server : servers) {
            try {
                for (ObjectNode resource : known(server, Kind.RESOURCES)) {
                    if (uri.equals(resource.path("uri").asText())) {
                        return Optional.of(new Route(server, uri, resource));
                    }
                }
            } catch (RuntimeException e) {
                // an unreachable server cannot serve it
            }
        }
        for (String server : servers) {
            try {
                for (ObjectNode template : known(server, Kind.RESOURCE_TEMPLATES)) {
                    if (matches(template.path("uriTemplate").asText(), uri)) {
                        return Optional.of(new Route(server, uri, template));
                    }
                }
            } catch (RuntimeException e) {
                // as above
            }
        }
        return servers.size() == 1 ? Optional.of(new Route(servers.get(0), uri)) : Optional.empty();
    }

    /** Whether a URI fits an RFC 6570 template (simple and reserved expansions). */
    static boolean matches(String template, String uri) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                regex.append(Pattern.quote(template.substring(i)));
                break;
            }
            regex.append(Pattern.quote(template.substring(i, open)));
            int close = template.indexOf('}', open);
            if (close < 0) {
                return false;
            }
            String expression = template.substring(open + 1, close);
            regex.append(expression.startsWith("+") || expression.startsWith("#") ? ".*" : "[^/]*");
            i = close + 1;
        }
        return Pattern.matches(regex.toString(), uri);
    }
}
