package it;

import static org.assertj.core.api.Assertions.assertThat;

import it.support.Gateway;
import it.support.SluiceNode;
import it.support.TestKeys;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production profile ({@code SLUICE_PROFILE=production}): TLS on the second port, with
 * {@code Strict-Transport-Security} on HTTPS answers and not on plain HTTP ones. The key store is the
 * self-signed one Liberty makes on first start, so this client trusts any certificate.
 */
class ProductionProfileIT {
    private static final int PORT = 9185;
    private static final int HTTPS_PORT = PORT + 363;
    private static SluiceNode sluice;

    @BeforeAll
    static void start() {
        sluice = Gateway.start("sluice-production", PORT, Map.of(
                "SLUICE_PROFILE", "production",
                "KEYSTORE_PASSWORD", "it-" + UUID.randomUUID()));
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    @Test
    void httpsAnswersWithHstsAndTheSecurityHeaders() throws Exception {
        HttpResponse<String> https = insecureClient().send(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + HTTPS_PORT + "/api/v1/system/info"))
                .header("Authorization", TestKeys.bearer(TestKeys.OWNER)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(https.statusCode()).as(https.body()).isEqualTo(200);
        assertThat(https.headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(
                v -> assertThat(v).startsWith("max-age="));
        assertThat(https.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(https.headers().firstValue("Content-Security-Policy")).isPresent();
    }

    @Test
    void plainHttpStillServesProbesButWithoutHsts() {
        HttpResponse<String> http = sluice.http().get("/health/ready");
        assertThat(http.statusCode()).isEqualTo(200);
        assertThat(http.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }

    @Test
    void httpsStillNeedsCredentials() throws Exception {
        HttpResponse<String> anonymous = insecureClient().send(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + HTTPS_PORT + "/api/v1/tools")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                v -> assertThat(v).contains("https://localhost:" + HTTPS_PORT + "/.well-known/oauth-protected-resource"));
    }

    private static HttpClient insecureClient() throws Exception {
        // an extended trust manager is not wrapped with JSSE's own host name check: the test trusts
        // the node's self-signed certificate, whatever name it carries
        TrustManager trustAll = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void logsAreJsonWithOneLinePerCallNamingItsRequestId() throws Exception {
        HttpResponse<String> call = sluice.http().send(sluice.http().request("/api/v1/servers/everything/tools/echo/call")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"arguments\": {\"message\": \"logged\"}}")));
        assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
        String requestId = call.headers().firstValue("X-Request-Id").orElseThrow();

        java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
        String line = null;
        while (line == null && java.time.Instant.now().isBefore(deadline)) {
            line = java.nio.file.Files.readAllLines(sluice.messagesLog()).stream()
                    .filter(l -> l.contains(requestId)).findFirst().orElse(null);
            if (line == null) {
                Thread.sleep(200);
            }
        }
        assertThat(line).as("a log line with request id %s", requestId).isNotNull();
        com.fasterxml.jackson.databind.JsonNode record = it.support.Http.json(line);
        assertThat(record.path("loglevel").asText()).isEqualTo("INFO");
        assertThat(record.path("module").asText()).isEqualTo("dev.sluice.calls");
        String message = record.path("message").asText();
        assertThat(message).startsWith("call {");
        com.fasterxml.jackson.databind.JsonNode fields = it.support.Http.json(message.substring("call ".length()));
        assertThat(fields.path("requestId").asText()).isEqualTo(requestId);
        assertThat(fields.path("server").asText()).isEqualTo("everything");
        assertThat(fields.path("target").asText()).isEqualTo("echo");
        assertThat(fields.path("status").asText()).isEqualTo("ok");
        assertThat(message).as("arguments stay out of the logs").doesNotContain("logged");
        java.util.List<String> lines = java.nio.file.Files.readAllLines(sluice.messagesLog());
        java.util.List<String> afterHeader = lines.subList(lines.indexOf(lines.stream().filter(l -> l.startsWith("{"))
                .findFirst().orElseThrow()), lines.size());
        assertThat(afterHeader).as("every line after Liberty's banner is a JSON object")
                .allSatisfy(l -> assertThat(l).startsWith("{"));
    }
}
