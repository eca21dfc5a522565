package dev.sluice.app.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import dev.sluice.core.JsonRpc;
import dev.sluice.core.ProblemDetail;
import dev.sluice.core.SluiceException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Writes a JSON body with its status, type and length: the one way servlets and filters answer JSON. */
public final class JsonResponses {
    private JsonResponses() {
    }

    public static void write(HttpServletResponse resp, int status, String contentType, JsonNode body) throws IOException {
        byte[] bytes = Json.bytes(body);
        resp.setStatus(status);
        resp.setContentType(contentType);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    public static void write(HttpServletResponse resp, int status, JsonNode body) throws IOException {
        write(resp, status, "application/json", body);
    }

    /** Whether a path is one of the MCP endpoints, whose clients expect JSON-RPC errors. */
    public static boolean isMcp(String path) {
        return path.startsWith("/mcp") || path.startsWith("/sse") || path.startsWith("/messages");
    }

    /**
     * Answers a failure before any servlet or resource ran (a filter's refusal): a JSON-RPC error on
     * the MCP endpoints (decided on the normalised path), as MCP clients expect, carrying the request's
     * id when it can be read ({@link JsonRpcIds}), and a problem document everywhere else.
     */
    public static void error(HttpServletRequest req, HttpServletResponse resp, SluiceException e) throws IOException {
        String path = req.getRequestURI();
        if (RequestPaths.isMcp(req)) {
            // the refused request's own id when its body can be read within the limit
            write(resp, e.kind().httpStatus(), JsonRpc.error(JsonRpcIds.of(req), e));
        } else {
            write(resp, e.kind().httpStatus(), ProblemDetail.MEDIA_TYPE,
                    ProblemDetail.of(e, path).toJson(e.data().orElse(null)));
        }
    }
}
