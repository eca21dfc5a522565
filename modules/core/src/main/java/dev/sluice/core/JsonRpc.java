package dev.sluice.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Objects;

/**
 * JSON-RPC 2.0 messages as MCP uses them. Each message keeps the raw object it was read from, so
 * unknown members survive a round trip; the accessors only read it.
 */
public final class JsonRpc {
    public static final String VERSION = "2.0";

    private JsonRpc() {
    }

    /** A JSON-RPC message: a request, a notification or a response. */
    public sealed interface Message permits Request, Notification, Response {
        ObjectNode raw();
    }

    /** A request: it has an id and a method, and wants a response. */
    public record Request(ObjectNode raw) implements Message {
        public Request {
            Objects.requireNonNull(raw, "raw");
        }

        public JsonNode id() {
            return raw.get("id");
        }

        public String method() {
            return raw.path("method").asText();
        }

        /** The params object, or an empty object when absent. */
        public ObjectNode params() {
            JsonNode params = raw.get("params");
            return params instanceof ObjectNode o ? o : Json.object();
        }
    }

    /** A notification: a method without an id. */
    public record Notification(ObjectNode raw) implements Message {
        public Notification {
            Objects.requireNonNull(raw, "raw");
        }

        public String method() {
            return raw.path("method").asText();
        }

        public ObjectNode params() {
            JsonNode params = raw.get("params");
            return params instanceof ObjectNode o ? o : Json.object();
        }
    }

    /** A response: a result or an error for the request with the same id. */
    public record Response(ObjectNode raw) implements Message {
        public Response {
            Objects.requireNonNull(raw, "raw");
        }

        public JsonNode id() {
            return raw.get("id");
        }

        public boolean isError() {
            return raw.has("error");
        }

        public JsonNode result() {
            return raw.get("result");
        }

        public JsonNode error() {
            return raw.get("error");
        }
    }

    /**
     * Reads one message.
     *
     * @throws SluiceException of kind {@link ErrorKind#INVALID_REQUEST} naming what is wrong
     */
    public static Message read(JsonNode node) {
        if (!(node instanceof ObjectNode o)) {
            throw new SluiceException(ErrorKind.INVALID_REQUEST, "a JSON-RPC message must be an object, not "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        if (!VERSION.equals(o.path("jsonrpc").asText(null))) {
            throw new SluiceException(ErrorKind.INVALID_REQUEST, "'jsonrpc' must be \"2.0\"");
        }
        JsonNode id = o.get("id");
        JsonNode method = o.get("method");
        if (method != null) {
            if (!method.isTextual() || method.asText().isEmpty()) {
                throw new SluiceException(ErrorKind.INVALID_REQUEST, "'method' must be a non-empty string");
            }
            JsonNode params = o.get("params");
            if (params != null && !params.isObject() && !params.isNull()) {
                throw new SluiceException(ErrorKind.INVALID_REQUEST, "'params' must be an object");
            }
            if (id == null) {
                return new Notification(o);
            }
            checkId(id);
            return new Request(o);
        }
        if (o.has("result") || o.has("error")) {
            if (id == null) {
                throw new SluiceException(ErrorKind.INVALID_REQUEST, "a response needs an 'id'");
            }
            return new Response(o);
        }
        throw new SluiceException(ErrorKind.INVALID_REQUEST, "a message needs a 'method' or a 'result' or an 'error'");
    }

    private static void checkId(JsonNode id) {
        if (!(id.isTextual() || id.isIntegralNumber())) {
            throw new SluiceException(ErrorKind.INVALID_REQUEST, "'id' must be a string or an integer");
        }
    }

    public static ObjectNode request(JsonNode id, String method, JsonNode params) {
        ObjectNode o = Json.object().put("jsonrpc", VERSION);
        o.set("id", id);
        o.put("method", method);
        if (params != null) {
            o.set("params", params);
        }
        return o;
    }

    public static ObjectNode notification(String method, JsonNode params) {
        ObjectNode o = Json.object().put("jsonrpc", VERSION).put("method", method);
        if (params != null) {
            o.set("params", params);
        }
        return o;
    }

    public static ObjectNode result(JsonNode id, JsonNode result) {
        ObjectNode o = Json.object().put("jsonrpc", VERSION);
        o.set("id", id);
        o.set("result", result);
        return o;
    }

    public static ObjectNode error(JsonNode id, int code, String message, JsonNode data) {
        ObjectNode o = Json.object().put("jsonrpc", VERSION);
        o.set("id", id);
        // a message may quote an upstream or a configuration value: known secrets never leave in it
        ObjectNode error = o.putObject("error").put("code", code).put("message", SecretValues.mask(message));
        if (data != null) {
            error.set("data", data);
        }
        return o;
    }

    /** The JSON-RPC error answering {@code id} for a Sluice failure; the data names the problem type. */
    public static ObjectNode error(JsonNode id, SluiceException e) {
        ObjectNode data = Json.object().put("type", e.kind().type().toString());
        e.data().ifPresent(extra -> data.setAll(extra));
        return error(id, e.kind().jsonRpcCode(), e.detail(), data);
    }
}
