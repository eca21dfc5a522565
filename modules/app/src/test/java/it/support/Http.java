package it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A small HTTP client for integration tests: plain java.net.http against a running Sluice. */
public final class Http {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String baseUrl;
    private final String authorization;

    /** A client that authenticates with the tests' owner key ({@link TestKeys#OWNER}). */
    public Http(String baseUrl) {
        this(baseUrl, TestKeys.bearer(TestKeys.OWNER));
    }

    private Http(String baseUrl, String authorization) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authorization = authorization;
    }

    /**
     * The server the build started for the integration tests (embedded defaults, nothing
     * configured), authenticated with the owner key it wrote to its bootstrap file on first start.
     */
    public static Http defaultServer() {
        Path keyFile = Path.of(System.getProperty("sluice.server.dir", "target/liberty/wlp/usr/servers/sluice"))
                .resolve("bootstrap-owner.key");
        try {
            return new Http(System.getProperty("sluice.url", "http://localhost:9080"),
                    TestKeys.bearer(Files.readString(keyFile).strip()));
        } catch (IOException e) {
            throw new UncheckedIOException("the default server wrote no bootstrap key to " + keyFile, e);
        }
    }

    /** The same server with another Authorization header value ({@code null}: none). */
    public Http withAuthorization(String value) {
        return new Http(baseUrl, value);
    }

    /** The same server with a bearer credential (a JWT or an API key). */
    public Http withBearer(String credential) {
        return new Http(baseUrl, TestKeys.bearer(credential));
    }

    /** The same server without credentials. */
    public Http anonymous() {
        return new Http(baseUrl, null);
    }

    /** The Authorization header value this client sends, or null. */
    public String authorization() {
        return authorization;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        return send(request, Duration.ofSeconds(30));
    }

    /** Sends a request that may take longer than the usual 30 seconds. */
    public HttpResponse<String> send(HttpRequest.Builder request, Duration timeout) {
        try {
            return CLIENT.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path));
        return authorization == null ? builder : builder.header("Authorization", authorization);
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
