package it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deliberately plain MCP client for protocol tests: raw JSON-RPC over HTTP, so a test can also
 * send what a well-behaved SDK never would.
 */
public final class McpSessionClient {
    private final Http http;
    private final String path;
    private final AtomicInteger ids = new AtomicInteger();
    private String sessionId;
    private String protocolVersion = "2025-11-25";

    public McpSessionClient(Http http, String path) {
        this.http = http;
        this.path = path;
    }

    /** The same session, its requests sent to another node (or endpoint) from now on. */
    public McpSessionClient on(Http other) {
        McpSessionClient moved = new McpSessionClient(other, path);
        moved.sessionId = sessionId;
        moved.protocolVersion = protocolVersion;
        moved.ids.set(ids.get() + 1000);
        return moved;
    }

    public String sessionId() {
        return sessionId;
    }

    public HttpRequest.Builder post(String body) {
        HttpRequest.Builder b = http.request(path)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (sessionId != null) {
            b.header("Mcp-Session-Id", sessionId);
            b.header("MCP-Protocol-Version", protocolVersion);
        }
        return b;
    }

    public JsonNode initialize() {
        return initialize(Json.object());
    }

    /** Opens the session declaring {@code capabilities} (sampling, elicitation, roots …). */
    public JsonNode initialize(ObjectNode capabilities) {
        HttpResponse<String> r = http.send(post("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
                + "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":" + Json.write(capabilities)
                + ",\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}"));
        if (r.statusCode() != 200) {
            throw new AssertionError("initialize answered " + r.statusCode() + ": " + r.body());
        }
        sessionId = r.headers().firstValue("Mcp-Session-Id").orElseThrow();
        JsonNode result = Http.json(r).path("result");
        protocolVersion = result.path("protocolVersion").asText();
        http.send(post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"));
        return result;
    }

    /** Sends a request and returns the JSON-RPC response (from a JSON body or the last event of a stream). */
    public JsonNode request(String method, ObjectNode params) {
        ObjectNode message = Json.object().put("jsonrpc", "2.0").put("id", ids.incrementAndGet()).put("method", method);
        if (params != null) {
            message.set("params", params);
        }
        HttpResponse<String> r = http.send(post(Json.write(message)));
        return body(r);
    }

    public static JsonNode body(HttpResponse<String> r) {
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (type.startsWith("text/event-stream")) {
            JsonNode last = null;
            for (String line : r.body().split("\n")) {
                if (line.startsWith("data: ") && line.length() > 6) {
                    JsonNode event = Http.json(line.substring(6));
                    if (event.has("id") && !event.has("method")) {
                        last = event;
                    }
                }
            }
            if (last == null) {
                throw new AssertionError("no response on the stream: " + r.body());
            }
            return last;
        }
        return Http.json(r);
    }

    public JsonNode callTool(String name, ObjectNode arguments) {
        ObjectNode params = Json.object().put("name", name);
        params.set("arguments", arguments == null ? Json.object() : arguments);
        return request("tools/call", params);
    }

    /** A tools/call with its arguments written as JSON text. */
    public JsonNode callTool(String name, String argumentsJson) {
        return callTool(name, (ObjectNode) Json.parse(argumentsJson));
    }

    /** The text of a tools/call answer, asserting that it is a result and not a tool error. */
    public static String text(JsonNode answer) {
        org.assertj.core.api.Assertions.assertThat(answer.has("result")).as("an answer: %s", answer).isTrue();
        org.assertj.core.api.Assertions.assertThat(answer.path("result").path("isError").asBoolean(false))
                .as("not a tool error: %s", answer).isFalse();
        StringBuilder out = new StringBuilder();
        answer.path("result").path("content").forEach(c -> out.append(c.path("text").asText()));
        return out.toString();
    }

    public HttpResponse<String> delete() {
        return http.send(http.request(path).header("Mcp-Session-Id", sessionId).DELETE());
    }
}
