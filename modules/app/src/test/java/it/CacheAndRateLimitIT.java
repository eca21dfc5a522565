package it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.RepositoryFiles;
import dev.sluice.core.Json;
import it.support.Cluster;
import it.support.Gateway;
import it.support.Http;
import it.support.McpSessionClient;
import it.support.PostgresDatabase;
import it.support.RedisProcess;
import it.support.SluiceNode;
import it.support.SseReader;
import it.support.Stateless;
import it.support.UpstreamProcess;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The result cache and the rate limits on two Sluice nodes (two Open Liberty servers) that share one
 * real Redis and one PostgreSQL database, as nodes behind a load balancer do, in front of the counting fixture, which counts the calls that reach it. Redis is a
 * {@code redis-server} this test owns, so it can stop it and start it again.
 *
 * <p>The nodes keep the default per-user limit (100 calls) with a 15-second window instead of a
 * minute, so that the window slides within the test; the owner's key is unlimited (a role
 * override), so the cache tests do not spend the budgets the rate-limit tests count.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CacheAndRateLimitIT {
    private static final int PORT_A = Integer.getInteger("sluice.it.cache.port.a", 9188);
    private static final int PORT_B = Integer.getInteger("sluice.it.cache.port.b", 9189);
    private static final int REDIS_PORT = Integer.getInteger("sluice.it.cache.redis.port", 6391);
    private static final int COUNTING_PORT = Integer.getInteger("sluice.it.cache.counting.port", 3911);
    private static final Duration WINDOW = Duration.ofSeconds(15);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private static PostgresDatabase database;
    private static RedisProcess redis;
    private static UpstreamProcess counting;
    private static SluiceNode nodeA;
    private static SluiceNode nodeB;

    @BeforeAll
    static void start() throws IOException {
        redis = RedisProcess.start(REDIS_PORT, Gateway.tmp().resolve("redis-cache-it.log"));
        startCounting();
        Path catalog = Gateway.catalogFrom("catalog-cache.yaml", Map.of("COUNTING_PORT", Integer.toString(COUNTING_PORT),
                "FIXTURE_PATH", Gateway.mcpDir().resolve("conformance-fixture.mjs").toString()));
        // interchangeable nodes behind a load balancer share one database (keys, audit) and one Redis
        database = PostgresDatabase.create();
        // both nodes seal session ids with the same key, so either serves the other's sessions
        Map<String, String> env = Cluster.sharedEnvironment(database, REDIS_PORT);
        env.put("SLUICE_REGISTRY_CATALOG_FILE", catalog.toString());
        env.put("SLUICE_CACHE_REDIS_TIMEOUT", "PT0.3S");
        env.put("SLUICE_CACHE_REDIS_RETRY_INTERVAL", "PT0.5S");
        env.put("SLUICE_CACHE_MAX_ENTRY_BYTES", "10000");
        env.put("SLUICE_RATE_LIMIT_PER_USER", "100");
        env.put("SLUICE_RATE_LIMIT_WINDOW", "PT15S");
        env.put("SLUICE_RATE_LIMIT_ROLES", "owner=unlimited");
        nodeA = Gateway.start("sluice-cache-a", PORT_A, env);
        nodeB = Gateway.start("sluice-cache-b", PORT_B, env);
    }

    @AfterAll
    static void stop() {
        Gateway.closeAll(nodeA, nodeB, counting, redis, database);
    }

    private static void startCounting() {
        counting = UpstreamProcess.listening(List.of("node", Gateway.mcpDir().resolve("counting-server.mjs").toString(),
                "--port", Integer.toString(COUNTING_PORT)), Map.of(), COUNTING_PORT,
                Gateway.tmp().resolve("counting-server.log"));
    }

    // ------------------------------------------------------------------------------------ helpers

    private static HttpResponse<String> call(Http http, String tool, String argumentsJson) {
        return http.send(http.request("/api/v1/servers/counting/tools/" + tool + "/call")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"arguments\": " + argumentsJson + "}")));
    }

    /** The tool's text answer, asserting the call succeeded. */
    private static String text(HttpResponse<String> r) {
        assertThat(r.statusCode()).as("call answered %s", r.body()).isEqualTo(200);
        return Http.json(r).path("content").path(0).path("text").asText();
    }

    private static String lookup(SluiceNode node, String key) {
        return text(call(node.http(), "lookup", "{\"key\": \"" + key + "\"}"));
    }

    /** How many calls of a tool reached the upstream (read through Sluice: `calls` is never cached). */
    private static int upstreamCalls(String tool) {
        return Http.json(text(call(nodeA.http(), "calls", "{}"))).path(tool).asInt(0);
    }

    private static JsonNode cacheStats(SluiceNode node) {
        HttpResponse<String> r = node.http().get("/api/v1/cache");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Http.json(r);
    }

    private static JsonNode toolStats(SluiceNode node, String tool) {
        for (JsonNode t : cacheStats(node).path("tools")) {
            if (t.path("server").asText().equals("counting") && t.path("tool").asText().equals(tool)) {
                return t;
            }
        }
        return Json.object();
    }

    private static String createKey(String owner, String role, List<String> scope) {
        ObjectNode body = Json.object().put("name", owner).put("owner", owner).put("role", role)
                .put("expiresInDays", 1);
        if (scope != null) {
            scope.forEach(body.putArray("toolScope")::add);
        }
        HttpResponse<String> r = nodeA.http().send(nodeA.http().request("/api/v1/api-keys")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))));
        assertThat(r.statusCode()).as("creating a key: %s", r.body()).isEqualTo(201);
        return Http.json(r).path("secret").asText();
    }

    private static <T> T eventually(Duration within, Supplier<T> attempt) {
        Instant deadline = Instant.now().plus(within);
        AtomicReference<Throwable> last = new AtomicReference<>();
        while (Instant.now().isBefore(deadline)) {
            try {
                return attempt.get();
            } catch (AssertionError | RuntimeException e) {
                last.set(e);
            }
            pause(Duration.ofMillis(250));
        }
        throw new AssertionError("not within " + within, last.get());
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode cacheCheck(SluiceNode node) {
        HttpResponse<String> ready = node.http().get("/health/ready");
        assertThat(ready.statusCode()).as("ready: %s", ready.body()).isEqualTo(200);
        for (JsonNode check : Http.json(ready).path("checks")) {
            if (check.path("name").asText().equals("cache")) {
                return check;
            }
        }
        throw new AssertionError("no cache check in " + ready.body());
    }

    // -------------------------------------------------------------------------------------- cache

    @Test
    @Order(1)
    void aSecondIdenticalCallIsAnsweredFromTheCacheAndTheUpstreamSeesOne() {
        String key = "first-" + RUN;
        int before = upstreamCalls("lookup");
        String first = lookup(nodeA, key);
        String second = lookup(nodeA, key);
        assertThat(second).isEqualTo(first);
        assertThat(upstreamCalls("lookup")).as("calls that reached the upstream").isEqualTo(before + 1);

        JsonNode stats = toolStats(nodeA, "lookup");
        assertThat(stats.path("hits").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(stats.path("misses").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(cacheStats(nodeA).path("backend").path("active").asText()).isEqualTo("redis");
        String metrics = nodeA.http().anonymous().get("/metrics").body();
        assertThat(metrics.lines().filter(l -> l.startsWith("mcp_cache_hits_total{")
                && l.contains("server=\"counting\"") && l.contains("tool=\"lookup\"")))
                .as("the hit counter in /metrics").isNotEmpty();
    }

    @Test
    @Order(2)
    void theKeyIgnoresArgumentOrderAndWhitespace() {
        String key = "order-" + RUN;
        String first = text(call(nodeA.http(), "lookup",
                "{\"key\":\"" + key + "\",\"options\":{\"b\":1,\"a\":[1,2]}}"));
        String second = text(call(nodeA.http(), "lookup",
                "{ \"options\" : { \"a\" : [ 1, 2 ],\n \"b\" : 1 },  \"key\" : \"" + key + "\" }"));
        assertThat(second).isEqualTo(first);
        String other = text(call(nodeA.http(), "lookup", "{\"key\":\"" + key + "\",\"options\":{\"a\":[2,1],\"b\":1}}"));
        assertThat(other).as("different arguments are a different entry").isNotEqualTo(first);
    }

    @Test
    @Order(3)
    void aCallerWithANarrowerScopeDoesNotGetAWiderCallersEntry() {
        String key = "scope-" + RUN;
        String owners = lookup(nodeA, key);
        Http analyst = nodeA.http().withBearer(createKey("analyst-" + RUN, "analyst", null));
        Http scoped = nodeA.http().withBearer(createKey("scoped-" + RUN, "owner", List.of("counting/*")));
        String analysts = text(call(analyst, "lookup", "{\"key\": \"" + key + "\"}"));
        String scopeds = text(call(scoped, "lookup", "{\"key\": \"" + key + "\"}"));
        assertThat(analysts).as("an analyst's call reaches the upstream").isNotEqualTo(owners);
        assertThat(scopeds).as("a key limited to counting/* reaches the upstream").isNotEqualTo(owners)
                .isNotEqualTo(analysts);
        // and each caller's own entry answers its next call
        assertThat(text(call(analyst, "lookup", "{\"key\": \"" + key + "\"}"))).isEqualTo(analysts);
    }

    @Test
    @Order(4)
    void anEntryExpiresAfterItsTimeToLive() {
        String table = "ttl-" + RUN;
        String first = text(call(nodeA.http(), "profile", "{\"table\": \"" + table + "\"}"));
        assertThat(text(call(nodeA.http(), "profile", "{\"table\": \"" + table + "\"}"))).isEqualTo(first);
        pause(Duration.ofMillis(2600));
        assertThat(text(call(nodeA.http(), "profile", "{\"table\": \"" + table + "\"}")))
                .as("refetched after the two-second time-to-live").isNotEqualTo(first);
    }

    @Test
    @Order(5)
    void aWriteToolCallInvalidatesTheServersEntriesOnEveryNode() {
        String key = "write-" + RUN;
        String before = lookup(nodeA, key);
        assertThat(lookup(nodeB, key)).as("node B hits node A's entry").isEqualTo(before);
        assertThat(text(call(nodeB.http(), "update", "{\"key\": \"" + key + "\"}"))).isEqualTo("updated " + key);
        String after = lookup(nodeA, key);
        assertThat(after).as("node A refetches after node B's write").isNotEqualTo(before);
    }

    @Test
    @Order(6)
    void entriesWrittenByOneNodeAreHitsOnTheOther() {
        String key = "shared-" + RUN;
        long hitsBefore = toolStats(nodeB, "lookup").path("hits").asLong();
        int callsBefore = upstreamCalls("lookup");
        String fromA = lookup(nodeA, key);
        String fromB = lookup(nodeB, key);
        assertThat(fromB).isEqualTo(fromA);
        assertThat(upstreamCalls("lookup")).isEqualTo(callsBefore + 1);
        assertThat(toolStats(nodeB, "lookup").path("hits").asLong()).isEqualTo(hitsBefore + 1);
    }

    @Test
    @Order(7)
    void largeResultsAreNotCached() {
        int before = upstreamCalls("big");
        text(call(nodeA.http(), "big", "{\"size\": 20000}"));
        text(call(nodeA.http(), "big", "{\"size\": 20000}"));
        assertThat(upstreamCalls("big")).as("both calls reached the upstream").isEqualTo(before + 2);
        assertThat(toolStats(nodeA, "big").path("tooLarge").asLong()).isGreaterThanOrEqualTo(2);
        text(call(nodeA.http(), "big", "{\"size\": 100}"));
        text(call(nodeA.http(), "big", "{\"size\": 100}"));
        assertThat(upstreamCalls("big")).as("a small result is cached").isEqualTo(before + 3);
    }

    @Test
    @Order(8)
    void adminsInvalidateByToolAndViewersMayNot() {
        String key = "admin-" + RUN;
        String before = lookup(nodeA, key);
        Http viewer = nodeA.http().withBearer(createKey("viewer-" + RUN, "viewer", null));
        assertThat(viewer.send(viewer.request("/api/v1/cache?server=counting").DELETE()).statusCode()).isEqualTo(403);
        assertThat(viewer.get("/api/v1/cache").statusCode()).isEqualTo(403);
        HttpResponse<String> unknown = nodeA.http().send(nodeA.http().request("/api/v1/cache?server=nope").DELETE());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("nope");
        HttpResponse<String> r = nodeA.http().send(nodeA.http().request("/api/v1/cache?server=counting&tool=lookup")
                .DELETE());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(lookup(nodeB, key)).as("invalidated on every node").isNotEqualTo(before);
    }

    // -------------------------------------------------------------------------------- rate limits

    @Test
    @Order(10)
    void theHundredAndFirstCallWithinTheWindowIsRefusedAcrossBothNodes() {
        Http userA = nodeA.http().withBearer(createKey("rl-a-" + RUN, "analyst", null));
        Http userAonB = nodeB.http().withBearer(userA.authorization().substring("Bearer ".length()));
        Http userB = nodeB.http().withBearer(createKey("rl-b-" + RUN, "analyst", null));
        Instant started = Instant.now();
        for (int i = 0; i < 100; i++) {
            Http via = i % 2 == 0 ? userA : userAonB;
            HttpResponse<String> r = call(via, "lookup", "{\"key\": \"rl-" + RUN + "\"}");
            assertThat(r.statusCode()).as("call %d: %s", i + 1, r.body()).isEqualTo(200);
            if (i == 99) {
                assertThat(r.headers().firstValue("RateLimit-Limit")).hasValue("100");
                assertThat(r.headers().firstValue("RateLimit-Remaining")).hasValue("0");
            }
        }
        assertThat(Duration.between(started, Instant.now())).as("the calls fit in one window").isLessThan(WINDOW);

        HttpResponse<String> refused = call(userAonB, "lookup", "{\"key\": \"rl-" + RUN + "\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = Http.json(refused);
        assertThat(problem.path("type").asText()).endsWith("/rate-limited");
        assertThat(problem.path("detail").asText()).contains("100 calls per 15 s");
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, WINDOW.toSeconds());
        assertThat(refused.headers().firstValue("RateLimit-Remaining")).hasValue("0");
        assertThat(refused.headers().firstValue("RateLimit-Policy")).hasValue("100;w=15");

        // the same user over MCP on node A: a JSON-RPC error with the retry time
        McpSessionClient mcp = new McpSessionClient(userA, "/mcp");
        mcp.initialize();
        JsonNode error = mcp.callTool("counting__lookup", Json.object().put("key", "rl-" + RUN)).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(-32012);
        assertThat(error.path("data").path("retryAfterSeconds").asLong()).isBetween(1L, WINDOW.toSeconds());
        assertThat(error.path("message").asText()).contains("rate limit");

        // another user is not affected
        assertThat(call(userB, "lookup", "{\"key\": \"rl-" + RUN + "\"}").statusCode()).isEqualTo(200);

        // the caller sees its own budget spent
        JsonNode status = Http.json(userA.get("/api/v1/rate-limits"));
        assertThat(status.path("limits").path(0).path("scope").asText()).isEqualTo("user");
        assertThat(status.path("limits").path(0).path("remaining").asInt()).isZero();
        assertThat(status.path("backend").path("active").asText()).isEqualTo("redis");
        assertThat(status.path("backend").path("degraded").asBoolean()).isFalse();
        // asking about a tool needs its server, and the server must exist
        HttpResponse<String> toolOnly = userA.get("/api/v1/rate-limits?tool=lookup");
        assertThat(toolOnly.statusCode()).isEqualTo(400);
        assertThat(toolOnly.body()).contains("'tool' needs 'server'");
        HttpResponse<String> unknown = userA.get("/api/v1/rate-limits?server=nope-" + RUN + "&tool=lookup");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));

        // refusals are audited and counted
        // (one refusal on each node; each node's audit writer flushes in the background)
        eventually(Duration.ofSeconds(10), () -> {
            JsonNode audit = Http.json(nodeA.http().get("/api/v1/audit?subject=rl-a-" + RUN + "&outcome=rate-limited"));
            assertThat(audit.size()).isGreaterThanOrEqualTo(2);
            return audit;
        });
        assertThat(nodeB.http().anonymous().get("/metrics").body().lines()
                .anyMatch(l -> l.startsWith("mcp_rate_limit_exceeded_total{") && l.contains("scope=\"user\"")))
                .isTrue();

        // once the window slides past the first calls, calls pass again
        pause(Duration.ofSeconds(retryAfter).plusMillis(500));
        assertThat(call(userAonB, "lookup", "{\"key\": \"rl-" + RUN + "\"}").statusCode()).isEqualTo(200);
    }

    // --------------------------------------------------------------------- sessions on either node

    @Test
    @Order(15)
    void aSessionStartedOnOneNodeGoesOnOnTheOtherAndEndsOnBoth() {
        McpSessionClient onA = new McpSessionClient(nodeA.http(), "/mcp");
        onA.initialize();
        McpSessionClient onB = onA.on(nodeB.http());

        // no new initialize: node B rebuilds the session from its sealed id
        JsonNode listed = onB.request("tools/list", Json.object());
        assertThat(listed.path("result").path("tools").toString()).as(listed.toString()).contains("counting__lookup");
        JsonNode called = onB.callTool("counting__profile", Json.object().put("table", "moved-" + RUN));
        assertThat(called.path("result").path("content").path(0).path("text").asText()).startsWith("profile of moved-");
        assertThat(onA.request("tools/list", Json.object()).has("result")).as("and back on A").isTrue();

        // a DELETE on B ends it on A too (A rechecks a session it holds at most once a second)
        assertThat(onB.delete().statusCode()).isEqualTo(200);
        eventually(Duration.ofSeconds(5), () -> {
            HttpResponse<String> after = nodeA.http().send(onA.post("{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"tools/list\"}"));
            assertThat(after.statusCode()).as(after.body()).isEqualTo(404);
            return after;
        });
        assertThat(nodeB.http().send(onB.post("{\"jsonrpc\":\"2.0\",\"id\":98,\"method\":\"tools/list\"}")).statusCode())
                .isEqualTo(404);

        // an id altered by one character opens on no node
        String id = onA.sessionId();
        String forged = id.substring(0, id.length() - 2) + (id.endsWith("A") ? "B" : "A") + id.charAt(id.length() - 1);
        HttpResponse<String> refused = nodeB.http().send(nodeB.http().request("/mcp")
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Mcp-Session-Id", forged)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")));
        assertThat(refused.statusCode()).isEqualTo(404);
    }

    @Test
    @Order(16)
    void aClientsAnswerPostedToTheOtherNodeReachesTheCallThatAskedForIt() throws Exception {
        McpSessionClient onA = new McpSessionClient(nodeA.http(), "/mcp");
        ObjectNode capabilities = Json.object();
        capabilities.putObject("elicitation");
        onA.initialize(capabilities);
        McpSessionClient onB = onA.on(nodeB.http());

        // the call runs on A; its answer stream carries the upstream's elicitation/create
        String call = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"conformance__test_elicitation\",\"arguments\":{\"message\":\"which node?\"}}}";
        java.util.concurrent.BlockingQueue<String> events = new java.util.concurrent.LinkedBlockingQueue<>();
        var stream = java.net.http.HttpClient.newHttpClient().sendAsync(onA.post(call).build(),
                HttpResponse.BodyHandlers.ofLines());
        stream.thenAccept(r -> r.body().filter(l -> l.startsWith("data: ") && l.length() > 6)
                .forEach(l -> events.add(l.substring(6))));
        JsonNode asked = Http.json(events.poll(30, java.util.concurrent.TimeUnit.SECONDS));
        assertThat(asked.path("method").asText()).as(asked.toString()).isEqualTo("elicitation/create");

        // the client's answer goes to B, which never sent that request
        ObjectNode answer = Json.object().put("jsonrpc", "2.0");
        answer.set("id", asked.get("id"));
        answer.putObject("result").put("action", "accept").putObject("content").put("username", "via-b")
                .put("email", "b@example.com");
        assertThat(nodeB.http().send(onB.post(Json.write(answer))).statusCode()).isEqualTo(202);

        // and A's call finishes with it
        JsonNode done = Http.json(events.poll(30, java.util.concurrent.TimeUnit.SECONDS));
        assertThat(done.path("id").asInt()).as(done.toString()).isEqualTo(5);
        assertThat(done.path("result").path("content").path(0).path("text").asText()).contains("via-b");
    }

    @Test
    @Order(17)
    void anAnswerStreamLostOnOneNodeIsResumedOnTheOtherWithWhatItMissed() {
        McpSessionClient onA = new McpSessionClient(nodeA.http(), "/mcp");
        ObjectNode capabilities = Json.object();
        capabilities.putObject("elicitation");
        onA.initialize(capabilities);
        McpSessionClient onB = onA.on(nodeB.http());

        // the call runs on A and asks the client something on its answer stream
        SseReader post = SseReader.open(onA.post("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"conformance__test_elicitation\",\"arguments\":{\"message\":\"lost?\"}}}"));
        SseReader.Event asked = post.nextMessage(30);
        assertThat(Http.json(asked.data()).path("method").asText()).isEqualTo("elicitation/create");
        assertThat(asked.id()).as("events name their stream and node").isNotBlank();

        // the client loses that stream and resumes it on B, which never saw it
        post.close();
        try (SseReader resumed = getStream(nodeB, onA, asked.id())) {
            assertThat(resumed.response().statusCode()).isEqualTo(200);

            // the answer to the elicitation goes to B too; the call on A finishes, and its result
            // comes on the stream resumed on B
            ObjectNode answer = Json.object().put("jsonrpc", "2.0");
            answer.set("id", Http.json(asked.data()).get("id"));
            answer.putObject("result").put("action", "accept").putObject("content").put("username", "resumed")
                    .put("email", "r@example.com");
            assertThat(nodeB.http().send(onB.post(Json.write(answer))).statusCode()).isEqualTo(202);

            JsonNode done = Http.json(resumed.nextMessage(30).data());
            assertThat(done.path("id").asInt()).as(done.toString()).isEqualTo(7);
            assertThat(done.path("result").path("content").path(0).path("text").asText()).contains("resumed");
        }
    }

    @Test
    @Order(18)
    void aGetStreamResumedOnTheOtherNodeGetsTheEventsItMissed() {
        McpSessionClient onA = new McpSessionClient(nodeA.http(), "/mcp");
        onA.initialize();
        String uri = "{\"uri\":\"test://watched-resource\"}";

        // a GET stream on A, primed with an id to resume from, gets a resource update
        SseReader get = getStream(nodeA, onA, null);
        SseReader.Event primed = get.next(10);
        assertThat(primed.data()).isEmpty();
        assertThat(onA.request("resources/subscribe", (ObjectNode) Http.json(uri)).has("result")).isTrue();
        SseReader.Event first = get.nextMessage(10);
        assertThat(Http.json(first.data()).path("method").asText()).isEqualTo("notifications/resources/updated");

        // the client loses it; meanwhile A sends another update (the fixture sends one per subscribe)
        get.close();
        pause(Duration.ofMillis(500));
        onA.request("resources/unsubscribe", (ObjectNode) Http.json(uri));
        assertThat(onA.request("resources/subscribe", (ObjectNode) Http.json(uri)).has("result")).isTrue();
        pause(Duration.ofMillis(700));

        // resumed on B, it gets the update it missed, then a priming event of its new stream
        try (SseReader resumed = getStream(nodeB, onA, first.id())) {
            SseReader.Event missed = resumed.next(10);
            assertThat(missed.data()).as("the missed update, not a fresh priming event").isNotEmpty();
            assertThat(Http.json(missed.data()).path("method").asText()).isEqualTo("notifications/resources/updated");
            assertThat(missed.id()).isNotEqualTo(first.id());
            SseReader.Event primedAgain = resumed.next(10);
            assertThat(primedAgain.data()).isEmpty();
            assertThat(primedAgain.id()).as("the resumed stream goes on under a new id").doesNotStartWith(
                    first.id().substring(0, first.id().lastIndexOf('-')) + "-");

            // and what A sends the session from now on reaches the stream held by B
            onA.request("resources/unsubscribe", (ObjectNode) Http.json(uri));
            assertThat(onA.request("resources/subscribe", (ObjectNode) Http.json(uri)).has("result")).isTrue();
            SseReader.Event relayed = resumed.nextMessage(10);
            assertThat(Http.json(relayed.data()).path("method").asText()).isEqualTo("notifications/resources/updated");
        }
    }

    @Test
    @Order(19)
    void aStatelessRetryThatReachesTheOtherNodeFinishesTheCallWhereItRuns() {
        // a 2026-07-28 call on A whose upstream asks the client: A answers input_required
        HttpResponse<String> first = stateless(nodeA, 31, null, null);
        JsonNode asked = Stateless.answer(first).path("result");
        assertThat(asked.path("resultType").asText()).as(first.body()).isEqualTo("input_required");
        String state = asked.path("requestState").asText();
        String key = asked.path("inputRequests").fieldNames().next();
        assertThat(asked.path("inputRequests").path(key).path("method").asText()).isEqualTo("elicitation/create");

        // the retry goes to B, which relays it to A, where the upstream call waits
        ObjectNode responses = Json.object();
        responses.putObject(key).put("action", "accept").putObject("content").put("username", "retried-on-b")
                .put("email", "b@example.com");
        HttpResponse<String> retried = stateless(nodeB, 32, state, responses);
        JsonNode done = Stateless.answer(retried);
        assertThat(done.path("id").asInt()).as(retried.body()).isEqualTo(32);
        assertThat(done.path("result").path("resultType").asText()).isEqualTo("complete");
        assertThat(done.path("result").path("content").path(0).path("text").asText()).contains("retried-on-b");

        // the exchange is over: its state opens nothing on either node
        JsonNode again = Stateless.answer(stateless(nodeB, 33, state, responses));
        assertThat(again.path("error").path("code").asInt()).as(again.toString()).isEqualTo(-32602);
    }

    // --------------------------------------------------------------------- metrics

    @Test
    @Order(30)
    void metricsCountAMixedRunByServerToolAndStatus() {
        String key = "metrics-" + RUN;
        text(call(nodeA.http(), "lookup", "{\"key\": \"" + key + "\"}"));
        text(call(nodeA.http(), "lookup", "{\"key\": \"" + key + "\"}")); // from the cache
        Http viewer = nodeA.http().withBearer(createKey("viewer-" + RUN, "viewer", null));
        HttpResponse<String> denied = call(viewer, "update", "{\"key\": \"x\"}");
        assertThat(denied.statusCode()).as(denied.body()).isEqualTo(403);
        HttpResponse<String> invalid = call(nodeA.http(), "lookup", "{\"key\": 42}");
        assertThat(invalid.statusCode()).as(invalid.body()).isEqualTo(400);
        assertThat(nodeA.http().withBearer("sk-sluice-not-a-key-" + RUN).get("/api/v1/servers").statusCode())
                .isEqualTo(401);

        String metrics = nodeA.http().anonymous().get("/metrics").body();
        assertThat(sample(metrics, "mcp_requests_total", "server=\"counting\"", "tool=\"lookup\"", "status=\"ok\""))
                .isGreaterThanOrEqualTo(2);
        assertThat(sample(metrics, "mcp_requests_total", "tool=\"update\"", "status=\"denied\"")).isGreaterThanOrEqualTo(1);
        assertThat(sample(metrics, "mcp_requests_total", "tool=\"lookup\"", "status=\"invalid\"")).isGreaterThanOrEqualTo(1);
        assertThat(sample(metrics, "mcp_requests_total", "status=\"rate-limited\"")).as("from the rate-limit tests")
                .isGreaterThanOrEqualTo(1);
        assertThat(sample(metrics, "mcp_cache_hits_total", "server=\"counting\"", "tool=\"lookup\""))
                .isGreaterThanOrEqualTo(1);
        // a histogram whose buckets start at a millisecond (cached calls answer below it) and reach 30 s
        assertThat(sample(metrics, "mcp_request_duration_seconds_count", "server=\"counting\"", "tool=\"lookup\""))
                .isGreaterThanOrEqualTo(2);
        assertThat(sample(metrics, "mcp_request_duration_seconds_bucket", "tool=\"lookup\"", "le=\"0.001\""))
                .as(metrics.lines().filter(l -> l.startsWith("mcp_request_duration")).limit(20).toList().toString())
                .isGreaterThanOrEqualTo(0);
        assertThat(sample(metrics, "mcp_request_duration_seconds_bucket", "tool=\"lookup\"", "le=\"30.0\""))
                .isGreaterThanOrEqualTo(2);
        assertThat(sample(metrics, "mcp_active_connections", "server=\"counting\"")).as("none in flight now").isZero();
        assertThat(sample(metrics, "mcp_errors_total", "server=\"counting\"", "error_type=\"forbidden\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(sample(metrics, "mcp_error_rate", "server=\"counting\"", "error_type=\"forbidden\"")).isPositive();
        assertThat(sample(metrics, "mcp_authentication_failures_total", "reason=\"invalid\"")).isGreaterThanOrEqualTo(1);
        assertThat(metrics.lines().filter(l -> l.startsWith("mcp_")).noneMatch(l -> l.contains(RUN)))
                .as("no label holds a user or a key").isTrue();
        assertThat(sample(metrics, "mcp_upstream_up", "server=\"counting\"")).isEqualTo(1);
    }

    /** The dashboard's metrics of agents' model calls. */
    static final java.util.Set<String> AGENT_METRICS = java.util.Set.of("mcp_token_usage_total",
            "mcp_token_budget_alerts_total");

    @Test
    @Order(31)
    void everyMetricTheDashboardAndTheAlertRulesQueryExists() throws IOException {
        String metrics = nodeA.http().anonymous().get("/metrics").body();
        java.util.Set<String> exposed = metrics.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0]).collect(java.util.stream.Collectors.toSet());
        List<String> queries = new java.util.ArrayList<>();
        JsonNode dashboard = Http.json(Files.readString(RepositoryFiles.resolve("deploy/grafana/dashboards/sluice.json")));
        assertThat(dashboard.path("panels").size()).isGreaterThanOrEqualTo(6);
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("targets").size()).as("panel %s has a query", panel.path("title")).isPositive();
            panel.path("targets").forEach(t -> queries.add(t.path("expr").asText()));
        }
        JsonNode rules = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(RepositoryFiles.resolve("deploy/prometheus/alerts.yml").toFile());
        rules.path("groups").forEach(g -> g.path("rules").forEach(r -> queries.add(r.path("expr").asText())));
        java.util.regex.Pattern selector = java.util.regex.Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{");
        java.util.Set<String> named = new java.util.TreeSet<>();
        for (String query : queries) {
            java.util.regex.Matcher m = selector.matcher(query);
            while (m.find()) {
                named.add(m.group(1));
            }
        }
        named.remove("up"); // Prometheus's own, per scrape target
        // the agents' metrics appear with the first model call: AgentsIT checks them on a node that ran agents
        named.removeAll(AGENT_METRICS);
        assertThat(named).as("metrics named by the dashboard and the rules").contains("mcp_requests_total",
                "mcp_request_duration_seconds_bucket", "mcp_errors_total", "mcp_upstream_up");
        assertThat(exposed).as("what /metrics exposes").containsAll(named);
    }

    /** The sum of a metric's samples whose labels include all of {@code labels}; -1 when there is none. */
    private static double sample(String metrics, String name, String... labels) {
        double sum = 0;
        boolean found = false;
        for (String line : metrics.lines().toList()) {
            if (line.startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(line::contains)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? sum : -1;
    }

    /** A 2026-07-28 tools/call of the fixture's elicitation tool, declaring elicitation; a retry when {@code state} is given. */
    private static HttpResponse<String> stateless(SluiceNode node, int id, String state, ObjectNode responses) {
        ObjectNode params = Json.object().put("name", "conformance__test_elicitation");
        params.putObject("arguments").put("message", "which node?");
        if (state != null) {
            params.put("requestState", state);
            params.set("inputResponses", responses);
        }
        ObjectNode capabilities = Json.object();
        capabilities.putObject("elicitation");
        return node.http().send(Stateless.post(node.http(), "/mcp", Stateless.request(id, "tools/call", params,
                capabilities)));
    }

    /** The session's GET stream on {@code node}, resuming the stream of {@code lastEventId} when given. */
    private static SseReader getStream(SluiceNode node, McpSessionClient session, String lastEventId) {
        HttpRequest.Builder get = node.http().request("/mcp").header("Accept", "text/event-stream")
                .header("Mcp-Session-Id", session.sessionId()).header("MCP-Protocol-Version", "2025-11-25");
        if (lastEventId != null) {
            get.header("Last-Event-ID", lastEventId);
        }
        return SseReader.open(get.GET());
    }

    // --------------------------------------------------------------------- upstream and Redis down

    @Test
    @Order(20)
    void staleIfErrorServesAnExpiredEntryMarkedStaleWhenTheUpstreamIsDown() {
        String table = "stale-" + RUN;
        String fresh = text(call(nodeA.http(), "profile", "{\"table\": \"" + table + "\"}"));
        String status = text(call(nodeA.http(), "status", "{}"));
        assertThat(status).startsWith("status #");
        pause(Duration.ofMillis(2600));
        counting.close();
        try {
            HttpResponse<String> stale = call(nodeA.http(), "profile", "{\"table\": \"" + table + "\"}");
            assertThat(text(stale)).isEqualTo(fresh);
            JsonNode mark = Http.json(stale).path("_meta").path("dev.sluice/cache");
            assertThat(mark.path("stale").asBoolean()).as("marked stale: %s", stale.body()).isTrue();
            assertThat(mark.path("ageSeconds").asLong()).isGreaterThanOrEqualTo(2);

            HttpResponse<String> refused = call(nodeA.http(), "status", "{}");
            assertThat(refused.statusCode()).as("no stale answers for status: %s", refused.body()).isEqualTo(502);
            assertThat(Http.json(refused).path("type").asText()).endsWith("/upstream-unavailable");
            assertThat(toolStats(nodeA, "profile").path("staleServed").asLong()).isGreaterThanOrEqualTo(1);
        } finally {
            startCounting();
        }
    }

    @Test
    @Order(21)
    void withRedisStoppedCallsKeepWorkingAndHealthSaysDegradedThenSharingResumes() {
        redis.stop();
        try {
            String key = "outage-" + RUN;
            // calls keep working, answered by each node on its own
            eventually(Duration.ofSeconds(20), () -> lookup(nodeA, key));
            assertThat(lookup(nodeA, key)).as("node A's own cache answers").isEqualTo(lookup(nodeA, key));
            assertThat(text(call(nodeB.http(), "update", "{\"key\": \"" + key + "\"}"))).isEqualTo("updated " + key);
            JsonNode check = eventually(Duration.ofSeconds(10), () -> {
                JsonNode c = cacheCheck(nodeA);
                assertThat(c.path("data").path("state").asText()).isEqualTo("degraded");
                return c;
            });
            assertThat(check.path("status").asText()).as("degraded, still ready").isEqualTo("UP");
            assertThat(check.path("data").path("detail").asText()).contains("127.0.0.1:" + REDIS_PORT);
            assertThat(cacheStats(nodeA).path("backend").path("active").asText()).isEqualTo("in-process");
            // the audit trail lost nothing meanwhile (node B wrote it; its writer flushes in the background)
            eventually(Duration.ofSeconds(10), () -> {
                JsonNode audit = Http.json(nodeA.http().get("/api/v1/audit?server=counting&outcome=ok&limit=20"));
                boolean found = false;
                for (JsonNode record : audit) {
                    found |= record.path("target").asText().equals("update") && record.toString().contains(key);
                }
                assertThat(found).as("the update of %s in %s", key, audit).isTrue();
                return audit;
            });
        } finally {
            redis.start();
        }
        eventually(Duration.ofSeconds(15), () -> {
            assertThat(cacheCheck(nodeA).path("data").path("state").asText()).isEqualTo("ok");
            assertThat(cacheCheck(nodeB).path("data").path("state").asText()).isEqualTo("ok");
            return true;
        });
        String key = "resumed-" + RUN;
        String fromA = lookup(nodeA, key);
        assertThat(lookup(nodeB, key)).as("shared caching resumed").isEqualTo(fromA);
    }
}
