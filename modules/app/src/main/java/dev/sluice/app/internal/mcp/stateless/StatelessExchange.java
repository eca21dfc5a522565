package dev.sluice.app.internal.mcp.stateless;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.mcp.ClientRequests;
import dev.sluice.app.internal.mcp.LogLevels;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.JsonRpc;
import dev.sluice.core.ProtocolVersion;
import dev.sluice.core.SluiceException;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks of one request of the stateless era (protocol 2026-07-28), in the order the
 * specification's reference implementations apply them: the per-request {@code _meta} envelope
 * (-32602), the routing headers against the body (-32020), then the version (-32022). Nothing here
 * holds state: every request stands alone.
 */
public final class StatelessExchange {
    static final String META_VERSION = "io.modelcontextprotocol/protocolVersion";
    static final String META_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    static final String META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
    static final String META_LOG_LEVEL = "io.modelcontextprotocol/logLevel";
    static final String META_SERVER_INFO = "io.modelcontextprotocol/serverInfo";
    static final String METHOD_HEADER = "Mcp-Method";
    static final String NAME_HEADER = "Mcp-Name";

    /** Methods of the session era that 2026-07-28 removed: a stateless request naming one is answered 404. */
    static final Set<String> REMOVED = Set.of("initialize", "ping", "logging/setLevel", "resources/subscribe",
            "resources/unsubscribe");

    /** The methods whose {@code Mcp-Name} header carries {@code params.name} or {@code params.uri}. */
    private static final Set<String> NAMED = Set.of("tools/call", "prompts/get", "resources/read");

    /** The methods of the tasks extension whose {@code Mcp-Name} header carries {@code params.taskId}. */
    static final Set<String> TASK_METHODS = Set.of("tasks/get", "tasks/update", "tasks/cancel");

    private static final Pattern ENCODED = Pattern.compile("=\\?base64\\?([A-Za-z0-9+/=]*)\\?=");

    private StatelessExchange() {
    }

    /**
     * Whether a POST body speaks the stateless era: its {@code _meta} claims a protocol version, or its
     * {@code MCP-Protocol-Version} header names a version that is not of the handshake era. Everything
     * else (an {@code initialize}, a request in a session, a batch, a GET or DELETE) is the session era.
     */
    public static boolean claims(JsonNode body, String versionHeader) {
        if (body instanceof ObjectNode o && o.path("params").path("_meta").has(META_VERSION)) {
            return true;
        }
        String header = versionHeader == null ? "" : versionHeader.strip();
        return !header.isEmpty() && !ProtocolVersion.SESSION_ERA.contains(header);
    }

    /** What one stateless request declared about itself, once its checks passed. */
    record Envelope(String version, ObjectNode capabilities, ObjectNode clientInfo, String logLevel) {
    }

    /**
     * Checks a stateless request and returns its envelope.
     *
     * @throws SluiceException {@link ErrorKind#INVALID_PARAMS} for a missing or malformed envelope,
     *     {@link ErrorKind#HEADER_MISMATCH} for a missing or differing header,
     *     {@link ErrorKind#UNSUPPORTED_PROTOCOL_VERSION} for a version Sluice does not serve statelessly
     */
    static Envelope check(JsonRpc.Request request, HttpServletRequest http) {
        JsonNode meta = request.params().get("_meta");
        String claimed = header(http, "MCP-Protocol-Version");
        if (!(meta instanceof ObjectNode bare && bare.has(META_VERSION)) && claimed != null
                && !ProtocolVersion.STATELESS.contains(claimed.strip())) {
            // only the header speaks, and of a version no era here knows: that is the first thing wrong
            throw unsupported(claimed.strip());
        }
        if (!(meta instanceof ObjectNode m)) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "a " + ProtocolVersion.V2026_07_28
                    + " request carries 'params._meta' with '" + META_VERSION + "' and '" + META_CAPABILITIES + "'");
        }
        JsonNode version = m.get(META_VERSION);
        if (version == null || !version.isTextual() || version.asText().isBlank()) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'_meta." + META_VERSION + "' must be a version string");
        }
        JsonNode capabilities = m.get(META_CAPABILITIES);
        if (!(capabilities instanceof ObjectNode caps)) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'_meta." + META_CAPABILITIES
                    + "' is required and must be an object ({} when the client has no optional capabilities)");
        }
        JsonNode info = m.get(META_CLIENT_INFO);
        if (info != null && !info.isObject() && !info.isNull()) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'_meta." + META_CLIENT_INFO + "' must be an object");
        }
        JsonNode level = m.get(META_LOG_LEVEL);
        if (level != null && !level.isNull() && !LogLevels.isLevel(level.asText())) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'_meta." + META_LOG_LEVEL
                    + "' must be a syslog level such as info, not '" + level.asText() + "'");
        }

        String headerVersion = header(http, "MCP-Protocol-Version");
        same("MCP-Protocol-Version", headerVersion, version.asText());
        same(METHOD_HEADER, header(http, METHOD_HEADER), request.method());
        if (NAMED.contains(request.method()) || TASK_METHODS.contains(request.method())) {
            same(NAME_HEADER, header(http, NAME_HEADER), request.params().path(nameField(request.method())).asText(null));
        }

        if (!ProtocolVersion.STATELESS.contains(version.asText())) {
            throw unsupported(version.asText());
        }
        return new Envelope(version.asText(), caps, info instanceof ObjectNode i ? i : null,
                level == null || level.isNull() ? null : level.asText());
    }

    private static SluiceException unsupported(String requested) {
        ObjectNode data = Json.object();
        ProtocolVersion.ALL.forEach(data.putArray("supported")::add);
        data.put("requested", requested);
        return new SluiceException(ErrorKind.UNSUPPORTED_PROTOCOL_VERSION, "protocol version '" + requested
                + "' is not served; supported: " + String.join(", ", ProtocolVersion.ALL), data, null);
    }

    /** Whether the client declared a capability an upstream may ask of it during this call. */
    static boolean mayAskForInput(String method, Envelope envelope) {
        return NAMED.contains(method) && ClientRequests.mayBeAsked(envelope.capabilities());
    }

    /** The tool or prompt name, or the resource URI, a request names. */
    static String nameOf(JsonRpc.Request request) {
        return request.params().path(nameField(request.method())).asText("");
    }

    /** The body field a method's {@code Mcp-Name} mirrors. */
    private static String nameField(String method) {
        return switch (method) {
            case "resources/read" -> "uri";
            case "tasks/get", "tasks/update", "tasks/cancel" -> "taskId";
            default -> "name";
        };
    }

    /** A header's value, decoded from the {@code =?base64?…?=} form; null when absent; refused when repeated. */
    private static String header(HttpServletRequest http, String name) {
        var values = http.getHeaders(name);
        if (values == null || !values.hasMoreElements()) {
            return null;
        }
        String value = values.nextElement();
        if (values.hasMoreElements()) {
            throw new SluiceException(ErrorKind.HEADER_MISMATCH, "the " + name + " header appears more than once");
        }
        Matcher encoded = ENCODED.matcher(value);
        if (encoded.matches()) {
            try {
                return new String(Base64.getDecoder().decode(encoded.group(1)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new SluiceException(ErrorKind.HEADER_MISMATCH, "the " + name + " header is not valid base64");
            }
        }
        return value;
    }

    private static void same(String header, String headerValue, String bodyValue) {
        if (headerValue == null) {
            throw new SluiceException(ErrorKind.HEADER_MISMATCH, "the " + header + " header is required on a "
                    + ProtocolVersion.V2026_07_28 + " request" + (bodyValue == null ? "" : " (here: '" + bodyValue + "')"));
        }
        if (!headerValue.equals(bodyValue)) {
            throw new SluiceException(ErrorKind.HEADER_MISMATCH, "the " + header + " header '" + headerValue
                    + "' does not match the body's '" + bodyValue + "'");
        }
    }
}
