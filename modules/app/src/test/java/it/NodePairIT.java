package it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import it.support.Cluster;
import it.support.ConformanceSuite;
import it.support.Gateway;
import it.support.Http;
import it.support.NginxProxy;
import it.support.PostgresDatabase;
import it.support.RedisProcess;
import it.support.SluiceNode;
import it.support.Stateless;
import it.support.UpstreamProcess;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two Sluice nodes behind nginx round-robin, without stickiness, sharing one Redis and one PostgreSQL
 * database, as the scale-out guide sets them up: every request of a client may land on either node.
 * The official conformance suite passes through the pair; stateless-era requests spread across both;
 * when one node stops, an official SDK client goes on on the other in the same session.
 *
 * <p>The nodes release answer streams after 100 ms, so the suite's resumption scenario resumes
 * streams with {@code Last-Event-ID}, on whichever node nginx picks.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodePairIT {
    private static final int PORT_A = Integer.getInteger("sluice.it.pair.port.a", 9192);
    private static final int PORT_B = Integer.getInteger("sluice.it.pair.port.b", 9193);
    private static final int PROXY_PORT = Integer.getInteger("sluice.it.pair.proxy.port", 9196);
    private static final int REDIS_PORT = Integer.getInteger("sluice.it.pair.redis.port", 6392);

    private static PostgresDatabase database;
    private static RedisProcess redis;
    private static SluiceNode nodeA;
    private static SluiceNode nodeB;
    private static NginxProxy proxy;
    private static final int MODERN_PORT = Integer.getInteger("sluice.it.pair.modern.port", 3962);
    private static UpstreamProcess modern;

    @BeforeAll
    static void start() {
        redis = RedisProcess.start(REDIS_PORT, Gateway.tmp().resolve("redis-pair-it.log"));
        database = PostgresDatabase.create();
        Map<String, String> env = Cluster.sharedEnvironment(database, REDIS_PORT);
        env.put("SLUICE_MCP_STREAM_AFTER", "PT0.05S");
        env.put("SLUICE_MCP_RELEASE_STREAM_AFTER", "PT0.1S");
        // the suite's client sends no credentials: these test-only nodes admit anonymous callers
        env.put("SLUICE_SECURITY_ANONYMOUS_ROLE", "engineer");
        // the test catalog, and the 2026-07-28 conformance fixture behind the virtual server "modern"
        modern = UpstreamProcess.listening(List.of(Gateway.node22().toString(),
                Gateway.mcpDir().resolve("modern-fixture.mjs").toString(), "--port", Integer.toString(MODERN_PORT),
                "--modern-only"), Map.of(), MODERN_PORT, Gateway.tmp().resolve("modern-fixture-pair.log"));
        env.put("SLUICE_REGISTRY_CATALOG_FILE", pairCatalog().toString());
        nodeA = Gateway.start("sluice-pair-a", PORT_A, env);
        nodeB = Gateway.start("sluice-pair-b", PORT_B, env);
        proxy = NginxProxy.roundRobin(PROXY_PORT, List.of(PORT_A, PORT_B), Gateway.tmp().resolve("nginx-pair"));
    }

    /** catalog-it.yaml with the 2026-07-28 fixture added as server "modern-fixture" and virtual server "modern". */
    private static Path pairCatalog() {
        try {
            String text = Files.readString(Gateway.catalogFile());
            text = text.replaceFirst("(?m)^servers:\\n", "servers:\n"
                    + "  - name: modern-fixture\n"
                    + "    description: the conformance fixture of protocol 2026-07-28\n"
                    + "    category: test\n"
                    + "    transport: streamable-http\n"
                    + "    url: http://127.0.0.1:" + MODERN_PORT + "/mcp\n"
                    + "    protocol: stateless\n"
                    + "    request-timeout: PT30S\n");
            text = text.replaceFirst("(?m)^virtual-servers:\\n", "virtual-servers:\n"
                    + "  - name: modern\n"
                    + "    description: the 2026-07-28 fixture alone, names unprefixed\n"
                    + "    servers: [modern-fixture]\n"
                    + "    prefix: false\n");
            Path catalog = Gateway.tmp().resolve("catalog-pair.yaml");
            Files.writeString(catalog, text);
            return catalog;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {proxy, nodeA, nodeB, redis, database, modern}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // a node stopped by a test is stopped already
                }
            }
        }
    }

    @Test
    @Order(1)
    void theConformanceSuitePassesThroughThePair() {
        ConformanceSuite.passesAgainst("http://localhost:" + PROXY_PORT + "/mcp/conformance", 46); // as one node
    }

    @Test
    @Order(1)
    void theSessionEraSuitePassesThroughThePairInFrontOfA20260728Upstream() {
        ConformanceSuite.passesAgainst("http://localhost:" + PROXY_PORT + "/mcp/modern", 46);
    }

    @Test
    @Order(1)
    void every20260728RequirementPassesThroughThePairInFrontOfA20260728Upstream() {
        ConformanceSuite.meetsRequirements20260728("http://localhost:" + PROXY_PORT + "/mcp/modern");
    }

    @Test
    @Order(1)
    void the20260728ScenariosASessionEraUpstreamSupportsPassThroughThePair() {
        ConformanceSuite.scenariosPass20260728("http://localhost:" + PROXY_PORT + "/mcp/conformance",
                ConformanceErasIT.SESSION_UPSTREAM_SCENARIOS);
    }

    @Test
    @Order(1)
    void theTasksExtensionPassesThroughThePair() {
        // nginx spreads the polls of one task over both nodes: each routes Sluice's task id by itself
        ConformanceSuite.extensionPassesThroughAsDirectly("http://localhost:" + MODERN_PORT + "/mcp",
                "http://localhost:" + PROXY_PORT + "/mcp/modern", ConformanceErasIT.TASKS_SCENARIOS);
    }

    @Test
    @Order(2)
    void aTaskStartedOnOneNodeIsFollowedUpOnTheOther() {
        ObjectNode tasks = Json.object();
        tasks.putObject("extensions").putObject("io.modelcontextprotocol/tasks");
        Http a = nodeA.http();
        Http b = nodeB.http();
        JsonNode created = Stateless.answer(a.send(Stateless.post(a, "/mcp/modern", Stateless.request(1, "tools/call",
                Json.object().put("name", "slow_compute").set("arguments", Json.object().put("seconds", 30)),
                tasks.deepCopy()))));
        String id = created.path("result").path("taskId").asText();
        assertThat(id).as("%s", created).startsWith("t1.");
        JsonNode got = Stateless.answer(b.send(Stateless.post(b, "/mcp/modern",
                Stateless.request(2, "tasks/get", Json.object().put("taskId", id), tasks.deepCopy()))));
        assertThat(got.path("result").path("status").asText()).as("%s", got).isEqualTo("working");
        assertThat(got.path("result").path("taskId").asText()).isEqualTo(id);
        JsonNode cancelled = Stateless.answer(b.send(Stateless.post(b, "/mcp/modern",
                Stateless.request(3, "tasks/cancel", Json.object().put("taskId", id), tasks.deepCopy()))));
        assertThat(cancelled.path("result").path("resultType").asText()).as("%s", cancelled).isEqualTo("complete");
        JsonNode after = Stateless.answer(a.send(Stateless.post(a, "/mcp/modern",
                Stateless.request(4, "tasks/get", Json.object().put("taskId", id), tasks.deepCopy()))));
        assertThat(after.path("result").path("status").asText()).as("%s", after).isEqualTo("cancelled");
    }

    @Test
    @Order(2)
    void statelessRequestsSpreadAcrossBothNodes() {
        Set<String> servedBy = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = proxy.http().send(Stateless.post(proxy.http(), "/mcp/conformance",
                    Stateless.request(i, "tools/list", null, null)));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode result = Http.json(r).path("result");
            assertThat(result.path("tools").toString()).contains("test_simple_text");
            assertThat(result.path("resultType").asText()).isEqualTo("complete");
            servedBy.add(r.headers().firstValue("X-Upstream").orElseThrow());
        }
        assertThat(servedBy).as("nginx names the node that answered").containsExactlyInAnyOrder(
                "127.0.0.1:" + PORT_A, "127.0.0.1:" + PORT_B);
    }

    @Test
    @Order(3)
    void aServerDisabledOnOneNodeIsDisabledOnTheOther() throws Exception {
        HttpResponse<String> off = nodeA.http().send(nodeA.http().request("/api/v1/servers/memory/disable")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
        try {
            long deadline = System.currentTimeMillis() + 30_000; // node B polls the changes every catalog-poll (5 s)
            boolean seen = false;
            while (!seen && System.currentTimeMillis() < deadline) {
                seen = !Http.json(nodeB.http().get("/api/v1/servers/memory")).path("enabled").asBoolean(true);
                if (!seen) {
                    Thread.sleep(250);
                }
            }
            assertThat(seen).as("node B applies node A's change from the shared database").isTrue();
            assertThat(Http.json(nodeB.http().get("/api/v1/tools?server=memory")).path("tools")).isEmpty();
            assertThat(Http.json(nodeB.http().get("/api/v1/servers/memory")).path("changedBy").asText())
                    .isEqualTo(Http.json(nodeA.http().get("/api/v1/me")).path("subject").asText());
        } finally {
            HttpResponse<String> on = nodeB.http().send(nodeB.http().request("/api/v1/servers/memory/enable")
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
        }
        assertThat(Http.json(nodeB.http().get("/api/v1/tools?server=memory")).path("tools")).isNotEmpty();
    }

    @Test
    @Order(4)
    void whenANodeStopsItsClientsGoOnOnTheOtherWithoutANewInitialize() throws Exception {
        // the official TypeScript SDK client, in one session, calls a tool every 100 ms for 12 s
        Path out = Gateway.tmp().resolve("pair-failover.json");
        Process client = new ProcessBuilder(List.of(Gateway.node22().toString(), "ts-client.mjs",
                "http://localhost:" + PROXY_PORT + "/mcp/conformance", "repeat", "test_simple_text", "12"))
                .directory(Gateway.mcpDir().toFile()).redirectOutput(out.toFile())
                .redirectError(Gateway.tmp().resolve("pair-failover.err").toFile()).start();
        Thread.sleep(4000);
        nodeA.close(); // mid-run: nginx finds it gone and sends everything to B

        assertThat(client.waitFor(60, TimeUnit.SECONDS)).as("the client finished").isTrue();
        JsonNode report = Http.json(Files.readString(out));
        assertThat(report.path("failed").asInt()).as(report.toString()).isZero();
        assertThat(report.path("ok").asInt()).as("calls before and after the stop").isGreaterThan(40);
        assertThat(report.path("sessionIds").size()).as("one session throughout: %s", report).isEqualTo(1);

        // and the calls after the stop were B's
        HttpResponse<String> onB = proxy.http().send(proxy.http().request("/health/ready").GET());
        assertThat(onB.headers().firstValue("X-Upstream").orElseThrow()).endsWith(":" + PORT_B);
    }
}
