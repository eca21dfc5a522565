package it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import it.support.Gateway;
import it.support.Http;
import it.support.SluiceNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The REST face of the federation: servers, tool search, calls, resources, prompts. */
class RestApiIT {
    private static SluiceNode sluice;

    @BeforeAll
    static void start() {
        sluice = Gateway.node();
    }

    private HttpResponse<String> post(String path, String body) {
        return sluice.http().send(sluice.http().request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void listsServersWithTheirStatus() {
        JsonNode servers = Http.json(sluice.http().get("/api/v1/servers"));
        assertThat(servers.findValuesAsText("name")).contains("everything", "memory", "postgres");
        assertThat(servers.get(0).path("status").has("state")).isTrue();
    }

    @Test
    void searchesToolsAndShowsTheirSchemas() {
        JsonNode found = Http.json(sluice.http().get("/api/v1/tools?q=echo"));
        assertThat(found.path("tools")).allSatisfy(t -> assertThat((t.path("name").asText() + t.path("title").asText()
                + t.path("description").asText()).toLowerCase()).contains("echo"));
        assertThat(found.path("tools").findValuesAsText("name")).contains("everything__echo");
        JsonNode echo = Http.json(sluice.http().get("/api/v1/tools/everything__echo"));
        assertThat(echo.path("server").asText()).isEqualTo("everything");
        assertThat(echo.path("tool").asText()).isEqualTo("echo");
        assertThat(echo.path("inputSchema").path("properties").has("message")).isTrue();
        JsonNode memoryOnly = Http.json(sluice.http().get("/api/v1/tools?server=memory"));
        assertThat(memoryOnly.path("tools").findValuesAsText("server")).isNotEmpty().allMatch("memory"::equals);
    }

    @Test
    void theDashboardStatisticsCountThisNodesCallsMinuteByMinute() {
        JsonNode before = Http.json(sluice.http().get("/api/v1/stats?window=PT15M"));
        long requests = before.path("totals").path("requests").asLong();
        long errors = before.path("totals").path("errors").asLong();
        assertThat(post("/api/v1/servers/everything/tools/echo/call", "{\"arguments\":{\"message\":\"stats\"}}")
                .statusCode()).isEqualTo(200);
        assertThat(post("/api/v1/servers/everything/tools/echo/call", "{\"arguments\":{}}").statusCode())
                .as("an echo without its message is refused").isEqualTo(400);
        JsonNode after = Http.json(sluice.http().get("/api/v1/stats?window=PT15M"));
        assertThat(after.path("window").asText()).isEqualTo("PT15M");
        assertThat(after.path("step").asText()).isEqualTo("PT1M");
        assertThat(after.path("series")).hasSize(15);
        assertThat(after.path("totals").path("requests").asLong()).isEqualTo(requests + 2);
        assertThat(after.path("totals").path("errors").asLong()).isEqualTo(errors + 1);
        assertThat(after.path("totals").path("p95Millis").asDouble()).isPositive();
        JsonNode last = after.path("series").get(14);
        JsonNode previous = after.path("series").get(13);
        assertThat(last.path("requests").asLong() + previous.path("requests").asLong()).isGreaterThanOrEqualTo(2);
        HttpResponse<String> bad = sluice.http().get("/api/v1/stats?window=P1Y");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Http.json(bad).path("detail").asText()).contains("PT15M");
        assertThat(Http.json(sluice.http().get("/api/v1/stats?window=PT24H")).path("series")).hasSize(96);
    }

    @Test
    void callsAToolOfOneServer() {
        HttpResponse<String> r = post("/api/v1/servers/everything/tools/echo/call", "{\"arguments\":{\"message\":\"rest\"}}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Http.json(r).path("content").get(0).path("text").asText()).isEqualTo("Echo: rest");
    }

    @Test
    void anUnknownToolOrServerIsAProblem() {
        HttpResponse<String> tool = post("/api/v1/servers/everything/tools/nope/call", "{}");
        assertThat(tool.statusCode()).isEqualTo(404);
        assertThat(tool.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(Http.json(tool).path("type").asText()).endsWith("/unknown-tool");
        HttpResponse<String> server = post("/api/v1/servers/nowhere/tools/echo/call", "{}");
        assertThat(server.statusCode()).isEqualTo(404);
        assertThat(Http.json(server).path("type").asText()).endsWith("/unknown-server");
    }

    @Test
    void argumentsMustBeAnObject() {
        HttpResponse<String> r = post("/api/v1/servers/everything/tools/echo/call", "{\"arguments\":[1,2]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Http.json(r).path("detail").asText()).contains("arguments");
    }

    @Test
    void readsResourcesAndGetsPrompts() {
        JsonNode resources = Http.json(sluice.http().get("/api/v1/resources"));
        String uri = resources.path("resources").get(0).path("uri").asText();
        JsonNode read = Http.json(sluice.http().get("/api/v1/resources/read?uri="
                + java.net.URLEncoder.encode(uri, java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(read.path("contents").get(0).path("uri").asText()).isEqualTo(uri);
        HttpResponse<String> prompt = post("/api/v1/prompts/everything__simple-prompt/get", "{}");
        assertThat(prompt.statusCode()).isEqualTo(200);
        assertThat(Http.json(prompt).path("messages").size()).isPositive();
    }

    @Test
    void reportsTheCatalogAndItsVirtualServers() {
        assertThat(Http.json(sluice.http().get("/api/v1/catalog")).path("servers").asInt()).isGreaterThanOrEqualTo(5);
        assertThat(Http.json(sluice.http().get("/api/v1/virtual-servers")).findValuesAsText("name")).contains("conformance");
    }
}
