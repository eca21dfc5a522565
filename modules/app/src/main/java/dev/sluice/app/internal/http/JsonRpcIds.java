package dev.sluice.app.internal.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sluice.core.Json;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;

/**
 * The JSON-RPC id of an MCP request that is refused before it is dispatched (401, 403, 413, 429), so
 * that the refusal answers the request it refuses: the id the MCP servlet read, or else the top-level
 * {@code id} (a string or an integer) of a body read now, within the body limit and only up to that
 * member. Null when there is none or the body cannot be read (over the limit, not JSON, already
 * consumed).
 */
public final class JsonRpcIds {
    /** Request attribute: the id (a {@link JsonNode}) of the body once read, or {@link JsonNodeFactory#nullNode()}. */
    public static final String ATTRIBUTE = "dev.sluice.jsonrpc-id";

    private JsonRpcIds() {
    }

    /** Remembers the id of a body that was read and parsed (an object's {@code id}; null otherwise). */
    public static void remember(HttpServletRequest req, JsonNode body) {
        JsonNode id = body != null && body.isObject() ? body.get("id") : null;
        req.setAttribute(ATTRIBUTE, usable(id) ? id : JsonNodeFactory.instance.nullNode());
    }

    /** The request's id, or null (see the class comment). */
    public static JsonNode of(HttpServletRequest req) {
        Object known = req.getAttribute(ATTRIBUTE);
        if (known instanceof JsonNode id) {
            return id.isNull() ? null : id;
        }
        BoundedRequest bounded = BoundedRequest.in(req);
        JsonNode id = null;
        if (bounded != null && "POST".equals(req.getMethod()) && !bounded.bodyTouched()
                && req.getContentLengthLong() <= bounded.limit()) {
            try (InputStream in = bounded.getInputStream()) {
                id = topLevelId(in);
            } catch (IOException | RuntimeException e) {
                id = null; // over the limit, cut off, or not JSON: unreadable
            }
        }
        req.setAttribute(ATTRIBUTE, id == null ? JsonNodeFactory.instance.nullNode() : id);
        return id;
    }

    /** The {@code id} member of the JSON object the stream holds, read only as far as that member. */
    static JsonNode topLevelId(InputStream in) throws IOException {
        try (JsonParser parser = Json.mapper().getFactory().createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("id".equals(name)) {
                    return switch (value) {
                        case VALUE_STRING -> JsonNodeFactory.instance.textNode(parser.getText());
                        case VALUE_NUMBER_INT -> JsonNodeFactory.instance.numberNode(parser.getBigIntegerValue());
                        default -> null;
                    };
                }
                parser.skipChildren();
            }
            return null;
        }
    }

    private static boolean usable(JsonNode id) {
        return id != null && (id.isTextual() || id.isIntegralNumber());
    }
}
