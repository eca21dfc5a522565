package it;

import static it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import it.support.Gateway;
import it.support.Http;
import it.support.McpSessionClient;
import it.support.SluiceNode;
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
 * The health monitor against real upstream processes (the SDK v2 server fixture over HTTP): checked
 * twice a second here, a server that stops answering is marked down after two failed checks, leaves
 * the federated lists, and shows in readiness (degraded for an optional server, unready for a
 * required one); started again, it is found and comes back by itself, without a call.
 */
class UpstreamHealthIT {
    private static final int PORT = Integer.getInteger("sluice.it.health.port", 9197);
    private static final int FLAKY_PORT = Integer.getInteger("sluice.it.health.flaky.port", 3924);
    private static final int VITAL_PORT = Integer.getInteger("sluice.it.health.vital.port", 3925);

    private static SluiceNode sluice;
    private static UpstreamProcess flaky;
    private static UpstreamProcess vital;

    @BeforeAll
    static void start() {
        flaky = server(FLAKY_PORT);
        vital = server(VITAL_PORT);
        Path catalog = Gateway.catalogFrom("catalog-health.yaml", Map.of(
                "FLAKY_PORT", Integer.toString(FLAKY_PORT), "VITAL_PORT", Integer.toString(VITAL_PORT)));
        sluice = Gateway.start("sluice-health", PORT, Map.of(
                "SLUICE_REGISTRY_CATALOG_FILE", catalog.toString(),
                "SLUICE_HEALTH_INTERVAL", "PT0.5S",
                "SLUICE_HEALTH_TIMEOUT", "PT2S",
                "SLUICE_HEALTH_FAILURE_THRESHOLD", "2"));
    }

    private static UpstreamProcess server(int port) {
        return UpstreamProcess.listening(List.of(Gateway.node22().toString(),
                Gateway.mcpDir().resolve("modern-server.mjs").toString(), Integer.toString(port)), Map.of(), port,
                Gateway.tmp().resolve("modern-health-" + port + ".log"));
    }

    @AfterAll
    static void stop() {
        Gateway.closeAll(sluice, flaky, vital);
    }

    private static String state(String server) {
        return Http.json(sluice.http().get("/api/v1/servers/" + server)).path("status").path("state").asText();
    }

    private static JsonNode readiness() {
        HttpResponse<String> r = sluice.http().anonymous().get("/health/ready");
        JsonNode body = Http.json(r);
        for (JsonNode check : body.path("checks")) {
            if ("upstreams".equals(check.path("name").asText())) {
                return Json.object().put("http", r.statusCode()).put("status", check.path("status").asText())
                        .setAll((com.fasterxml.jackson.databind.node.ObjectNode) check.path("data"));
            }
        }
        throw new AssertionError("no upstreams check in " + body);
    }

    private static List<String> toolNames() {
        McpSessionClient client = new McpSessionClient(sluice.http(), "/mcp");
        client.initialize();
        List<String> names = new java.util.ArrayList<>();
        client.request("tools/list", Json.object()).path("result").path("tools")
                .forEach(t -> names.add(t.path("name").asText()));
        return names;
    }

    @Test
    void anOptionalServerThatStopsIsMarkedDownLeavesTheListsAndComesBackByItself() {
        assertThat(toolNames()).contains("flaky__echo", "vital__echo"); // both started, both checked from now on
        eventually(Duration.ofSeconds(10), () -> Http.json(sluice.http().get("/api/v1/servers/flaky/health")),
                h -> h.path("checks").size() >= 2 && h.path("checks").path(0).path("ok").asBoolean());

        flaky.close();
        eventually(Duration.ofSeconds(15), () -> state("flaky"), "DOWN"::equals);
        JsonNode health = Http.json(sluice.http().get("/api/v1/servers/flaky/health"));
        assertThat(health.path("checks").path(0).path("ok").asBoolean()).isFalse();
        assertThat(health.path("checks").path(0).path("error").asText()).as(health.toString()).isNotBlank();
        JsonNode ready = readiness();
        assertThat(ready.path("http").asInt()).as("an optional server down leaves the node ready").isEqualTo(200);
        assertThat(ready.path("state").asText()).isEqualTo("degraded");
        assertThat(ready.path("down").asText()).contains("flaky");
        assertThat(toolNames()).doesNotContain("flaky__echo").contains("vital__echo");

        flaky = server(FLAKY_PORT);
        eventually(Duration.ofSeconds(40), () -> state("flaky"), "UP"::equals);
        assertThat(toolNames()).contains("flaky__echo");
        assertThat(readiness().path("state").asText()).isEqualTo("ok");
    }

    @Test
    void aRequiredServerThatStopsMakesTheNodeUnreadyUntilItIsBack() {
        assertThat(toolNames()).contains("vital__echo");
        eventually(Duration.ofSeconds(10), () -> state("vital"), "UP"::equals);

        vital.close();
        JsonNode ready = eventually(Duration.ofSeconds(15), UpstreamHealthIT::readiness,
                r -> r.path("http").asInt() == 503);
        assertThat(ready.path("status").asText()).isEqualTo("DOWN");
        assertThat(ready.path("requiredDown").asText()).isEqualTo("vital");

        vital = server(VITAL_PORT);
        eventually(Duration.ofSeconds(40), UpstreamHealthIT::readiness, r -> r.path("http").asInt() == 200);
    }
}
