package it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import it.support.ConformanceSuite;
import it.support.Eventually;
import it.support.Gateway;
import it.support.Http;
import it.support.McpSessionClient;
import it.support.SluiceNode;
import it.support.Stateless;
import it.support.UpstreamProcess;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official conformance suites through Sluice in all four combinations of protocol eras, with the
 * fixture of each era as the only upstream of an unprefixed virtual server: {@code session}
 * ({@code conformance-fixture.mjs}, stdio) and {@code modern} ({@code modern-fixture.mjs --modern-only},
 * Streamable HTTP, protocol 2026-07-28 alone, so Sluice cannot fall back to the session era and must
 * translate). 0.1.16 speaks the session era; 0.2.0-alpha.12 with {@code --requirements 2026-07-28}
 * speaks 2026-07-28. No expected-failures baseline: every scored check must pass.
 */
class ConformanceErasIT {
    private static final int PORT = Integer.getInteger("sluice.it.conformance-eras.port", 9190);
    private static final int MODERN_PORT = Integer.getInteger("sluice.it.conformance-eras.modern.port", 3961);

    /**
     * The 2026-07-28 scenarios a session-era upstream can support (tests/mcp/CONFORMANCE-NOTES.md,
     * section 9.3): the others call tools, or test a mechanism, that only a 2026-07-28 server has.
     */
    static final List<String> SESSION_UPSTREAM_SCENARIOS = List.of("server-stateless", "completion-complete", "tools-list",
            "tools-call-simple-text", "tools-call-image", "tools-call-audio", "tools-call-embedded-resource",
            "tools-call-mixed-content", "tools-call-error", "tools-call-with-progress", "server-sse-multiple-streams",
            "resources-list", "resources-read-text", "resources-read-binary", "resources-templates-read",
            "sep-2164-resource-not-found", "prompts-list", "prompts-get-simple", "prompts-get-with-args",
            "prompts-get-embedded-resource", "prompts-get-with-image", "dns-rebinding-protection", "caching",
            "input-required-result-missing-input-response", "input-required-result-unsupported-methods",
            "input-required-result-ignore-extra-params", "input-required-result-validate-input");

    /** The tasks extension's scenarios of 0.2.0-alpha.12 (tests/mcp/CONFORMANCE-NOTES.md, section 9.7). */
    static final List<String> TASKS_SCENARIOS = List.of("tasks-lifecycle", "tasks-capability-negotiation",
            "tasks-wire-fields", "tasks-request-state-removal", "tasks-mrtr-input", "tasks-request-headers",
            "tasks-dispatch-and-envelope", "tasks-status-notifications", "tasks-required-task-error",
            "tasks-mrtr-composition");

    private static final ObjectNode TASKS = Json.object();

    static {
        TASKS.putObject("extensions").putObject("io.modelcontextprotocol/tasks");
    }

    private static UpstreamProcess modern;
    private static SluiceNode sluice;

    @BeforeAll
    static void start() {
        Path mcp = Gateway.mcpDir();
        modern = UpstreamProcess.listening(List.of(Gateway.node22().toString(), mcp.resolve("modern-fixture.mjs").toString(),
                "--port", Integer.toString(MODERN_PORT), "--modern-only"), Map.of(), MODERN_PORT,
                Gateway.tmp().resolve("modern-fixture.log"));
        Path catalog = Gateway.catalogFrom("catalog-conformance.yaml", Map.of("MODERN_PORT", Integer.toString(MODERN_PORT),
                "MCP_DIR", mcp.toString()));
        sluice = Gateway.start("sluice-conformance-eras", PORT, Map.of(
                "SLUICE_REGISTRY_CATALOG_FILE", catalog.toString(),
                // 0.1.16's resumption scenario: answer streams open early and are released after 100 ms
                "SLUICE_MCP_STREAM_AFTER", "PT0.05S",
                "SLUICE_MCP_RELEASE_STREAM_AFTER", "PT0.1S",
                // the suites' clients send no credentials: this test-only node admits anonymous callers
                "SLUICE_SECURITY_ANONYMOUS_ROLE", "engineer"));
    }

    @AfterAll
    static void stop() {
        Gateway.closeAll(sluice, modern);
    }

    private static String url(String virtualServer) {
        return "http://localhost:" + PORT + "/mcp/" + virtualServer;
    }

    @Test
    void theSessionEraSuitePassesInFrontOfA20260728Upstream() {
        // sampling, elicitation and roots come out of the upstream's input_required as the client's own
        // requests; resources/subscribe rides on a subscriptions/listen Sluice holds toward the upstream
        ConformanceSuite.passesAgainst(url("modern"), 46);
    }

    @Test
    void every20260728RequirementPassesInFrontOfA20260728Upstream() {
        ConformanceSuite.meetsRequirements20260728(url("modern"));
    }

    @Test
    void the20260728ScenariosASessionEraUpstreamSupportsPassInFrontOfIt() {
        ConformanceSuite.scenariosPass20260728(url("session"), SESSION_UPSTREAM_SCENARIOS);
    }

    @Test
    void theTasksExtensionPassesThroughAsTheUpstreamServesIt() {
        Map<String, Integer> passed = ConformanceSuite.extensionPassesThroughAsDirectly(
                "http://localhost:" + MODERN_PORT + "/mcp", url("modern"), TASKS_SCENARIOS);
        // the fixture passes 44 of them (one scenario is the suite's own skip): not a vacuous comparison
        assertThat(passed.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void aTaskIsFollowedUpOnlyByItsCallerAndOnlyWhereItStarted() {
        Http owner = sluice.http();
        HttpResponse<String> created = owner.send(Stateless.post(owner, "/mcp/modern", Stateless.request(1,
                "tools/call", Json.object().put("name", "slow_compute").set("arguments", Json.object().put("seconds", 30)),
                TASKS.deepCopy())));
        JsonNode task = Stateless.answer(created).path("result");
        assertThat(task.path("resultType").asText()).as("%s", created.body()).isEqualTo("task");
        String id = task.path("taskId").asText();
        assertThat(id).as("Sluice's own id, not the upstream's").startsWith("t1.");

        JsonNode got = Stateless.answer(owner.send(Stateless.post(owner, "/mcp/modern",
                Stateless.request(2, "tasks/get", Json.object().put("taskId", id), TASKS.deepCopy()))));
        assertThat(got.path("result").path("taskId").asText()).isEqualTo(id);
        assertThat(got.path("result").path("status").asText()).isEqualTo("working");

        // another caller (anonymous here), the same caller on another endpoint, a forged id: unknown task
        Http anonymous = owner.anonymous();
        JsonNode stranger = Stateless.answer(anonymous.send(Stateless.post(anonymous, "/mcp/modern",
                Stateless.request(3, "tasks/get", Json.object().put("taskId", id), TASKS.deepCopy()))));
        assertThat(stranger.path("error").path("code").asInt()).as("%s", stranger).isEqualTo(-32602);
        JsonNode elsewhere = Stateless.answer(owner.send(Stateless.post(owner, "/mcp",
                Stateless.request(4, "tasks/get", Json.object().put("taskId", id), TASKS.deepCopy()))));
        assertThat(elsewhere.path("error").path("code").asInt()).as("%s", elsewhere).isEqualTo(-32602);
        String forged = id.substring(0, id.length() - 6) + (id.endsWith("AAAAAA") ? "BBBBBB" : "AAAAAA");
        JsonNode forgery = Stateless.answer(owner.send(Stateless.post(owner, "/mcp/modern",
                Stateless.request(5, "tasks/cancel", Json.object().put("taskId", forged), TASKS.deepCopy()))));
        assertThat(forgery.path("error").path("code").asInt()).as("%s", forgery).isEqualTo(-32602);

        // without the extension declared: -32021, HTTP 400, naming it
        HttpResponse<String> undeclared = owner.send(Stateless.post(owner, "/mcp/modern",
                Stateless.request(6, "tasks/get", Json.object().put("taskId", id), Json.object())));
        assertThat(undeclared.statusCode()).isEqualTo(400);
        assertThat(Stateless.answer(undeclared).path("error").path("data").path("requiredCapabilities")
                .path("extensions").has("io.modelcontextprotocol/tasks")).as("%s", undeclared.body()).isTrue();

        // an endpoint whose upstream offers no tasks: not served there (404), nor declared in its discover
        HttpResponse<String> none = owner.send(Stateless.post(owner, "/mcp/session",
                Stateless.request(7, "tasks/get", Json.object().put("taskId", "x"), TASKS.deepCopy())));
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(Stateless.answer(none).path("error").path("code").asInt()).isEqualTo(-32601);
        JsonNode discover = Stateless.answer(owner.send(Stateless.post(owner, "/mcp/session",
                Stateless.request(8, "server/discover", Json.object(), Json.object()))));
        assertThat(discover.path("result").path("capabilities").has("extensions")).as("%s", discover).isFalse();

        // the task's calls are audited as the tool's, with their method as the action
        JsonNode audit = Eventually.eventually(Duration.ofSeconds(10),
                () -> Http.json(owner.get("/api/v1/audit?action=tasks/get&limit=5")),
                a -> a.findValuesAsText("target").contains("slow_compute"));
        assertThat(audit.findValuesAsText("server")).contains("modern-fixture");

        JsonNode cancelled = Stateless.answer(owner.send(Stateless.post(owner, "/mcp/modern",
                Stateless.request(9, "tasks/cancel", Json.object().put("taskId", id), TASKS.deepCopy()))));
        assertThat(cancelled.path("result").path("resultType").asText()).as("%s", cancelled).isEqualTo("complete");
    }

    @Test
    void aSessionClientIsNeverGivenATask() {
        // it cannot follow one up: the upstream never hears of the extension and runs the tool at once
        McpSessionClient session = new McpSessionClient(sluice.http(), "/mcp/modern");
        session.initialize(TASKS.deepCopy());
        JsonNode result = session.callTool("slow_compute", Json.object().put("seconds", 0));
        assertThat(result.path("result").has("taskId")).as("%s", result).isFalse();
        assertThat(result.path("result").path("content").isArray()).as("%s", result).isTrue();
    }
}
