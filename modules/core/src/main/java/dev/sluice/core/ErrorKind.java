package dev.sluice.core;

import java.net.URI;

/**
 * Every kind of failure Sluice reports, with the HTTP status the REST API answers, the JSON-RPC
 * code the MCP endpoint answers, and the stable problem {@code type} of RFC 9457.
 *
 * <p>The list is the contract documented in {@code src-docs/reference/errors.md}; a test keeps
 * the two in step. Codes in -32000..-32099 are JSON-RPC's implementation-defined server errors.
 */
public enum ErrorKind {
    PARSE_ERROR(400, -32700, "parse-error", "The request body is not valid JSON"),
    INVALID_REQUEST(400, -32600, "invalid-request", "The request is not valid"),
    METHOD_NOT_FOUND(404, -32601, "method-not-found", "No such method"),
    INVALID_PARAMS(400, -32602, "invalid-params", "The request's parameters are not valid"),
    NOT_FOUND(404, -32002, "not-found", "No such resource"),
    UNKNOWN_TOOL(404, -32602, "unknown-tool", "No such tool"),
    UNKNOWN_PROMPT(404, -32602, "unknown-prompt", "No such prompt"),
    UNKNOWN_SERVER(404, -32602, "unknown-server", "No such upstream server"),
    MISSING_SESSION(400, -32600, "missing-session", "The request needs an Mcp-Session-Id"),
    SESSION_NOT_FOUND(404, -32001, "session-not-found", "No such session"),
    UNSUPPORTED_PROTOCOL_VERSION(400, -32022, "unsupported-protocol-version", "Unsupported MCP protocol version"),
    HEADER_MISMATCH(400, -32020, "header-mismatch", "The MCP request headers do not match the body"),
    MISSING_CAPABILITY(400, -32021, "missing-capability",
            "The request's client capabilities do not declare what the server needs to answer it"),
    FORBIDDEN_ORIGIN(403, -32600, "forbidden-origin", "The request's origin is not allowed"),
    UPSTREAM_UNAVAILABLE(502, -32003, "upstream-unavailable", "The upstream server is unavailable"),
    UPSTREAM_ERROR(502, -32603, "upstream-error", "The upstream server answered with an error"),
    UPSTREAM_TIMEOUT(504, -32001, "upstream-timeout", "The upstream server did not answer in time"),
    UPSTREAM_BUSY(503, -32004, "upstream-busy", "The upstream server has as many calls in flight as it may"),
    CLIENT_TIMEOUT(408, -32001, "client-timeout", "The client did not answer the server's request in time"),
    INVALID_CATALOG(400, -32602, "invalid-catalog", "The catalog is not valid"),
    METHOD_NOT_ALLOWED(405, -32600, "method-not-allowed", "The HTTP method is not allowed here"),
    NOT_ACCEPTABLE(406, -32600, "not-acceptable", "No acceptable representation"),
    UNSUPPORTED_MEDIA_TYPE(415, -32600, "unsupported-media-type", "The request's media type is not supported"),
    PAYLOAD_TOO_LARGE(413, -32600, "payload-too-large", "The request body is too large"),
    UNAUTHENTICATED(401, -32010, "unauthenticated", "Authentication is required"),
    FORBIDDEN(403, -32011, "forbidden", "The caller may not do this"),
    INVALID_ARGUMENTS(400, -32602, "invalid-arguments", "The tool's arguments do not match its input schema"),
    SQL_REFUSED(400, -32602, "sql-refused", "The SQL argument is refused by the tool's policy"),
    COMMAND_ARGUMENT_REFUSED(400, -32602, "command-argument-refused", "An argument is not safe on a command line"),
    CONFLICT(409, -32600, "conflict", "The request conflicts with the current state"),
    RATE_LIMITED(429, -32012, "rate-limited", "Too many requests: the caller's rate limit is spent"),
    UNAVAILABLE(503, -32003, "unavailable", "A service Sluice depends on is unavailable"),
    UNKNOWN_AGENT(404, -32602, "unknown-agent", "No such agent role, or it is disabled"),
    MODEL_UNAVAILABLE(502, -32005, "model-unavailable", "The language model provider could not be reached or failed"),
    MODEL_REFUSED(502, -32006, "model-refused", "The language model provider refused the request"),
    TOKEN_BUDGET_EXCEEDED(429, -32013, "token-budget-exceeded", "A monthly token budget is spent"),
    INTERNAL(500, -32603, "internal", "Internal error");

    /** Base of every problem {@code type} URI; the path segment is the kind's slug. */
    public static final String TYPE_BASE = "https://sluice.dev/problems/";

    private final int httpStatus;
    private final int jsonRpcCode;
    private final String slug;
    private final String title;

    ErrorKind(int httpStatus, int jsonRpcCode, String slug, String title) {
        this.httpStatus = httpStatus;
        this.jsonRpcCode = jsonRpcCode;
        this.slug = slug;
        this.title = title;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int jsonRpcCode() {
        return jsonRpcCode;
    }

    /** The stable last path segment of {@link #type()}, e.g. {@code invalid-params}. */
    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public URI type() {
        return URI.create(TYPE_BASE + slug);
    }

    /** The kind a bare HTTP status maps to when no more specific kind is known. */
    public static ErrorKind forHttpStatus(int status) {
        return switch (status) {
            case 400 -> INVALID_REQUEST;
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 409 -> CONFLICT;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> RATE_LIMITED;
            case 503 -> UNAVAILABLE;
            default -> status >= 500 ? INTERNAL : INVALID_REQUEST;
        };
    }
}
