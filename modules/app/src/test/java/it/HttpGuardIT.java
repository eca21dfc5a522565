package it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import it.support.Gateway;
import it.support.Http;
import it.support.McpSessionClient;
import it.support.SluiceNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Security headers on every response, CORS from the allow-list only, and the body limit. */
class HttpGuardIT {
    private static SluiceNode sluice;

    @BeforeAll
    static void start() {
        sluice = Gateway.node();
    }

    @Nested
    class SecurityHeaders {
        @Test
        void areOnEveryResponseWhateverAnsweredIt() {
            for (String path : List.of("/health/ready", "/metrics", "/openapi", "/api/v1/system/info",
                    "/api/v1/no-such-thing", "/mcp")) {
                HttpResponse<String> r = sluice.http().get(path);
                assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
                assertThat(r.headers().firstValue("X-Frame-Options")).as(path).contains("DENY");
                assertThat(r.headers().firstValue("Referrer-Policy")).as(path).contains("no-referrer");
            }
        }

        @Test
        void theApiAndTheMcpEndpointCarryAStrictContentSecurityPolicy() {
            for (String path : List.of("/api/v1/system/info", "/mcp")) {
                assertThat(sluice.http().get(path).headers().firstValue("Content-Security-Policy")).as(path)
                        .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'"));
            }
        }
    }

    @Nested
    class Cors {
        private HttpResponse<String> preflight(String path, String origin) {
            return sluice.http().send(sluice.http().request(path)
                    .header("Origin", origin).header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "content-type, mcp-session-id")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        }

        @Test
        void aPreflightFromAnAllowedOriginPasses() {
            HttpResponse<String> r = preflight("/api/v1/tools", Gateway.ALLOWED_ORIGIN);
            assertThat(r.statusCode()).isEqualTo(204);
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains(Gateway.ALLOWED_ORIGIN);
            assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElse("")).contains("Mcp-Session-Id");
        }

        @Test
        void aPreflightFromAnyOtherOriginIsRefused() {
            HttpResponse<String> rest = preflight("/api/v1/tools", "http://evil.example.com");
            assertThat(rest.statusCode()).isEqualTo(403);
            assertThat(rest.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            assertThat(Http.json(rest).path("type").asText()).endsWith("/forbidden-origin");
            HttpResponse<String> mcp = preflight("/mcp", "http://evil.example.com");
            assertThat(mcp.statusCode()).isEqualTo(403);
            assertThat(Http.json(mcp).path("error").path("data").path("type").asText()).endsWith("/forbidden-origin");
        }

        @Test
        void onlyAnAllowedOriginIsEverNamedInAnAnswerAndThereIsNoWildcard() {
            HttpResponse<String> allowed = sluice.http().send(sluice.http().request("/api/v1/system/info")
                    .header("Origin", Gateway.ALLOWED_ORIGIN).GET());
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains(Gateway.ALLOWED_ORIGIN);
            HttpResponse<String> other = sluice.http().send(sluice.http().request("/api/v1/system/info")
                    .header("Origin", "http://evil.example.com").GET());
            assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }

        @Test
        void anAllowedOriginMayAlsoUseTheMcpEndpoint() {
            HttpResponse<String> r = sluice.http().send(new McpSessionClient(sluice.http(), "/mcp")
                    .post("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\"}}")
                    .header("Origin", Gateway.ALLOWED_ORIGIN));
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class BodyLimit {
        private final String tenMegabytes = "{\"arguments\":{\"message\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}}";

        @Test
        void aTenMegabyteBodyIsRefusedOnRest() {
            HttpResponse<String> r = sluice.http().send(sluice.http().request("/api/v1/servers/everything/tools/echo/call")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(tenMegabytes)));
            assertThat(r.statusCode()).isEqualTo(413);
            JsonNode problem = Http.json(r);
            assertThat(problem.path("type").asText()).endsWith("/payload-too-large");
            assertThat(problem.path("detail").asText()).contains("limit");
        }

        @Test
        void aTenMegabyteBodyIsRefusedOnMcp() {
            HttpResponse<String> r = sluice.http().send(new McpSessionClient(sluice.http(), "/mcp").post(tenMegabytes));
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(Http.json(r).path("error").path("data").path("type").asText()).endsWith("/payload-too-large");
        }
    }
}
