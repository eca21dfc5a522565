package dev.sluice.app.internal.mcp.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.http.JsonResponses;
import dev.sluice.app.internal.mcp.McpDispatcher;
import dev.sluice.app.internal.mcp.McpHttp;
import dev.sluice.app.internal.mcp.NodeIds;
import dev.sluice.app.internal.mcp.OriginPolicy;
import dev.sluice.app.internal.security.AccessSettings;
import dev.sluice.app.internal.security.RequestAuthentication;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.JsonRpc;
import dev.sluice.core.ProtocolVersion;
import dev.sluice.core.RequestIds;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.VirtualServer;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperties;

/**
 * The legacy HTTP+SSE transport (MCP 2024-11-05) for clients that predate Streamable HTTP:
 * {@code GET /sse} (or {@code /sse/{virtualServer}}) opens the session's event stream, whose first
 * event names the URL to POST messages to ({@code /messages?sessionId=…}); every answer comes back
 * on the stream. Same dispatcher, pipeline and origin checks as {@code /mcp}.
 */
@WebServlet(urlPatterns = {"/sse", "/sse/*", "/messages"}, asyncSupported = true, name = "mcp-legacy-sse")
public class LegacySseServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Inject
    @ConfigProperties
    transient AccessSettings access;

    @Inject
    transient McpDispatcher dispatcher;

    @Inject
    transient SessionStore sessions;

    @Inject
    transient ClientMessages clientMessages;

    @Inject
    transient OriginPolicy origins;

    /** The container's default managed executor: each message is answered on the stream from there. */
    @Resource
    transient ManagedExecutorService workers;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            String refusal = origins.refusal(req.getHeader("Origin"), req.getHeader("Host"));
            if (refusal != null) {
                throw new SluiceException(ErrorKind.FORBIDDEN_ORIGIN, refusal);
            }
            boolean messages = req.getServletPath().equals("/messages");
            if (messages && "POST".equals(req.getMethod())) {
                post(req, resp);
            } else if (!messages && "GET".equals(req.getMethod())) {
                open(req, resp);
            } else {
                resp.setHeader("Allow", messages ? "POST" : "GET");
                throw new SluiceException(ErrorKind.METHOD_NOT_ALLOWED, req.getMethod() + " is not allowed here");
            }
        } catch (SluiceException e) {
            if (!resp.isCommitted()) {
                JsonResponses.write(resp, e.kind().httpStatus(), JsonRpc.error(null, e));
            }
        }
    }

    private void open(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String accept = req.getHeader("Accept");
        if (accept != null && !accept.toLowerCase(Locale.ROOT).contains("text/event-stream") && !accept.contains("*/*")) {
            throw new SluiceException(ErrorKind.NOT_ACCEPTABLE, "the SSE transport answers text/event-stream only");
        }
        String path = req.getPathInfo();
        String name = path == null || path.equals("/") ? VirtualServer.DEFAULT_NAME : path.substring(1);
        VirtualServer vs = dispatcher.virtualServer(name);
        McpSession session = new McpSession(NodeIds.newId(), vs.name(), ProtocolVersion.V2024_11_05, null, null,
                RequestAuthentication.caller(req));
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        SseStream stream = new SseStream(session, session.newStreamId('l'), resp, async);
        McpHttp.onEnd(async, () -> sessions.removeLegacy(session.id()));
        stream.begin(false);
        String endpoint = req.getContextPath() + "/messages?sessionId=" + session.id();
        resp.getOutputStream().write(("event: endpoint\ndata: " + endpoint + "\n\n").getBytes(StandardCharsets.UTF_8));
        resp.flushBuffer();
        session.listening(stream);
        sessions.addLegacy(session);
    }

    private void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        McpSession session = sessions.findLegacy(req.getParameter("sessionId")).orElseThrow(() -> new SluiceException(
                ErrorKind.SESSION_NOT_FOUND, "no open SSE session with that sessionId; GET /sse first"));
        if (!session.admit(RequestAuthentication.caller(req))) {
            throw new SluiceException(ErrorKind.SESSION_NOT_FOUND, "no open SSE session with that sessionId; GET /sse first");
        }
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new SluiceException(ErrorKind.UNSUPPORTED_MEDIA_TYPE, "the body must be application/json");
        }
        byte[] bytes;
        try (InputStream in = req.getInputStream()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, access.maxBodyBytes + 1));
        }
        if (bytes.length > access.maxBodyBytes) {
            throw new SluiceException(ErrorKind.PAYLOAD_TOO_LARGE, "the body is over the limit of " + access.maxBodyBytes + " bytes");
        }
        JsonRpc.Message message = JsonRpc.read(Json.parse(bytes));
        VirtualServer vs = dispatcher.virtualServer(session.virtualServer());
        String requestId = RequestIds.next();
        resp.setStatus(202);
        resp.setContentType("text/plain");
        resp.getOutputStream().write("Accepted".getBytes(StandardCharsets.UTF_8));
        workers.execute(() -> handle(session, vs, message, requestId));
    }

    private void handle(McpSession session, VirtualServer vs, JsonRpc.Message message, String requestId) {
        SseStream stream = session.listening();
        if (stream == null) {
            return;
        }
        if (message instanceof JsonRpc.Request r) {
            ObjectNode answer;
            if ("initialize".equals(r.method())) {
                String requested = r.params().path("protocolVersion").asText(ProtocolVersion.V2024_11_05);
                String version = ProtocolVersion.V2024_11_05.equals(requested) ? requested
                        : ProtocolVersion.negotiate(requested);
                session.initialized(version, r.params().get("capabilities") instanceof ObjectNode c ? c : null,
                        r.params().get("clientInfo") instanceof ObjectNode i ? i : null);
                answer = JsonRpc.result(r.id(), dispatcher.initializeResult(version, vs));
            } else {
                SessionChannel channel = new SessionChannel(session, null, r.id());
                try {
                    answer = dispatcher.handle(session, vs, r, channel, requestId);
                } finally {
                    channel.done();
                }
            }
            stream.send(answer);
        } else {
            clientMessages.receive(session, vs, message);
        }
    }
}
