package it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Raw requests of protocol 2026-07-28: the {@code _meta} envelope and the headers that repeat it. */
public final class Stateless {
    public static final String VERSION = "2026-07-28";

    private Stateless() {
    }

    /**
     * A request whose params carry the envelope; {@code params} may already hold the method's own
     * fields, and {@code capabilities} is what the client declares (empty for none).
     */
    public static ObjectNode request(Object id, String method, ObjectNode params, ObjectNode capabilities) {
        ObjectNode body = Json.object().put("jsonrpc", "2.0").put("method", method);
        body.set("id", Json.mapper().valueToTree(id));
        ObjectNode p = params == null ? Json.object() : params;
        ObjectNode meta = p.putObject("_meta");
        meta.put("io.modelcontextprotocol/protocolVersion", VERSION);
        meta.set("io.modelcontextprotocol/clientCapabilities", capabilities == null ? Json.object() : capabilities);
        body.set("params", p);
        return body;
    }

    /**
     * The POST of such a request, with {@code MCP-Protocol-Version}, {@code Mcp-Method} and {@code Mcp-Name}
     * from its body (a task id for {@code tasks/*}).
     */
    public static HttpRequest.Builder post(Http http, String path, ObjectNode body) {
        String method = body.path("method").asText();
        HttpRequest.Builder b = http.request(path).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header("MCP-Protocol-Version", VERSION)
                .header("Mcp-Method", method);
        JsonNode params = body.path("params");
        String name = switch (method) {
            case "tools/call", "prompts/get" -> params.path("name").asText(null);
            case "resources/read" -> params.path("uri").asText(null);
            case "tasks/get", "tasks/update", "tasks/cancel" -> params.path("taskId").asText(null);
            default -> null;
        };
        if (name != null) {
            b.header("Mcp-Name", name);
        }
        return b.POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
    }

    /** The JSON-RPC answer: the body, or the last event's data when the answer became a stream. */
    public static JsonNode answer(HttpResponse<String> response) {
        if (response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            return Http.json(response.body().lines().filter(l -> l.startsWith("data: ") && l.length() > 6)
                    .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no event: " + response.body()))
                    .substring(6));
        }
        return Http.json(response);
    }
}
