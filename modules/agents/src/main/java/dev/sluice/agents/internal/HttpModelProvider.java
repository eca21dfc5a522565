package dev.sluice.agents.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.agents.ModelProvider;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.SecretValues;
import dev.sluice.core.SluiceException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What the two HTTP providers share: one POST of JSON, and the line between failures worth another
 * try (unreachable, timed out, 408, 409, 429, 5xx and Anthropic's 529) and refusals that will not change
 * (other 4xx). Error details quote the provider's own message and never a key.
 */
abstract class HttpModelProvider implements ModelProvider {
    private final HttpClient http;
    private final URI endpoint;
    private final Duration timeout;

    HttpModelProvider(HttpClient http, String baseUrl, String path, Duration timeout) {
        this.http = http;
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.endpoint = URI.create(base + path);
        this.timeout = timeout;
    }

    /** Adds the provider's headers (its key, its version) to a request. */
    abstract void authorize(HttpRequest.Builder request);

    /** The provider's own error message in an error body, or null. */
    abstract String errorMessage(JsonNode body);

    final JsonNode post(ObjectNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
        authorize(request);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new ModelUnavailableException(id() + " did not answer within " + timeout.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new ModelUnavailableException(id() + " at " + endpoint + " could not be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelUnavailableException("the call to " + id() + " was interrupted", e);
        }
        JsonNode parsed;
        try {
            parsed = Json.parse(response.body());
        } catch (RuntimeException e) {
            parsed = null;
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            if (parsed == null || !parsed.isObject()) {
                throw new ModelUnavailableException(id() + " answered HTTP " + status + " with a body that is not JSON", null);
            }
            return parsed;
        }
        String message = parsed == null ? null : errorMessage(parsed);
        String detail = SecretValues.mask(id() + " answered HTTP " + status
                + (message == null ? "" : ": " + message));
        if (status == 408 || status == 409 || status == 429 || status >= 500) {
            throw new ModelUnavailableException(detail, null);
        }
        throw new SluiceException(ErrorKind.MODEL_REFUSED, detail);
    }

    static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
    }
}
