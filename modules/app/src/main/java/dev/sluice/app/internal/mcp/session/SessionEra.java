package dev.sluice.app.internal.mcp.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.http.JsonResponses;
import dev.sluice.app.internal.mcp.McpSettings;
import dev.sluice.app.internal.mcp.StreamTimers;
import dev.sluice.app.internal.mcp.McpDispatcher;
import dev.sluice.app.internal.mcp.McpHttp;
import dev.sluice.app.internal.security.RequestAuthentication;
import dev.sluice.core.Caller;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.JsonRpc;
import dev.sluice.core.ProtocolVersion;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.VirtualServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.eclipse.microprofile.config.inject.ConfigProperties;

/**
 * The session era (protocol 2025-03-26 to 2025-11-25) of the MCP endpoint: {@code initialize} opens
 * a session ({@link SessionStore}) whose id the client sends with every later request; POST carries
 * messages, GET the server-to-client stream (resumable with {@code Last-Event-ID}), DELETE ends the
 * session.
 */
@ApplicationScoped
public class SessionEra {
    static final String SESSION_HEADER = "Mcp-Session-Id";

    @Inject
    @ConfigProperties
    McpSettings mcp;

    @Inject
    McpDispatcher dispatcher;

    @Inject
    SessionStore sessions;

    @Inject
    ClientMessages clientMessages;

    /** The stream timers and probes of every call (cancelled when it ends). */
    @Inject
    StreamTimers timer;

    /**
     * A POST of the session era: {@code initialize} opens a session; a request of a session is answered
     * as JSON or, once something must reach the client first or the call takes a while, as an event
     * stream; a response or notification of the client is taken (202); a batch (before 2025-06-18) is
     * answered as one array.
     */
    public void post(HttpServletRequest req, HttpServletResponse resp, VirtualServer vs, JsonNode body,
            String requestId) throws IOException {
        if (body.isArray()) {
            batch(req, resp, vs, (ArrayNode) body, requestId);
            return;
        }
        JsonRpc.Message message = JsonRpc.read(body);
        if (message instanceof JsonRpc.Request r && "initialize".equals(r.method())) {
            initialize(req, resp, vs, r);
            return;
        }
        McpSession session = session(req, vs);
        if (message instanceof JsonRpc.Request r) {
            PostResponder responder = new PostResponder(session, resp, primes(session));
            SessionChannel channel = new SessionChannel(session, responder, r.id());
            ScheduledFuture<?> early = timer.schedule(responder::openStream, mcp.streamAfter.toMillis());
            ScheduledFuture<?> release = primes(session) && mcp.releaseStreamAfter.isPresent()
                    ? timer.schedule(responder::release, mcp.releaseStreamAfter.get().toMillis()) : null;
            try {
                responder.finish(dispatcher.handle(session, vs, r, channel, requestId));
            } finally {
                early.cancel(false);
                if (release != null) {
                    release.cancel(false);
                }
                channel.done();
            }
        } else {
            clientMessages.receive(session, vs, message);
            resp.setStatus(202);
        }
    }

    private static boolean primes(McpSession session) {
        return ProtocolVersion.SUPPORTED.contains(session.protocolVersion())
                && ProtocolVersion.atLeast(session.protocolVersion(), ProtocolVersion.V2025_11_25);
    }

    private void initialize(HttpServletRequest req, HttpServletResponse resp, VirtualServer vs, JsonRpc.Request r)
            throws IOException {
        ObjectNode params = r.params();
        String requested = params.path("protocolVersion").asText(null);
        if (requested == null) {
            JsonResponses.write(resp, 400, JsonRpc.error(r.id(), ErrorKind.INVALID_PARAMS.jsonRpcCode(),
                    "'protocolVersion' is required", null));
            return;
        }
        String version = ProtocolVersion.negotiate(requested);
        ObjectNode capabilities = params.get("capabilities") instanceof ObjectNode c ? c : null;
        ObjectNode clientInfo = params.get("clientInfo") instanceof ObjectNode i ? i : null;
        Caller caller = RequestAuthentication.caller(req);
        McpSession session = new McpSession(sessions.newSessionId(version, vs.name(), capabilities, clientInfo,
                caller.subject()), vs.name(), version, capabilities, clientInfo, caller);
        sessions.add(session);
        resp.setHeader(SESSION_HEADER, session.id());
        JsonResponses.write(resp, 200, JsonRpc.result(r.id(), dispatcher.initializeResult(version, vs)));
    }

    private McpSession session(HttpServletRequest req, VirtualServer vs) {
        String id = req.getHeader(SESSION_HEADER);
        if (id == null || id.isBlank()) {
            throw new SluiceException(ErrorKind.MISSING_SESSION, "the request needs the Mcp-Session-Id header "
                    + "from the initialize response");
        }
        McpSession session = sessions.find(id).orElseThrow(() -> new SluiceException(ErrorKind.SESSION_NOT_FOUND,
                "session not found: it ended or never existed; initialize a new one"));
        if (!session.virtualServer().equals(vs.name())) {
            throw new SluiceException(ErrorKind.SESSION_NOT_FOUND, "that session belongs to another endpoint");
        }
        if (!session.admit(RequestAuthentication.caller(req))) {
            // another subject's session: said not to exist, so that ids cannot be probed
            throw new SluiceException(ErrorKind.SESSION_NOT_FOUND,
                    "session not found: it ended or never existed; initialize a new one");
        }
        String version = req.getHeader(McpHttp.VERSION_HEADER);
        if (version != null && !version.isBlank()) {
            if (!ProtocolVersion.isSupported(version.strip())) {
                throw new SluiceException(ErrorKind.UNSUPPORTED_PROTOCOL_VERSION, "unsupported MCP-Protocol-Version '"
                        + version + "'; supported: " + String.join(", ", ProtocolVersion.SUPPORTED));
            }
            // a supported version other than the negotiated one is tolerated: the session's version governs
        }
        return session;
    }

    private void batch(HttpServletRequest req, HttpServletResponse resp, VirtualServer vs, ArrayNode body,
            String requestId) throws IOException {
        if (body.isEmpty()) {
            throw new SluiceException(ErrorKind.INVALID_REQUEST, "an empty batch is not a request");
        }
        McpSession session = session(req, vs);
        if (ProtocolVersion.atLeast(session.protocolVersion(), ProtocolVersion.V2025_06_18)) {
            throw new SluiceException(ErrorKind.INVALID_REQUEST, "JSON-RPC batches are not part of protocol "
                    + session.protocolVersion());
        }
        List<ObjectNode> answers = new ArrayList<>();
        for (JsonNode item : body) {
            JsonRpc.Message message;
            try {
                message = JsonRpc.read(item);
            } catch (SluiceException e) {
                answers.add(JsonRpc.error(null, e));
                continue;
            }
            if (message instanceof JsonRpc.Request r) {
                SessionChannel channel = new SessionChannel(session, null, r.id());
                try {
                    answers.add(dispatcher.handle(session, vs, r, channel, requestId));
                } finally {
                    channel.done();
                }
            } else {
                clientMessages.receive(session, vs, message);
            }
        }
        if (answers.isEmpty()) {
            resp.setStatus(202);
            return;
        }
        ArrayNode array = Json.array();
        answers.forEach(array::add);
        JsonResponses.write(resp, 200, array);
    }

    /**
     * The session's GET stream of server-to-client messages, or (with {@code Last-Event-ID}) the resumption
     * of a stream the client lost: a GET stream continues under a new id, a POST's answer stream under its own.
     */
    public void get(HttpServletRequest req, HttpServletResponse resp, VirtualServer vs) throws IOException {
        if (!McpHttp.accepts(req, "text/event-stream")) {
            throw new SluiceException(ErrorKind.NOT_ACCEPTABLE, "the GET stream is text/event-stream; "
                    + "the client must accept it");
        }
        McpSession session = session(req, vs);
        String lastEventId = req.getHeader("Last-Event-ID");
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        boolean continuesAnswer = lastEventId != null && EventLog.ofAnswerStream(lastEventId);
        // a POST's answer stream keeps its id; a GET stream, new or resumed, gets a new one of this node
        String streamId = continuesAnswer ? EventLog.streamOf(lastEventId) : session.newStreamId('g');
        SseStream stream = new SseStream(session, streamId, resp, async);
        McpHttp.onEnd(async, () -> {
            stream.close();
            session.ended(stream);
        });
        stream.begin(lastEventId == null && primes(session));
        if (lastEventId != null) {
            session.resume(stream, lastEventId, !continuesAnswer && primes(session));
        } else {
            session.listening(stream);
        }
    }

    /** Ends a session on every node (DELETE); only its own subject may. */
    public void delete(HttpServletRequest req, HttpServletResponse resp) {
        String id = req.getHeader(SESSION_HEADER);
        if (id == null || id.isBlank()) {
            throw new SluiceException(ErrorKind.MISSING_SESSION, "DELETE needs the Mcp-Session-Id header");
        }
        boolean own = sessions.find(id).map(s -> s.admit(RequestAuthentication.caller(req))).orElse(false);
        if (!own || !sessions.remove(id)) {
            throw new SluiceException(ErrorKind.SESSION_NOT_FOUND, "session not found: it ended or never existed");
        }
        resp.setStatus(200);
    }
}
