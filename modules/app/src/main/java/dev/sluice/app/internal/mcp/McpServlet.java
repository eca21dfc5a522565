package dev.sluice.app.internal.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.app.internal.http.BodyTooLargeException;
import dev.sluice.app.internal.http.JsonResponses;
import dev.sluice.app.internal.http.JsonRpcIds;
import dev.sluice.app.internal.http.RequestIdentity;
import dev.sluice.app.internal.mcp.session.SessionEra;
import dev.sluice.app.internal.mcp.stateless.StatelessEra;
import dev.sluice.app.internal.mcp.stateless.StatelessExchange;
import dev.sluice.app.internal.security.AccessSettings;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.JsonRpc;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.VirtualServer;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperties;

/**
 * The MCP Streamable HTTP endpoint at {@code /mcp} (every enabled upstream) and
 * {@code /mcp/{virtualServer}}, for both protocol eras, chosen per request. This class only routes:
 * it checks the origin, finds the virtual server, and hands the request to its era. A POST whose
 * {@code _meta} or {@code MCP-Protocol-Version} claims the stateless era (2026-07-28) goes to
 * {@link StatelessEra}, each one complete in itself; everything else is the session era (2025-03-26
 * to 2025-11-25), {@link SessionEra}: POST for messages, GET for the server-to-client stream, DELETE
 * to end a session.
 */
@WebServlet(urlPatterns = {"/mcp", "/mcp/*"}, asyncSupported = true, name = "mcp")
public class McpServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Inject
    @ConfigProperties
    transient AccessSettings access;

    @Inject
    transient McpDispatcher dispatcher;

    @Inject
    transient OriginPolicy origins;

    @Inject
    transient StatelessEra statelessEra;

    @Inject
    transient SessionEra sessionEra;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String requestId = RequestIdentity.of(req); // sent back by the guard filter
        try {
            String refusal = origins.refusal(req.getHeader("Origin"), req.getHeader("Host"));
            if (refusal != null) {
                throw new SluiceException(ErrorKind.FORBIDDEN_ORIGIN, refusal);
            }
            VirtualServer vs = dispatcher.virtualServer(virtualServerName(req));
            switch (req.getMethod()) {
                case "POST" -> post(req, resp, vs, requestId);
                case "GET" -> sessionEra.get(req, resp, vs);
                case "DELETE" -> sessionEra.delete(req, resp);
                default -> {
                    resp.setHeader("Allow", "GET, POST, DELETE");
                    throw new SluiceException(ErrorKind.METHOD_NOT_ALLOWED, req.getMethod()
                            + " is not allowed on the MCP endpoint; allowed: GET, POST, DELETE");
                }
            }
        } catch (SluiceException e) {
            if (!resp.isCommitted()) {
                // refusals before dispatch answer the request's own id when its body could be read
                JsonResponses.write(resp, e.kind().httpStatus(), JsonRpc.error(JsonRpcIds.of(req), e));
            }
        }
    }

    private static String virtualServerName(HttpServletRequest req) {
        String path = req.getPathInfo();
        if (path == null || path.equals("/")) {
            return VirtualServer.DEFAULT_NAME;
        }
        String name = path.substring(1);
        if (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.contains("/")) {
            throw new SluiceException(ErrorKind.NOT_FOUND, "no MCP endpoint at " + req.getRequestURI());
        }
        return name;
    }

    /** Checks what a POST accepts and carries, reads its body, and hands it to the era it claims. */
    private void post(HttpServletRequest req, HttpServletResponse resp, VirtualServer vs, String requestId)
            throws IOException {
        if (!McpHttp.accepts(req, "application/json") || !McpHttp.accepts(req, "text/event-stream")) {
            throw new SluiceException(ErrorKind.NOT_ACCEPTABLE,
                    "the client must accept both application/json and text/event-stream");
        }
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new SluiceException(ErrorKind.UNSUPPORTED_MEDIA_TYPE, "the body must be application/json, not "
                    + (type == null ? "missing" : type));
        }
        JsonNode body = Json.parse(readBody(req));
        JsonRpcIds.remember(req, body);
        if (StatelessExchange.claims(body, req.getHeader(McpHttp.VERSION_HEADER))) {
            statelessEra.post(req, resp, vs, body, requestId);
        } else {
            sessionEra.post(req, resp, vs, body, requestId);
        }
    }

    private byte[] readBody(HttpServletRequest req) throws IOException {
        long declared = req.getContentLengthLong();
        if (declared > access.maxBodyBytes) {
            throw new SluiceException(ErrorKind.PAYLOAD_TOO_LARGE, "the body has " + declared
                    + " bytes; the limit is " + access.maxBodyBytes);
        }
        try (InputStream in = req.getInputStream()) {
            if (declared >= 0) {
                // the length is known (and within the limit): one array of that size, no growing copies
                byte[] bytes = new byte[(int) declared];
                int read = in.readNBytes(bytes, 0, bytes.length);
                return read == bytes.length ? bytes : Arrays.copyOf(bytes, read);
            }
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, access.maxBodyBytes + 1));
            if (bytes.length > access.maxBodyBytes) {
                throw new SluiceException(ErrorKind.PAYLOAD_TOO_LARGE, "the body is over the limit of "
                        + access.maxBodyBytes + " bytes");
            }
            return bytes;
        } catch (BodyTooLargeException e) { // the guard filter's bound: a chunked body over the limit
            throw new SluiceException(ErrorKind.PAYLOAD_TOO_LARGE, e.getMessage());
        }
    }
}
