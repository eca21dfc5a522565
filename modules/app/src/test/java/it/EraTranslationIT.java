package it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import it.support.Command;
import it.support.Gateway;
import it.support.Http;
import it.support.McpSessionClient;
import it.support.SluiceNode;
import it.support.SseReader;
import it.support.Stateless;
import it.support.UpstreamProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Session-era clients calling upstreams of protocol 2026-07-28: the official TypeScript SDK v2 server
 * (tests/mcp/modern-server.mjs, which refuses the handshake) and mcp-proxy (npm) in front of the
 * stdio reference server, which serves both eras. Sluice finds their era with {@code server/discover},
 * sends the envelope on every request, turns an upstream's {@code input_required} into a request to
 * the client's session, and cancels by closing the upstream response stream.
 */
class EraTranslationIT {
    private static final int PORT = Integer.getInteger("sluice.it.eras.port", 9194);
    private static final int MODERN_PORT = Integer.getInteger("sluice.it.eras.modern.port", 3921);
    private static final int PROXY_PORT = Integer.getInteger("sluice.it.eras.proxy.port", 3922);

    private static UpstreamProcess modern;
    private static UpstreamProcess proxy;
    private static SluiceNode sluice;
    private static Path modernLog;
    private static Path catalog;

    @BeforeAll
    static void start() throws IOException {
        Path mcp = Gateway.mcpDir();
        modernLog = Gateway.tmp().resolve("modern-server.log");
        modern = UpstreamProcess.listening(List.of(Gateway.node22().toString(), mcp.resolve("modern-server.mjs").toString(),
                Integer.toString(MODERN_PORT)), Map.of(), MODERN_PORT, modernLog);
        Map<String, String> path = Map.of("PATH", mcp.resolve("node_modules/.bin") + ":" + System.getenv("PATH"));
        proxy = UpstreamProcess.listening(List.of(Gateway.node22().toString(),
                mcp.resolve("node_modules/mcp-proxy/dist/bin/mcp-proxy.mjs").toString(), "--port",
                Integer.toString(PROXY_PORT), "--host", "127.0.0.1", "--", "mcp-server-everything", "stdio"),
                path, PROXY_PORT, Gateway.tmp().resolve("mcp-proxy.log"));
        catalog = Gateway.catalogFrom("catalog-eras.yaml", Map.of("MODERN_PORT", Integer.toString(MODERN_PORT),
                "PROXY_PORT", Integer.toString(PROXY_PORT), "MCP_DIR", mcp.toString()));
        Map<String, String> env = new HashMap<>();
        env.put("SLUICE_REGISTRY_CATALOG_FILE", catalog.toString());
        sluice = Gateway.start("sluice-eras", PORT, env);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {sluice, proxy, modern}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    private static Command tsClient(Map<String, String> env, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("node", "ts-client.mjs", "http://localhost:" + PORT
                + "/mcp"));
        command.addAll(List.of(args));
        Map<String, String> all = new HashMap<>(env);
        all.put("MCP_HEADERS", "{\"Authorization\":\"" + sluice.http().authorization() + "\"}");
        return Command.run(command, Gateway.mcpDir(), all, Duration.ofSeconds(60));
    }

    private static JsonNode servers() {
        return Http.json(sluice.http().get("/api/v1/servers"));
    }

    private static JsonNode server(String name) {
        for (JsonNode s : servers()) {
            if (name.equals(s.path("name").asText())) {
                return s;
            }
        }
        throw new AssertionError("no server " + name + " in " + servers());
    }

    @Test
    void aSessionEraClientListsAndCallsToolsOfA20260728Upstream() {
        Command list = tsClient(Map.of(), "list-tools");
        assertThat(list.exitCode()).as(list.stdout() + list.stderr()).isZero();
        assertThat(list.stdout()).contains("modern__echo", "modern__ask_name", "proxied__echo", "proxied-session__echo");

        Command call = tsClient(Map.of(), "call", "modern__echo", "{\"text\":\"across eras\"}");
        assertThat(call.exitCode()).as(call.stdout() + call.stderr()).isZero();
        JsonNode result = Http.json(call.stdout());
        assertThat(result.path("content").path(0).path("text").asText()).isEqualTo("modern echo: across eras");
        assertThat(result.has("resultType")).as("a session-era client gets a session-era result").isFalse();

        // Sluice found the era of each upstream: discover where it is answered, the handshake where told to
        assertThat(server("modern").path("status").path("protocolVersion").asText()).isEqualTo("2026-07-28");
        assertThat(server("proxied").path("status").path("protocolVersion").asText()).isEqualTo("2026-07-28");
        assertThat(server("proxied-session").path("status").path("protocolVersion").asText()).startsWith("2025-");
    }

    @Test
    void mcpProxyInModernModeServesTheStdioServerBehindIt() {
        Command call = tsClient(Map.of(), "call", "proxied__echo", "{\"message\":\"through mcp-proxy\"}");
        assertThat(call.exitCode()).as(call.stdout() + call.stderr()).isZero();
        assertThat(Http.json(call.stdout()).path("content").path(0).path("text").asText())
                .isEqualTo("Echo: through mcp-proxy");
    }

    @Test
    void anUpstreamsInputRequiredBecomesAnElicitationOnTheClientsSession() {
        Command call = tsClient(Map.of("ELICIT_CONTENT", "{\"name\":\"Ada\"}"), "call", "modern__ask_name");
        assertThat(call.exitCode()).as(call.stdout() + call.stderr()).isZero();
        assertThat(Http.json(call.stdout()).path("content").path(0).path("text").asText())
                .isEqualTo("Hello, Ada (round 2)");
    }

    @Test
    void a20260728ClientGetsTheUpstreamsQuestionAsItsOwnInputRequired() {
        // the official TypeScript SDK v2 client: Sluice asks it with an input_required result of its
        // own (its requestState, not the upstream's), and finishes the upstream's call on its retry
        Map<String, String> env = new HashMap<>();
        env.put("MCP_HEADERS", "{\"Authorization\":\"" + sluice.http().authorization() + "\"}");
        env.put("ELICIT_CONTENT", "{\"name\":\"Grace\"}");
        Command call = Command.run(List.of("node", "modern-client.mjs", "http://localhost:" + PORT + "/mcp", "call",
                "modern__ask_name"), Gateway.mcpDir(), env, Duration.ofSeconds(60));
        assertThat(call.exitCode()).as(call.stdout() + call.stderr()).isZero();
        JsonNode result = Http.json(call.stdout());
        assertThat(result.path("era").asText()).as(result.toString()).isEqualTo("modern");
        assertThat(result.path("content").path(0).path("text").asText()).isEqualTo("Hello, Grace (round 2)");
    }

    @Test
    void aClientThatCannotBeAskedIsNotAskedOnItsBehalf() {
        McpSessionClient plain = new McpSessionClient(sluice.http(), "/mcp");
        plain.initialize(); // declares no elicitation capability
        JsonNode result = plain.callTool("modern__ask_name", Json.object());
        assertThat(result.path("result").path("isError").asBoolean()).as(result.toString()).isTrue();
    }

    @Test
    void aCancelledCallIsCancelledUpstreamByClosingItsStream() throws Exception {
        McpSessionClient client = new McpSessionClient(sluice.http(), "/mcp");
        client.initialize();
        CompletableFuture<HttpResponse<String>> call = CompletableFuture.supplyAsync(() -> sluice.http().send(
                client.post("{\"jsonrpc\":\"2.0\",\"id\":41,\"method\":\"tools/call\",\"params\":{\"name\":"
                        + "\"modern__slow\",\"arguments\":{\"ms\":20000}}}")));
        Thread.sleep(1500);
        HttpResponse<String> cancelled = sluice.http().send(client.post("{\"jsonrpc\":\"2.0\",\"method\":"
                + "\"notifications/cancelled\",\"params\":{\"requestId\":41,\"reason\":\"changed my mind\"}}"));
        assertThat(cancelled.statusCode()).isEqualTo(202);

        Instant deadline = Instant.now().plusSeconds(10);
        while (!Files.readString(modernLog).contains("cancelled slow") && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(Files.readString(modernLog)).as("the upstream saw the cancellation").contains("cancelled slow");
        call.cancel(true);
    }

    @Test
    void aListenStreamGetsWhatItOptedIntoTaggedWithItsSubscription() throws IOException {
        ObjectNode params = Json.object();
        ObjectNode wanted = params.putObject("notifications").put("toolsListChanged", true);
        wanted.putArray("resourceSubscriptions").add("test://watched-resource").add("nowhere://at-all");
        try (SseReader listen = SseReader.open(Stateless.post(sluice.http(), "/mcp",
                Stateless.request("listen-1", "subscriptions/listen", params, null)))) {
            assertThat(listen.response().statusCode()).isEqualTo(200);

            // first the acknowledgement: what Sluice honours (not the resource nobody serves)
            JsonNode ack = Http.json(listen.nextMessage(10).data());
            assertThat(ack.path("method").asText()).isEqualTo("notifications/subscriptions/acknowledged");
            assertThat(ack.path("params").path("_meta").path("io.modelcontextprotocol/subscriptionId").asText())
                    .isEqualTo("listen-1");
            assertThat(ack.path("params").path("notifications")).isEqualTo(Http.json(
                    "{\"toolsListChanged\":true,\"resourceSubscriptions\":[\"test://watched-resource\"]}"));

            // the session-era fixture was subscribed upstream; its update arrives tagged
            JsonNode updated = Http.json(listen.nextMessage(10).data());
            assertThat(updated.path("method").asText()).isEqualTo("notifications/resources/updated");
            assertThat(updated.path("params").path("uri").asText()).isEqualTo("test://watched-resource");
            assertThat(updated.path("params").path("_meta").path("io.modelcontextprotocol/subscriptionId").asText())
                    .isEqualTo("listen-1");

            // a catalog edit changes the lists: tools/list_changed only, as asked (no prompts, no resources)
            Files.writeString(catalog, Files.readString(catalog).replace("description: a 2026-07-28 server made",
                    "description: (edited) a 2026-07-28 server made"));
            JsonNode changed = Http.json(listen.nextMessage(15).data());
            assertThat(changed.path("method").asText()).isEqualTo("notifications/tools/list_changed");
            assertThat(changed.path("params").path("_meta").path("io.modelcontextprotocol/subscriptionId").asText())
                    .isEqualTo("listen-1");
            List<String> more = listen.drain(Duration.ofMillis(1500)).stream()
                    .map(e -> Http.json(e.data()).path("method").asText()).distinct().toList();
            assertThat(more).isSubsetOf("notifications/tools/list_changed");
        }
    }

    @Test
    void discoverDeclaresListChangesAndSubscriptions() {
        HttpResponse<String> r = sluice.http().send(Stateless.post(sluice.http(), "/mcp",
                Stateless.request(1, "server/discover", null, null)));
        JsonNode capabilities = Http.json(r).path("result").path("capabilities");
        assertThat(capabilities.path("tools").path("listChanged").asBoolean()).as(r.body()).isTrue();
        assertThat(capabilities.path("resources").path("subscribe").asBoolean()).isTrue();
    }

    @Test
    void anUpstreamMarkedStatelessThatIsNotIsRefusedWithTheReason() {
        McpSessionClient client = new McpSessionClient(sluice.http(), "/mcp");
        client.initialize();
        JsonNode result = client.callTool("not-modern__test_simple_text", Json.object());
        assertThat(result.toString()).contains("2026-07-28");
        assertThat(server("not-modern").path("status").path("lastError").asText()).contains("server/discover");
    }
}
