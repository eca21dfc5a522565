package it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import it.support.Gateway;
import it.support.Http;
import it.support.McpSessionClient;
import it.support.SluiceNode;
import it.support.UpstreamProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Sluice federating real upstream MCP servers from npm: server-everything and server-memory over
 * stdio, server-everything over Streamable HTTP, server-postgres on the local PostgreSQL.
 */
class McpFederationIT {
    private static SluiceNode sluice;
    private static UpstreamProcess everythingHttp;
    private static UpstreamProcess everythingSse;
    private McpSessionClient client;

    @BeforeAll
    static void start() {
        everythingHttp = UpstreamProcess.listening(
                List.of(Gateway.mcpDir().resolve("node_modules/.bin/mcp-server-everything").toString(), "streamableHttp"),
                Map.of("PORT", "3901"), 3901, Gateway.tmp().resolve("everything-http.log"));
        everythingSse = UpstreamProcess.listening(
                List.of(Gateway.mcpDir().resolve("node_modules/.bin/mcp-server-everything").toString(), "sse"),
                Map.of("PORT", "3902"), 3902, Gateway.tmp().resolve("everything-sse.log"));
        sluice = Gateway.node();
    }

    @AfterAll
    static void stop() {
        if (everythingHttp != null) {
            everythingHttp.close();
        }
        if (everythingSse != null) {
            everythingSse.close();
        }
    }

    private McpSessionClient session() {
        if (client == null) {
            client = new McpSessionClient(sluice.http(), "/mcp");
            client.initialize();
        }
        return client;
    }

    private static List<String> names(JsonNode listResult, String field) {
        List<String> names = new ArrayList<>();
        listResult.path("result").path(field).forEach(t -> names.add(t.path("name").asText()));
        return names;
    }

    @Nested
    class OneFederatedList {
        @Test
        void showsEveryUpstreamsToolsPrefixedByServer() {
            List<String> tools = names(session().request("tools/list", null), "tools");
            assertThat(tools).contains("everything__echo", "memory__read_graph", "memory__create_entities",
                    "everything-http__echo", "everything-sse__echo", "postgres__query", "hanging__hang", "hanging__echo_meta");
            assertThat(tools).allMatch(name -> name.contains("__"));
            assertThat(tools).doesNotHaveDuplicates();
        }

        @Test
        void keepsTheUpstreamsSchemasAndAnnotations() {
            JsonNode echo = null;
            for (JsonNode tool : session().request("tools/list", null).path("result").path("tools")) {
                if (tool.path("name").asText().equals("everything__echo")) {
                    echo = tool;
                }
            }
            assertThat(echo).isNotNull();
            assertThat(echo.path("inputSchema").path("properties").has("message")).isTrue();
            assertThat(echo.path("inputSchema").path("required").toString()).contains("message");
        }

        @Test
        void leavesOutAnUpstreamThatCannotStartAndSaysWhy() {
            JsonNode result = session().request("tools/list", null).path("result");
            assertThat(result.path("tools").size()).isPositive();
            assertThat(result.path("_meta").path("dev.sluice/federation").path("unavailable").toString())
                    .contains("missing");
            JsonNode status = Http.json(sluice.http().get("/api/v1/servers/missing")).path("status");
            assertThat(status.path("state").asText()).isEqualTo("DOWN");
            assertThat(status.path("lastError").asText()).contains("mcp-server-missing");
            JsonNode call = session().callTool("missing__anything", Json.object());
            assertThat(call.path("error").path("message").asText()).contains("missing");
        }

        @Test
        void listsPromptsAndResourcesToo() {
            assertThat(names(session().request("prompts/list", null), "prompts")).contains("everything__simple-prompt");
            assertThat(session().request("resources/list", null).path("result").path("resources").size()).isPositive();
        }
    }

    @Nested
    class ACallToEachUpstream {
        @Test
        void stdioEverythingEchoes() {
            JsonNode result = session().callTool("everything__echo", Json.object().put("message", "through the gateway"));
            assertThat(result.path("result").path("content").get(0).path("text").asText()).isEqualTo("Echo: through the gateway");
        }

        @Test
        void stdioMemoryKeepsWhatItIsTold() {
            String entity = "sluice-" + System.nanoTime();
            var args = Json.object();
            var e = args.putArray("entities").addObject().put("name", entity).put("entityType", "gateway");
            e.putArray("observations").add("federates MCP servers");
            assertThat(session().callTool("memory__create_entities", args).has("result")).isTrue();
            JsonNode graph = session().callTool("memory__read_graph", Json.object());
            assertThat(graph.path("result").toString()).contains(entity).contains("federates MCP servers");
        }

        @Test
        void streamableHttpEverythingEchoes() {
            JsonNode result = session().callTool("everything-http__echo", Json.object().put("message", "over http"));
            assertThat(result.path("result").path("content").get(0).path("text").asText()).isEqualTo("Echo: over http");
        }

        @Test
        void legacySseEverythingEchoes() {
            JsonNode result = session().callTool("everything-sse__echo", Json.object().put("message", "over sse"));
            assertThat(result.path("result").path("content").get(0).path("text").asText()).isEqualTo("Echo: over sse");
        }

        @Test
        void postgresAnswersAQuery() {
            JsonNode result = session().callTool("postgres__query", Json.object().put("sql", "SELECT 6 * 7 AS answer"));
            assertThat(result.path("result").path("isError").asBoolean(false)).as("%s", result).isFalse();
            assertThat(result.path("result").path("content").get(0).path("text").asText()).contains("42");
        }

        @Test
        void metaTheGatewayDoesNotUnderstandSurvivesBothWays() {
            var params = Json.object().put("name", "hanging__echo_meta");
            params.putObject("arguments");
            var meta = params.putObject("_meta");
            meta.put("client.example/trace", "abc-123");
            meta.putObject("client.example/nested").putArray("list").add(1).add("two");
            JsonNode answer = session().request("tools/call", params);
            JsonNode seenUpstream = Json.parse(answer.path("result").path("content").get(0).path("text").asText());
            assertThat(seenUpstream.path("client.example/trace").asText()).isEqualTo("abc-123");
            assertThat(seenUpstream.path("client.example/nested")).isEqualTo(meta.get("client.example/nested"));
            JsonNode resultMeta = answer.path("result").path("_meta");
            assertThat(resultMeta.path("upstream.example/answered-by").asText()).isEqualTo("hanging-server");
            assertThat(resultMeta.path("upstream.example/nested").path("a").toString()).isEqualTo("[1,2]");
        }

        @Test
        void aToolFailureStaysAResult() {
            JsonNode result = session().callTool("postgres__query", Json.object().put("sql", "SELECT * FROM no_such_table"));
            assertThat(result.has("error") || result.path("result").path("isError").asBoolean()).as("%s", result).isTrue();
        }
    }

    @Nested
    class Lifecycle {
        @Test
        void anEagerServerIsConnectedBeforeAnyCall() throws Exception {
            Instant deadline = Instant.now().plusSeconds(30);
            String state = "";
            while (Instant.now().isBefore(deadline) && !state.equals("UP")) {
                state = Http.json(sluice.http().get("/api/v1/servers/early")).path("status").path("state").asText();
                Thread.sleep(200);
            }
            assertThat(state).isEqualTo("UP");
        }

        @Test
        void anIdleServerIsStoppedAndStartedAgainOnTheNextCall() throws Exception {
            JsonNode first = session().callTool("sleepy__count_calls", Json.object());
            assertThat(first.path("result").path("content").get(0).path("text").asText()).isEqualTo("1");
            Instant deadline = Instant.now().plusSeconds(20);
            String state = "UP";
            while (Instant.now().isBefore(deadline) && !state.equals("IDLE")) {
                Thread.sleep(250);
                state = Http.json(sluice.http().get("/api/v1/servers/sleepy")).path("status").path("state").asText();
            }
            assertThat(state).as("state after two idle seconds").isEqualTo("IDLE");
            JsonNode again = session().callTool("sleepy__count_calls", Json.object());
            assertThat(again.path("result").path("content").get(0).path("text").asText())
                    .as("a new process counts from one").isEqualTo("1");
        }
    }

    @Nested
    class Faults {
        @Test
        void anUnknownToolIsAnInvalidParamsError() {
            JsonNode answer = session().callTool("everything__no_such_tool", Json.object());
            assertThat(answer.path("error").path("code").asInt()).isEqualTo(-32602);
            assertThat(answer.path("error").path("message").asText()).contains("everything__no_such_tool");
        }

        @Test
        void badJsonIsAParseError() {
            HttpResponse<String> r = sluice.http().send(session().post("{\"jsonrpc\": \"2.0\", \"id\": 1,"));
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(Http.json(r).path("error").path("code").asInt()).isEqualTo(-32700);
        }

        @Test
        void anUnsupportedProtocolVersionIsRefused() {
            HttpResponse<String> r = sluice.http().send(session().post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}")
                    .setHeader("MCP-Protocol-Version", "1999-01-01"));
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(Http.json(r).path("error").path("message").asText()).contains("1999-01-01");
        }

        @Test
        void aRequestWithoutSessionIsRefused() {
            McpSessionClient fresh = new McpSessionClient(sluice.http(), "/mcp");
            HttpResponse<String> r = sluice.http().send(fresh.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"));
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(Http.json(r).path("error").path("message").asText()).contains("Mcp-Session-Id");
        }

        @Test
        void anEndedSessionIsGone() {
            McpSessionClient ended = new McpSessionClient(sluice.http(), "/mcp");
            ended.initialize();
            assertThat(ended.delete().statusCode()).isEqualTo(200);
            HttpResponse<String> r = sluice.http().send(ended.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"));
            assertThat(r.statusCode()).isEqualTo(404);
        }

        @Test
        void aForeignOriginIsForbidden() {
            HttpResponse<String> r = sluice.http().send(new McpSessionClient(sluice.http(), "/mcp")
                    .post("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\"}}")
                    .header("Origin", "http://evil.example.com"));
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(Http.json(r).path("error").path("message").asText()).contains("evil.example.com");
        }

        @Test
        void anUpstreamThatNeverAnswersTimesOutAndIsToldToStop() throws Exception {
            Instant start = Instant.now();
            JsonNode answer = session().callTool("hanging__hang", Json.object());
            Duration took = Duration.between(start, Instant.now());
            assertThat(answer.path("error").path("message").asText()).contains("hanging").contains("did not answer");
            assertThat(took).isLessThan(Duration.ofSeconds(15));
            Path hangLog = Gateway.tmp().resolve("hang.log");
            Instant deadline = Instant.now().plusSeconds(10);
            while (Instant.now().isBefore(deadline) && !(Files.exists(hangLog) && Files.readString(hangLog).contains("cancelled"))) {
                Thread.sleep(100);
            }
            assertThat(hangLog).content().contains("cancelled");
        }

        @Test
        void aKilledStdioUpstreamIsRestartedAndTheNextCallWorks() throws Exception {
            assertThat(session().callTool("everything__echo", Json.object().put("message", "before")).has("result")).isTrue();
            Optional<ProcessHandle> upstream = sluice.child("mcp-server-everything stdio");
            assertThat(upstream).as("the stdio upstream process").isPresent();
            upstream.get().destroyForcibly();
            upstream.get().onExit().get();
            JsonNode after = null;
            Instant deadline = Instant.now().plusSeconds(20);
            while (Instant.now().isBefore(deadline)) {
                after = session().callTool("everything__echo", Json.object().put("message", "after"));
                if (after.has("result")) {
                    break;
                }
                Thread.sleep(250);
            }
            assertThat(after.path("result").path("content").get(0).path("text").asText()).isEqualTo("Echo: after");
            JsonNode status = Http.json(sluice.http().get("/api/v1/servers/everything")).path("status");
            assertThat(status.path("restarts").asInt()).isPositive();
            assertThat(status.path("state").asText()).isEqualTo("UP");
        }
    }
}
