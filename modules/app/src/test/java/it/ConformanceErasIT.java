package it;

import it.support.ConformanceSuite;
import it.support.Gateway;
import it.support.SluiceNode;
import it.support.UpstreamProcess;
import java.nio.file.Path;
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
}
