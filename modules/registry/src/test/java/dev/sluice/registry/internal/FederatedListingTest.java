package dev.sluice.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ClientChannel;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.JsonRpc;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.CatalogSnapshot;
import dev.sluice.registry.FederatedList;
import dev.sluice.registry.Federation.Kind;
import dev.sluice.registry.Route;
import dev.sluice.registry.UpstreamListener;
import dev.sluice.registry.UpstreamStatus;
import dev.sluice.registry.Upstreams;
import dev.sluice.registry.VirtualServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** How the federation builds one list from several upstreams, and routes names back to them. */
class FederatedListingTest {
    private static final String CATALOG = """
            servers:
              - {name: pg, transport: stdio, command: pg}
              - {name: redis, transport: stdio, command: redis}
              - {name: down, transport: stdio, command: down}
              - {name: off, transport: stdio, command: off, enabled: false}
            virtual-servers:
              - {name: pg-only, servers: [pg], prefix: false}
              - {name: readers, servers: [pg, redis], tools: ["pg__list_*", "redis__get"]}
            """;

    /** Upstreams that answer tools/list from a fixed table, one page at a time; "down" cannot start. */
    private static final class FakeUpstreams extends StubUpstreams {
        final Map<String, List<List<String>>> pages = Map.of(
                "pg", List.of(List.of("query", "list_tables"), List.of("list_schemas", "x".repeat(130))),
                "redis", List.of(List.of("get", "set", "get")));
        final List<String> requests = new ArrayList<>();
        final java.util.Set<String> unreachable = new java.util.HashSet<>(java.util.Set.of("down"));

        @Override
        public ObjectNode request(String server, String method, ObjectNode params, ClientChannel channel) {
            requests.add(server + " " + method + " " + params.path("cursor").asText(""));
            if (unreachable.contains(server)) {
                throw new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, "upstream '" + server + "' could not be started");
            }
            List<List<String>> all = pages.get(server);
            int page = params.has("cursor") ? Integer.parseInt(params.get("cursor").asText()) : 0;
            ObjectNode result = Json.object();
            all.get(page).forEach(name -> result.withArray("tools").addObject().put("name", name)
                    .put("description", name + " on " + server));
            if (page + 1 < all.size()) {
                result.put("nextCursor", String.valueOf(page + 1));
            }
            return JsonRpc.result(null, result);
        }



        @Override
        public Optional<ObjectNode> initializeResult(String server) {
            if (unreachable.contains(server)) {
                throw new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, "upstream '" + server + "' could not be started");
            }
            ObjectNode init = Json.object();
            init.putObject("capabilities").putObject("tools");
            return Optional.of(init);
        }




    }

    private FederationService federation;
    private final ExecutorService fetchers = Executors.newFixedThreadPool(4);
    private FakeUpstreams upstreams;
    private CatalogSnapshot snapshot;

    @BeforeEach
    void setUp() {
        FakeUpstream.TestCatalog catalog = new FakeUpstream.TestCatalog(CATALOG);
        snapshot = catalog.snapshot;
        upstreams = new FakeUpstreams();
        federation = new FederationService();
        federation.upstreams = upstreams;
        federation.fetchers(fetchers);
        federation.catalog = catalog;
    }

    @AfterEach
    void tearDown() {
        fetchers.shutdownNow();
    }

    private static List<String> names(FederatedList list) {
        return list.items().stream().map(t -> t.path("name").asText()).toList();
    }

    @Nested
    class TheWholeFederation {
        @Test
        void prefixesEveryNameWithItsServerAndFollowsEveryPage() {
            FederatedList tools = federation.list(VirtualServer.everything(), Kind.TOOLS);
            assertThat(names(tools)).startsWith("pg__query", "pg__list_tables", "pg__list_schemas")
                    .contains("redis__get", "redis__set");
            assertThat(upstreams.requests).contains("pg tools/list ", "pg tools/list 1");
        }

        @Test
        void keepsEverythingButTheNameAsTheUpstreamSentIt() {
            ObjectNode query = federation.list(VirtualServer.everything(), Kind.TOOLS).items().get(0);
            assertThat(query.path("description").asText()).isEqualTo("query on pg");
        }

        @Test
        void leavesOutAServerThatCannotBeListedAndSaysWhy() {
            FederatedList tools = federation.list(VirtualServer.everything(), Kind.TOOLS);
            assertThat(tools.unavailable()).singleElement().asString().startsWith("down:").contains("could not be started");
            assertThat(names(tools)).noneMatch(n -> n.startsWith("down__"));
        }

        @Test
        void neverListsADisabledServer() {
            federation.list(VirtualServer.everything(), Kind.TOOLS);
            assertThat(upstreams.requests).noneMatch(r -> r.startsWith("off "));
        }

        @Test
        void reportsOverLongAndDuplicateNamesInsteadOfDroppingThemSilently() {
            FederatedList tools = federation.list(VirtualServer.everything(), Kind.TOOLS);
            assertThat(tools.problems()).anyMatch(p -> p.startsWith("pg__xxx") && p.contains("longer than 128"));
            assertThat(tools.problems()).anyMatch(p -> p.startsWith("redis__get") && p.contains("offered twice"));
            assertThat(names(tools)).filteredOn("redis__get"::equals).hasSize(1);
        }

        @Test
        void asksEachUpstreamOnceAndServesLaterListsFromTheCache() {
            federation.list(VirtualServer.everything(), Kind.TOOLS);
            int asked = upstreams.requests.size();
            federation.list(VirtualServer.everything(), Kind.TOOLS);
            assertThat(upstreams.requests).hasSize(asked);
        }

        @Test
        void aListChangedAnnouncementMakesTheNextListAskAgain() {
            federation.list(VirtualServer.everything(), Kind.TOOLS);
            federation.listChanged("redis", "tools");
            upstreams.requests.clear();
            federation.list(VirtualServer.everything(), Kind.TOOLS);
            assertThat(upstreams.requests).contains("redis tools/list ").noneMatch(r -> r.startsWith("pg "));
        }
    }

    @Nested
    class VirtualServers {
        @Test
        void anUnprefixedOneServerSubsetShowsTheUpstreamsOwnNames() {
            VirtualServer pgOnly = snapshot.virtualServer("pg-only").orElseThrow();
            assertThat(names(federation.list(pgOnly, Kind.TOOLS))).contains("query", "list_tables").noneMatch(n -> n.contains("__"));
            assertThat(federation.route(pgOnly, Kind.TOOLS, "query")).contains(new Route("pg", "query"));
        }

        @Test
        void includePatternsFilterListsAndRoutes() {
            VirtualServer readers = snapshot.virtualServer("readers").orElseThrow();
            assertThat(names(federation.list(readers, Kind.TOOLS))).containsExactly("pg__list_tables", "pg__list_schemas", "redis__get");
            assertThat(federation.route(readers, Kind.TOOLS, "redis__set")).isEmpty();
            assertThat(federation.route(readers, Kind.TOOLS, "redis__get")).contains(new Route("redis", "get"));
        }

        @Test
        void aNameTheUpstreamDoesNotListIsNotRouted() {
            assertThat(federation.route(VirtualServer.everything(), Kind.TOOLS, "pg__drop_everything")).isEmpty();
            assertThat(org.assertj.core.api.Assertions.catchThrowable(
                    () -> federation.route(VirtualServer.everything(), Kind.TOOLS, "down__anything")))
                    .as("a server never listed cannot route: its error says why").hasMessageContaining("could not be started");
            assertThat(federation.route(VirtualServer.everything(), Kind.TOOLS, "nosuchserver__query")).isEmpty();
            assertThat(federation.route(VirtualServer.everything(), Kind.TOOLS, "pg__query")).contains(new Route("pg", "query"));
        }
    }

    @Test
    void aServerThatGoesDownLeavesTheListsButItsCallsAreStillRoutedByItsLastListing() {
        assertThat(names(federation.list(VirtualServer.everything(), Kind.TOOLS))).contains("pg__query");
        upstreams.unreachable.add("pg");
        federation.listChanged("pg", "tools");

        FederatedList tools = federation.list(VirtualServer.everything(), Kind.TOOLS);
        assertThat(names(tools)).doesNotContain("pg__query");
        assertThat(tools.unavailable()).anySatisfy(u -> assertThat(u).startsWith("pg:"));
        // the call goes on to the pipeline, which audits it and answers from the circuit or the cache
        assertThat(federation.route(VirtualServer.everything(), Kind.TOOLS, "pg__query")).contains(new Route("pg", "query"));
        assertThat(federation.route(VirtualServer.everything(), Kind.TOOLS, "pg__nosuchtool")).isEmpty();
    }
}
