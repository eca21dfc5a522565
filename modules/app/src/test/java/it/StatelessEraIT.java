package it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import it.support.Command;
import it.support.Gateway;
import it.support.Http;
import it.support.SluiceNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Protocol 2026-07-28 (no handshake, no sessions) on the same {@code /mcp} endpoint as the session era:
 * a client of that era that is not Sluice's code (the official TypeScript SDK v2 client, pinned to
 * 2026-07-28) discovers, lists and calls tools of session-era upstreams, and cancels a call by closing
 * its stream; the revision's checks answer with its own error codes and HTTP statuses.
 */
class StatelessEraIT {
    private static final String VERSION = "2026-07-28";
    private static SluiceNode sluice;

    @BeforeAll
    static void start() {
        sluice = Gateway.node();
    }

    private static String url() {
        return sluice.http().baseUrl() + "/mcp";
    }

    private static Command modernClient(Map<String, String> env, String... args) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("MCP_HEADERS", "{\"Authorization\":\"" + sluice.http().authorization() + "\"}");
        all.put("MCP_DEBUG", "1"); // a failure then shows the client's side of the exchange
        List<String> command = new java.util.ArrayList<>(List.of("node", "modern-client.mjs", url()));
        command.addAll(List.of(args));
        Command run = Command.run(command, Gateway.mcpDir(), all, Duration.ofMinutes(1));
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        return run;
    }

    @Nested
    class TheTypeScriptSdkV2Client {
        @Test
        void discoversSluiceAsAServerOfTheStatelessEra() {
            JsonNode discovered = Http.json(modernClient(Map.of(), "discover").stdout());
            assertThat(discovered.path("era").asText()).isEqualTo("modern");
            assertThat(discovered.path("supportedVersions").toString()).contains(VERSION, "2025-11-25");
            assertThat(discovered.path("capabilities").has("tools")).isTrue();
        }

        @Test
        void listsAndCallsAToolOfASessionEraUpstream() {
            assertThat(modernClient(Map.of(), "list-tools").stdout()).contains("\"everything__echo\"");

            JsonNode result = Http.json(modernClient(Map.of(), "call", "everything__echo",
                    "{\"message\":\"from the stateless era\"}").stdout());
            assertThat(result.path("era").asText()).isEqualTo("modern");
            assertThat(result.path("content").get(0).path("text").asText()).isEqualTo("Echo: from the stateless era");
        }

        @Test
        void anUpstreamElicitationBecomesAnInputRequiredRoundTrip() {
            // the conformance fixture is a session-era upstream that sends elicitation/create mid-call;
            // the client answers the input_required result through its elicitation handler and retries
            JsonNode result = Http.json(modernClient(Map.of("ELICIT_CONTENT",
                    "{\"username\":\"octocat\",\"email\":\"octo@example.com\"}"), "call",
                    "conformance__test_elicitation", "{\"message\":\"who are you?\"}").stdout());

            assertThat(result.path("era").asText()).isEqualTo("modern");
            assertThat(result.path("content").get(0).path("text").asText())
                    .contains("action=accept").contains("octocat").contains("octo@example.com");
        }

        @Test
        void closingTheStreamCancelsTheCallAtTheUpstream() throws IOException {
            Path hangLog = Gateway.tmp().resolve("hang.log");
            long before = cancellations(hangLog);

            // the answer turns into a stream after sluice.mcp.stream-after (1 s); the client gives up after 1.5 s
            JsonNode out = Http.json(modernClient(Map.of("MCP_CANCEL_AFTER_MS", "1500"), "call", "hanging__hang", "{}")
                    .stdout());
            assertThat(out.path("cancelled").asBoolean()).isTrue();

            // the hanging server logs each notifications/cancelled it receives; its own timeout is 3 s later
            Instant deadline = Instant.now().plusSeconds(10);
            while (Instant.now().isBefore(deadline) && cancellations(hangLog) == before) {
                pause();
            }
            assertThat(cancellations(hangLog)).as("cancellations the upstream saw").isEqualTo(before + 1);
        }

        private static long cancellations(Path log) throws IOException {
            return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.startsWith("cancelled")).count() : 0;
        }

        private static void pause() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Nested
    class OnTheWire {
        private ObjectNode request(String method, ObjectNode params) {
            ObjectNode meta = params.putObject("_meta");
            meta.put("io.modelcontextprotocol/protocolVersion", VERSION);
            meta.putObject("io.modelcontextprotocol/clientCapabilities");
            meta.putObject("io.modelcontextprotocol/clientInfo").put("name", "StatelessEraIT").put("version", "1");
            ObjectNode body = Json.object().put("jsonrpc", "2.0").put("id", 7).put("method", method);
            body.set("params", params);
            return body;
        }

        private Map<String, String> headers(String method, String name) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("MCP-Protocol-Version", VERSION);
            headers.put("Mcp-Method", method);
            if (name != null) {
                headers.put("Mcp-Name", name);
            }
            return headers;
        }

        private HttpResponse<String> post(ObjectNode body, Map<String, String> headers) {
            HttpRequest.Builder request = sluice.http().request("/mcp")
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
            headers.forEach(request::header);
            return sluice.http().send(request);
        }

        /** The JSON-RPC answer: the body, or the last event's data when the answer became a stream. */
        private JsonNode answer(HttpResponse<String> response) {
            if (response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
                String data = response.body().lines().filter(l -> l.startsWith("data: ") && l.length() > 6)
                        .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no event: " + response.body()));
                return Http.json(data.substring(6));
            }
            return Http.json(response);
        }

        private JsonNode error(HttpResponse<String> response, int status, int code) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
            JsonNode answer = Http.json(response);
            assertThat(answer.path("id").asInt()).as("the error answers the request's id").isEqualTo(7);
            assertThat(answer.path("error").path("code").asInt()).as(response.body()).isEqualTo(code);
            return answer.path("error");
        }

        @Test
        void aListResultSaysItIsCompleteCarriesCacheHintsAndNamesNoSession() {
            HttpResponse<String> response = post(request("tools/list", Json.object()), headers("tools/list", null));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Mcp-Session-Id")).isEmpty();
            JsonNode result = answer(response).path("result");
            assertThat(result.path("resultType").asText()).isEqualTo("complete");
            assertThat(result.path("tools").toString()).contains("everything__echo");
            assertThat(result.path("ttlMs").isIntegralNumber()).isTrue();
            assertThat(result.path("ttlMs").asLong()).isNotNegative();
            assertThat(result.path("cacheScope").asText()).as("a list depends on the caller's role").isEqualTo("private");
            assertThat(result.path("_meta").path("io.modelcontextprotocol/serverInfo").path("name").asText())
                    .isEqualTo("sluice");
        }

        @Test
        void aToolCallNeedsMcpNameAndItMustMatchTheBody() {
            ObjectNode call = request("tools/call", Json.object().put("name", "everything__echo"));
            ((ObjectNode) call.get("params")).putObject("arguments").put("message", "hi");

            JsonNode missing = error(post(call, headers("tools/call", null)), 400, -32020);
            assertThat(missing.path("message").asText()).contains("Mcp-Name");
            JsonNode other = error(post(call, headers("tools/call", "everything__add")), 400, -32020);
            assertThat(other.path("message").asText()).contains("everything__add", "everything__echo");

            // the header may carry its value base64-encoded
            String encoded = "=?base64?" + java.util.Base64.getEncoder().encodeToString("everything__echo".getBytes())
                    + "?=";
            HttpResponse<String> ok = post(call, headers("tools/call", encoded));
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(answer(ok).path("result").path("content").get(0).path("text").asText()).isEqualTo("Echo: hi");
        }

        @Test
        void theMethodAndVersionHeadersMustMatchTheBody() {
            Map<String, String> noMethod = headers("tools/list", null);
            noMethod.remove("Mcp-Method");
            assertThat(error(post(request("tools/list", Json.object()), noMethod), 400, -32020).path("message").asText())
                    .contains("Mcp-Method");

            // header values are case-sensitive
            error(post(request("tools/list", Json.object()), headers("TOOLS/LIST", null)), 400, -32020);

            Map<String, String> otherVersion = headers("tools/list", null);
            otherVersion.put("MCP-Protocol-Version", "2025-11-25");
            assertThat(error(post(request("tools/list", Json.object()), otherVersion), 400, -32020).path("message")
                    .asText()).contains("MCP-Protocol-Version");
        }

        @Test
        void aRequestWithoutItsCapabilitiesIsMalformed() {
            ObjectNode body = request("tools/list", Json.object());
            ((ObjectNode) body.path("params").path("_meta")).remove("io.modelcontextprotocol/clientCapabilities");

            assertThat(error(post(body, headers("tools/list", null)), 400, -32602).path("message").asText())
                    .contains("clientCapabilities");
        }

        @Test
        void anUnservedVersionIsRefusedWithTheVersionsServed() {
            ObjectNode body = request("tools/list", Json.object());
            ((ObjectNode) body.path("params").path("_meta")).put("io.modelcontextprotocol/protocolVersion", "2099-01-01");
            Map<String, String> headers = headers("tools/list", null);
            headers.put("MCP-Protocol-Version", "2099-01-01");

            JsonNode refused = error(post(body, headers), 400, -32022);
            assertThat(refused.path("data").path("supported").toString()).contains(VERSION, "2025-11-25");
            assertThat(refused.path("data").path("requested").asText()).isEqualTo("2099-01-01");

            // the header alone, on a request without a _meta version, is refused the same way
            ObjectNode bare = Json.object().put("jsonrpc", "2.0").put("id", 7).put("method", "tools/list");
            assertThat(error(post(bare, headers), 400, -32022).path("data").path("requested").asText())
                    .isEqualTo("2099-01-01");
        }

        @Test
        void methodsTheRevisionRemovedAndUnknownMethodsAre404() {
            for (String method : List.of("ping", "initialize", "logging/setLevel", "no/such-method")) {
                error(post(request(method, Json.object()), headers(method, null)), 404, -32601);
            }
        }

        @Test
        void anUnknownResourceIsInvalidParamsNotTheSessionErasCode() {
            ObjectNode read = request("resources/read", Json.object().put("uri", "nope://nothing"));
            HttpResponse<String> response = post(read, headers("resources/read", "nope://nothing"));
            assertThat(answer(response).path("error").path("code").asInt()).as(response.body()).isEqualTo(-32602);
        }

        @Test
        void inputRequiredCarriesTheUpstreamsRequestAndTheRetryResumesTheCall() {
            ObjectNode call = request("tools/call", Json.object().put("name", "conformance__test_elicitation"));
            ((ObjectNode) call.get("params")).putObject("arguments").put("message", "your name?");
            ((ObjectNode) call.path("params").path("_meta").path("io.modelcontextprotocol/clientCapabilities"))
                    .putObject("elicitation");

            JsonNode first = answer(post(call, headers("tools/call", "conformance__test_elicitation")));
            JsonNode asked = first.path("result");
            assertThat(asked.path("resultType").asText()).as(first.toString()).isEqualTo("input_required");
            assertThat(asked.path("inputRequests").size()).isEqualTo(1);
            String key = asked.path("inputRequests").fieldNames().next();
            JsonNode request = asked.path("inputRequests").path(key);
            assertThat(request.path("method").asText()).isEqualTo("elicitation/create");
            assertThat(request.path("params").path("message").asText()).isEqualTo("your name?");
            String state = asked.path("requestState").asText();
            assertThat(state).isNotEmpty();

            // a state that names no call is refused, and the call goes on
            ObjectNode forged = call.deepCopy();
            ((ObjectNode) forged.get("params")).put("requestState", "sluice-forged");
            error(post(forged, headers("tools/call", "conformance__test_elicitation")), 400, -32602);

            ObjectNode retry = call.deepCopy().put("id", 8);
            ((ObjectNode) retry.get("params")).put("requestState", state);
            ((ObjectNode) retry.get("params")).putObject("inputResponses").putObject(key).put("action", "accept")
                    .putObject("content").put("username", "ada").put("email", "ada@example.com");
            JsonNode done = answer(post(retry, headers("tools/call", "conformance__test_elicitation")));

            assertThat(done.path("id").asInt()).as("the retry's id").isEqualTo(8);
            assertThat(done.path("result").path("resultType").asText()).isEqualTo("complete");
            assertThat(done.path("result").path("content").get(0).path("text").asText()).contains("ada@example.com");

            // the exchange is over: its state is not honoured again
            error(post(retry.deepCopy().put("id", 7), headers("tools/call", "conformance__test_elicitation")), 400,
                    -32602);
        }

        @Test
        void withoutTheCapabilityTheUpstreamIsToldTheClientCannotBeAsked() {
            ObjectNode call = request("tools/call", Json.object().put("name", "conformance__test_elicitation"));
            ((ObjectNode) call.get("params")).putObject("arguments").put("message", "your name?");

            JsonNode answer = answer(post(call, headers("tools/call", "conformance__test_elicitation")));
            assertThat(answer.toString()).doesNotContain("input_required");
            assertThat(answer.has("error") || answer.path("result").path("isError").asBoolean())
                    .as("the call fails rather than hangs: %s", answer).isTrue();
        }

        @Test
        void aSessionEraClientStillInitializesOnTheSameEndpoint() {
            ObjectNode init = Json.object().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize");
            init.putObject("params").put("protocolVersion", "2025-11-25").putObject("capabilities");
            ((ObjectNode) init.get("params")).putObject("clientInfo").put("name", "StatelessEraIT").put("version", "1");
            HttpResponse<String> response = post(init, Map.of());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("Mcp-Session-Id")).isPresent();
        }
    }
}
