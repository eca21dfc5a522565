package it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import it.support.Eventually;
import it.support.Gateway;
import it.support.Http;
import it.support.McpSessionClient;
import it.support.SluiceNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every MCP method that reaches an upstream crosses the one pipeline: each is rate-limited, audited
 * under the request's own {@code X-Request-Id}, and counted in {@code mcp_requests_total}. The node
 * allows one call per user and hour, and each method is tried by a caller of its own (a fresh API
 * key): the first call passes and is recorded, the second is refused by the budget and recorded so.
 */
class PipelineIT {
    private static final int PORT = Integer.getInteger("sluice.it.pipeline.port", 9183);

    private static SluiceNode sluice;

    @BeforeAll
    static void start() throws Exception {
        Path catalog = Gateway.tmp().resolve("catalog-pipeline.yaml");
        Files.writeString(catalog, """
                separator: "__"
                servers:
                  - name: fixture
                    description: the session-era conformance fixture
                    category: test
                    transport: stdio
                    command: node
                    args: ["%s", "stdio"]
                    cache: false
                """.formatted(Gateway.mcpDir().resolve("conformance-fixture.mjs")));
        sluice = Gateway.start("sluice-pipeline", PORT, Map.of(
                "SLUICE_REGISTRY_CATALOG_FILE", catalog.toString(),
                "SLUICE_RATE_LIMIT_PER_USER", "1",
                "SLUICE_RATE_LIMIT_WINDOW", "PT1H"));
    }

    @AfterAll
    static void stop() {
        Gateway.closeAll(sluice);
    }

    /** A session of a new caller (an API key of its own, so a budget of its own). */
    private static McpSessionClient newCaller(String subject) {
        ObjectNode body = Json.object().put("name", subject).put("role", "engineer").put("owner", subject)
                .put("expiresInDays", 1);
        Http owner = sluice.http();
        HttpResponse<String> created = owner.send(owner.request("/api/v1/api-keys")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Json.write(body))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        McpSessionClient session = new McpSessionClient(owner.withBearer(Http.json(created).path("secret").asText()),
                "/mcp");
        session.initialize();
        session.request("tools/list", null); // not a call: connects the upstream, spends no budget
        return session;
    }

    private static JsonNode send(McpSessionClient session, String requestId, String method, String params) {
        String message = "{\"jsonrpc\":\"2.0\",\"id\":\"" + requestId + "\",\"method\":\"" + method + "\",\"params\":"
                + params + "}";
        HttpResponse<String> r = sluice.http().send(session.post(message).header("X-Request-Id", requestId));
        assertThat(r.headers().firstValue("X-Request-Id")).contains(requestId);
        return McpSessionClient.body(r);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            tools/call             | {"name":"fixture__test_simple_text","arguments":{}}                          | fixture__test_simple_text | test_simple_text
            resources/read         | {"uri":"test://static-text"}                                                   | test://static-text        | resources/read
            prompts/get            | {"name":"fixture__test_simple_prompt"}                                         | fixture__test_simple_prompt | test_simple_prompt
            completion/complete    | {"ref":{"type":"ref/prompt","name":"fixture__test_prompt_with_arguments"},"argument":{"name":"arg1","value":""}} | test_prompt_with_arguments | completion/complete
            resources/subscribe    | {"uri":"test://watched-resource"}                                              | test://watched-resource   | resources/subscribe
            resources/unsubscribe  | {"uri":"test://watched-resource"}                                              | test://watched-resource   | resources/unsubscribe
            logging/setLevel       | {"level":"warning"}                                                            | warning                   | logging/setLevel
            """)
    void everyUpstreamReachingMethodIsRateLimitedAuditedUnderItsRequestIdAndCounted(String method, String params,
            String unusedName, String metricLabel) {
        String subject = "pipeline-" + method.replace('/', '-') + "-" + UUID.randomUUID().toString().substring(0, 8);
        McpSessionClient session = newCaller(subject);
        String first = "req-" + UUID.randomUUID();
        String second = "req-" + UUID.randomUUID();

        JsonNode allowed = send(session, first, method, params);
        assertThat(allowed.has("result")).as("%s: %s", method, allowed).isTrue();
        JsonNode refused = send(session, second, method, params);
        if (!method.equals("logging/setLevel")) {
            // the session's own level is set whatever an upstream makes of it: only the audit tells
            assertThat(refused.path("error").path("data").path("type").asText()).as("%s: %s", method, refused)
                    .endsWith("/rate-limited");
        }

        JsonNode records = Eventually.eventually(Duration.ofSeconds(10),
                () -> Http.json(sluice.http().get("/api/v1/audit?subject=" + subject + "&limit=10")),
                r -> r.size() >= 2);
        assertThat(records.findValuesAsText("action")).containsOnly(method);
        assertThat(records.findValuesAsText("server")).containsOnly("fixture");
        assertThat(records.findValuesAsText("channel")).containsOnly("mcp");
        Map<String, String> outcomeByRequest = new java.util.HashMap<>();
        records.forEach(r -> outcomeByRequest.put(r.path("requestId").asText(), r.path("outcome").asText()));
        assertThat(outcomeByRequest).containsEntry(first, "ok").containsEntry(second, "rate-limited");

        String metrics = sluice.http().get("/metrics?scope=application").body();
        assertThat(metrics).as("mcp_requests_total of %s", method).containsPattern(
                "mcp_requests_total\\{[^}]*server=\"fixture\"[^}]*status=\"rate-limited\"[^}]*tool=\""
                        + java.util.regex.Pattern.quote(metricLabel) + "\"[^}]*\\} [1-9]");
    }

    @Test
    void aRefusedCallNeverReachesTheUpstreamButIsRecorded() {
        // a viewer may not call a tool the upstream does not mark read-only: refused by authorisation
        ObjectNode body = Json.object().put("name", "viewer-x").put("role", "viewer").put("owner", "viewer-x")
                .put("expiresInDays", 1);
        Http owner = sluice.http();
        HttpResponse<String> created = owner.send(owner.request("/api/v1/api-keys")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Json.write(body))));
        McpSessionClient viewer = new McpSessionClient(owner.withBearer(Http.json(created).path("secret").asText()),
                "/mcp");
        viewer.initialize();
        String id = "req-" + UUID.randomUUID();
        JsonNode answer = send(viewer, id, "tools/call", "{\"name\":\"fixture__test_simple_text\",\"arguments\":{}}");
        assertThat(answer.path("error").path("data").path("type").asText()).endsWith("/forbidden");
        JsonNode records = Eventually.eventually(Duration.ofSeconds(10),
                () -> Http.json(sluice.http().get("/api/v1/audit?subject=viewer-x&limit=5")), r -> r.size() >= 1);
        assertThat(records.get(0).path("requestId").asText()).isEqualTo(id);
        assertThat(records.get(0).path("outcome").asText()).isEqualTo("denied");
    }
}
