package dev.sluice.app.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The pieces of the guard filter that do not need a container: paths, ids and the body bound. */
class RequestGuardsTest {

    @Nested
    class Paths {
        @Test
        void everySpellingOfTheMcpEndpointIsProtected() {
            for (String raw : List.of("/mcp", "/%6Dcp", "/%6dcp", "//mcp", "/./mcp", "/mcp;x", "/MCP", "/api/../mcp",
                    "/api/v1/../../mcp", "/x/%2e%2e/mcp", "/mcp/", "/%6D%63%70/vs1", "/api/v1/../mcp")) {
                assertThat(RequestPaths.isProtectedPath(RequestPaths.normalise(raw))).as(raw).isTrue();
            }
        }

        @Test
        void normalisingDecodesDropsParametersAndResolvesDots() {
            assertThat(RequestPaths.normalise("/%6Dcp")).isEqualTo("/mcp");
            assertThat(RequestPaths.normalise("//mcp")).isEqualTo("/mcp");
            assertThat(RequestPaths.normalise("/./mcp;jsessionid=1?x=/y")).isEqualTo("/mcp");
            assertThat(RequestPaths.normalise("/api/v1/../mcp")).isEqualTo("/api/mcp");
            assertThat(RequestPaths.normalise("/../../mcp")).isEqualTo("/mcp");
            assertThat(RequestPaths.normalise("/admin/")).isEqualTo("/admin/");
            assertThat(RequestPaths.normalise("")).isEqualTo("/");
        }

        @Test
        void openPathsStayOpen() {
            for (String raw : List.of("/health/ready", "/metrics", "/openapi", "/.well-known/oauth-protected-resource/mcp",
                    "/admin/", "/api")) {
                assertThat(RequestPaths.isProtectedPath(RequestPaths.normalise(raw))).as(raw).isFalse();
            }
        }
    }

    @Nested
    class Ids {
        private static InputStream body(String json) {
            return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
        }

        @Test
        void aStringOrIntegerIdIsFound() throws IOException {
            assertThat(JsonRpcIds.topLevelId(body("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"x\"}")).asInt()).isEqualTo(7);
            assertThat(JsonRpcIds.topLevelId(body("{\"params\":{\"id\":1,\"a\":[{\"id\":2}]},\"id\":\"abc\"}")).asText())
                    .isEqualTo("abc");
            assertThat(JsonRpcIds.topLevelId(body("{\"id\":0}")).asInt()).isZero();
        }

        @Test
        void otherIdsAndOtherBodiesGiveNone() throws IOException {
            assertThat(JsonRpcIds.topLevelId(body("{\"id\":1.5}"))).isNull();
            assertThat(JsonRpcIds.topLevelId(body("{\"id\":{\"a\":1}}"))).isNull();
            assertThat(JsonRpcIds.topLevelId(body("{\"id\":null}"))).isNull();
            assertThat(JsonRpcIds.topLevelId(body("[{\"id\":1}]"))).isNull();
            assertThat(JsonRpcIds.topLevelId(body("{\"method\":\"x\"}"))).isNull();
        }

        @Test
        void theIdIsReadWithoutReadingTheRestOfTheBody() throws IOException {
            // the id comes first; what follows is not JSON at all and is never parsed
            assertThat(JsonRpcIds.topLevelId(body("{\"id\":42, !!! not json")).asInt()).isEqualTo(42);
        }
    }

    @Nested
    class BodyBound {
        @Test
        void findsTheBoundInAChainOfCauses() {
            BodyTooLargeException cause = new BodyTooLargeException(10);
            RuntimeException wrapped = new RuntimeException("reader failed", new IllegalStateException(cause));
            assertThat(BodyTooLargeException.find(wrapped)).isSameAs(cause);
            assertThat(BodyTooLargeException.find(new RuntimeException("other"))).isNull();
            assertThat(cause.getMessage()).contains("sluice.security.max-body-bytes");
        }

        @Test
        void aBodyIsReadUpToTheLimitAndNotPastIt() throws IOException {
            FakeRequest small = new FakeRequest(new byte[10], -1);
            BoundedRequest bounded = new BoundedRequest(small.proxy(), 10);
            assertThat(bounded.getInputStream().readAllBytes()).hasSize(10);
            assertThat(small.attributes).doesNotContainKey(BoundedRequest.EXCEEDED);

            FakeRequest chunked = new FakeRequest(new byte[1_000_000], -1);
            BoundedRequest over = new BoundedRequest(chunked.proxy(), 1000);
            assertThatThrownBy(() -> over.getInputStream().readAllBytes()).isInstanceOf(BodyTooLargeException.class);
            assertThat(chunked.consumed()).as("bytes taken from the client").isLessThanOrEqualTo(1001);
            assertThat(chunked.attributes).containsEntry(BoundedRequest.EXCEEDED, Boolean.TRUE);
            assertThatThrownBy(() -> over.getInputStream().read()).isInstanceOf(BodyTooLargeException.class);
        }

        @Test
        void aReaderIsBoundToo() {
            FakeRequest chunked = new FakeRequest("x".repeat(5000).getBytes(StandardCharsets.UTF_8), -1);
            BoundedRequest over = new BoundedRequest(chunked.proxy(), 100);
            assertThatThrownBy(() -> over.getReader().lines().count()).hasRootCauseInstanceOf(BodyTooLargeException.class);
        }

        @Test
        void theIdOfARefusedRequestIsReadWithinTheLimitOnly() {
            FakeRequest ok = new FakeRequest("{\"jsonrpc\":\"2.0\",\"id\":\"r-1\",\"method\":\"initialize\"}"
                    .getBytes(StandardCharsets.UTF_8), -1);
            assertThat(JsonRpcIds.of(new BoundedRequest(ok.proxy(), 1000)).asText()).isEqualTo("r-1");
            FakeRequest big = new FakeRequest(("{\"params\":\"" + "x".repeat(5000) + "\",\"id\":3}")
                    .getBytes(StandardCharsets.UTF_8), -1);
            assertThat(JsonRpcIds.of(new BoundedRequest(big.proxy(), 1000))).isNull();
            assertThat(big.consumed()).isLessThanOrEqualTo(1001);
            FakeRequest declared = new FakeRequest("{\"id\":3}".getBytes(StandardCharsets.UTF_8), 5000);
            assertThat(JsonRpcIds.of(new BoundedRequest(declared.proxy(), 1000))).isNull();
            assertThat(declared.consumed()).isZero();
        }
    }
}
