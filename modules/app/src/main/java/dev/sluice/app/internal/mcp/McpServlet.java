package dev.sluice.app.internal.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.http.BodyTooLargeException;
import dev.sluice.app.internal.http.JsonResponses;
import dev.sluice.app.internal.http.JsonRpcIds;
import dev.sluice.app.internal.security.RequestAuthentication;
import dev.sluice.core.Caller;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.JsonRpc;
import dev.sluice.core.ProtocolVersion;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.Upstreams;
import dev.sluice.registry.VirtualServer;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The MCP Streamable HTTP endpoint at {@code /mcp} (every enabled upstream) and
 * {@code /mcp/{virtualServer}}, for both protocol eras, chosen per request. Session era (2025-03-26
 * to 2025-11-25): POST for messages, GET for the server-to-client stream (resumable with
 * {@code Last-Event-ID}), DELETE to end a session. Stateless era (2026-07-28): a POST whose
 * {@code _meta} or {@code MCP-Protocol-Version} claims it, each one complete in itself.
 */
@WebServlet(urlPatterns = {"/mcp", "/mcp/*"}, asyncSupported = true, name = "mcp")
public class McpServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String SESSION_HEADER = "Mcp-Session-Id";
    static final String VERSION_HEADER = "MCP-Protocol-Version";

    @Inject
    transient McpDispatcher dispatcher;

    @Inject
    transient SessionStore sessions;

    @Inject
    transient OriginPolicy origins;

    @Inject
    transient InputExchanges inputs;

    @Inject
    transient Upstreams upstreams;

    @Inject
    transient McpNotifier notifier;

    @Inject
    transient InputRelay inputRelay;

    @Inject
    @ConfigProperty(name = "sluice.security.max-body-bytes", defaultValue = "4194304")
    transient long maxBodyBytes;

    @Inject
    @ConfigProperty(name = "sluice.mcp.stream-after", defaultValue = "PT1S")
    transient Duration streamAfter;

    /**
     * Protocol 2026-07-28: when a call still running answers as an event stream. Until then an error
     * keeps its own HTTP status (400 for an undeclared capability), which a stream's 200 cannot.
     */
    @Inject
    @ConfigProperty(name = "sluice.mcp.stateless-stream-after", defaultValue = "PT1S")
    transient Duration statelessStreamAfter;

    @Inject
    @ConfigProperty(name = "sluice.mcp.release-stream-after")
    transient Optional<Duration> releaseAfter;

    @Inject
    @ConfigProperty(name = "sluice.mcp.stream-probe-interval", defaultValue = "PT1S")
    transient Duration probeEvery;

    /** The container's default managed scheduler: the stream timers of every call (cancelled when it ends). */
    @Resource
    transient ManagedScheduledExecutorService timer;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String requestId = dev.sluice.app.internal.http.RequestIdentity.of(req); // sent back by the guard filter
        try {
            String refusal = origins.refusal(req.getHeader("Origin"), req.getHeader("Host"));
            if (refusal != null) {
                throw new SluiceException(ErrorKind.FORBIDDEN_ORIGIN, refusal);
            }
            VirtualServer vs = dispatcher.virtualServer(virtualServerName(req));
            switch (req.getMethod()) {
                case "POST" -> post(req, resp, vs, requestId);
                case "GET" -> get(req, resp, vs);
                case "DELETE" -> delete(req, resp);
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

    private static boolean accepts(HttpServletRequest req, String type) {
        String accept = req.getHeader("Accept");
        if (accept == null) {
            return false;
        }
        String a = accept.toLowerCase(Locale.ROOT);
        return a.contains(type) || a.contains("*/*");
    }

    // ---------------------------------------------------------------- POST

    private void post(HttpServletRequest req, HttpServletResponse resp, VirtualServer vs, String requestId)
            throws IOException {
        if (!accepts(req, "application/json") || !accepts(req, "text/event-stream")) {
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
        if (StatelessExchange.claims(body, req.getHeader(VERSION_HEADER))) {
            stateless(req, resp, vs, body, requestId);
            return;
        }
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
            ScheduledFuture<?> early = timer.schedule(responder::openStream, streamAfter.toMillis(), TimeUnit.MILLISECONDS);
            ScheduledFuture<?> release = primes(session) && releaseAfter.isPresent()
                    ? timer.schedule(responder::release, releaseAfter.get().toMillis(), TimeUnit.MILLISECONDS) : null;
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
            dispatcher.receive(session, vs, message);
            resp.setStatus(202);
        }
    }

    private static boolean primes(McpSession session) {
        return ProtocolVersion.SUPPORTED.contains(session.protocolVersion())
                && ProtocolVersion.atLeast(session.protocolVersion(), ProtocolVersion.V2025_11_25);
    }

    /**
     * One request of the stateless era (2026-07-28): checked on its own, answered on its own, no
     * session made or named. Its answer stream, once open, is probed; a client that closed it has
     * cancelled the call, and nothing more is sent.
     */
    private void stateless(HttpServletRequest req, HttpServletResponse resp, VirtualServer vs, JsonNode body,
            String requestId) throws IOException {
        JsonNode id = body.get("id");
        JsonRpc.Message message;
        StatelessExchange.Envelope envelope;
        try {
            message = JsonRpc.read(body);
            if (!(message instanceof JsonRpc.Request)) {
                resp.setStatus(202); // the revision defines no client notification or response over HTTP
                return;
            }
            envelope = StatelessExchange.check((JsonRpc.Request) message, req);
        } catch (SluiceException e) {
            JsonResponses.write(resp, 400, JsonRpc.error(id, e));
            return;
        }
        JsonRpc.Request r = (JsonRpc.Request) message;
        if (StatelessExchange.REMOVED.contains(r.method())) {
            JsonResponses.write(resp, 404, JsonRpc.error(id, new SluiceException(ErrorKind.METHOD_NOT_FOUND, "'"
                    + r.method() + "' is not part of protocol " + envelope.version() + " (no handshake, sessions, ping"
                    + " or session log level)")));
            return;
        }
        if (StatelessExchange.TASK_METHODS.contains(r.method()) && !dispatcher.servesTasks(vs, r.params())) {
            JsonResponses.write(resp, 404, JsonRpc.error(id, new SluiceException(ErrorKind.METHOD_NOT_FOUND, "'"
                    + r.method() + "' is not served here: no upstream of this endpoint offers the tasks extension ("
                    + TaskIds.EXTENSION + ")")));
            return;
        }
        if ("server/discover".equals(r.method())) {
            ObjectNode result = dispatcher.discoverResult(vs);
            result.put("resultType", "complete");
            JsonResponses.write(resp, 200, JsonRpc.result(id, result));
            return;
        }
        if ("subscriptions/listen".equals(r.method())) {
            listen(req, resp, vs, r, envelope, requestId);
            return;
        }
        McpSession request = new McpSession("", vs.name(), envelope.version(), envelope.capabilities(),
                envelope.clientInfo(), RequestAuthentication.caller(req));
        PostResponder responder = new PostResponder(request, resp, false);
        InputExchange exchange = null;
        StatelessChannel channel;
        CompletableFuture<ObjectNode> round = null;
        String state = r.params().path("requestState").asText(null);
        if (state != null || StatelessExchange.mayAskForInput(r.method(), envelope)) {
            // the upstream may ask the client for input: the call runs apart, and answers round by round
            try {
                String subject = request.caller().subject();
                if (state != null && inputRelay.elsewhere(state)) {
                    // the call runs on another node: the retry goes there, its round's end comes back
                    channel = new StatelessChannel(responder, envelope);
                    round = inputRelay.forward(state, subject, r.method(), StatelessExchange.nameOf(r), id,
                            r.params().get("inputResponses"));
                } else if (state != null) {
                    exchange = inputs.resume(state, subject, r.method(), StatelessExchange.nameOf(r));
                    channel = exchange.channel();
                    channel.attach(responder);
                    round = exchange.resume(id, r.params().get("inputResponses"));
                } else {
                    channel = new StatelessChannel(responder, envelope);
                    exchange = inputs.open(subject, r.method(), StatelessExchange.nameOf(r), id);
                    channel.inExchange(exchange); // before the call starts: its upstream may ask at once
                    exchange.channel(channel);
                    StatelessChannel running = channel;
                    inputs.run(exchange, id, () -> dispatcher.toStateless(dispatcher.handle(request, vs, r, running,
                            requestId), r.method(), vs));
                    round = exchange.currentRound();
                }
            } catch (SluiceException e) {
                JsonResponses.write(resp, e.kind().httpStatus(), JsonRpc.error(id, e));
                return;
            }
        } else {
            channel = new StatelessChannel(responder, envelope);
        }
        ScheduledFuture<?> early = timer.schedule(responder::openStream, statelessStreamAfter.toMillis(),
                TimeUnit.MILLISECONDS);
        long every = Math.max(100, probeEvery.toMillis());
        StatelessChannel probed = channel;
        ScheduledFuture<?> probe = timer.scheduleWithFixedDelay(probed::probe, every, every, TimeUnit.MILLISECONDS);
        try {
            ObjectNode answer = round == null
                    ? dispatcher.toStateless(dispatcher.handle(request, vs, r, channel, requestId), r.method(), vs)
                    : await(round);
            if (exchange != null && exchange.finished() && !"input_required".equals(
                    answer.path("result").path("resultType").asText())) {
                inputs.ended(exchange);
            }
            if (channel.missingCapability() != null && answer.path("error").path("code").asInt() != -32021) {
                // the upstream asked what the client did not declare: that, not the upstream's reaction, is the answer
                answer = JsonRpc.error(id, channel.missingCapability());
            }
            if (!channel.cancelled()) {
                // 404 answers a method Sluice does not serve, not a -32601 an upstream gave for its own reasons
                responder.finish(answer, McpDispatcher.serves(r.method()) ? statusOf(answer) : 404);
            }
        } finally {
            early.cancel(false);
            probe.cancel(false);
        }
    }

    /**
     * The HTTP status of a stateless answer: 200, but 400 for the errors 2026-07-28 answers with it
     * whoever raised them (an upstream included): a capability the request's {@code _meta} did not
     * declare (-32021), headers that disagree with the body (-32020), an unsupported revision (-32022).
     */
    static int statusOf(ObjectNode answer) {
        int code = answer.path("error").path("code").asInt(0);
        return code == -32021 || code == -32020 || code == -32022 ? 400 : 200;
    }

    /**
     * {@code subscriptions/listen} (2026-07-28): an event stream that stays open, acknowledging first
     * what Sluice honours of the client's filter (the list-change flags it asked for, and the
     * resources it may read whose servers offer subscriptions), then carrying those notifications.
     * It ends when the client closes it.
     */
    private void listen(HttpServletRequest req, HttpServletResponse resp, VirtualServer vs, JsonRpc.Request r,
            StatelessExchange.Envelope envelope, String requestId) throws IOException {
        Caller caller = RequestAuthentication.caller(req);
        JsonNode filter = r.params().path("notifications");
        McpSession request = new McpSession("", vs.name(), envelope.version(), envelope.capabilities(),
                envelope.clientInfo(), caller);
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        SseStream stream = new SseStream(request, request.newStreamId('g'), resp, async);
        ListenStream listen = new ListenStream(r.id(), vs.name(), stream);
        onEnd(async, () -> {
            notifier.remove(listen);
            stream.close();
        });
        // listening before subscribing: an update that comes at once waits for the acknowledgement
        notifier.add(listen);
        for (String flag : ListenStream.FLAGS) {
            if (filter.path(flag).asBoolean(false)) {
                listen.honour(flag);
            }
        }
        for (JsonNode uri : filter.path("resourceSubscriptions")) {
            try {
                listen.honourResource(uri.asText(), dispatcher.subscribeForListen(caller, vs, uri.asText(), requestId));
            } catch (SluiceException e) {
                // not honoured: unknown, not readable by this caller, or its server has no subscriptions
            }
        }
        stream.begin(false);
        if (!listen.acknowledge()) {
            notifier.remove(listen);
        }
    }

    /** Runs {@code action} once an asynchronous response ends, however it ends. */
    private static void onEnd(AsyncContext async, Runnable action) {
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                action.run();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                action.run();
            }

            @Override
            public void onError(AsyncEvent event) {
                action.run();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // nothing to do
            }
        });
    }

    /** Waits for a round of an input exchange: the call's answer, or what its upstream asks the client. */
    private static ObjectNode await(CompletableFuture<ObjectNode> round) {
        try {
            return round.get(InputExchanges.MAX_AGE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            throw new SluiceException(ErrorKind.UPSTREAM_TIMEOUT, "the call did not finish in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException(ErrorKind.UNAVAILABLE, "interrupted while waiting for the call");
        }
    }

    private byte[] readBody(HttpServletRequest req) throws IOException {
        long declared = req.getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw new SluiceException(ErrorKind.PAYLOAD_TOO_LARGE, "the body has " + declared
                    + " bytes; the limit is " + maxBodyBytes);
        }
        try (InputStream in = req.getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (bytes.length > maxBodyBytes) {
                throw new SluiceException(ErrorKind.PAYLOAD_TOO_LARGE, "the body is over the limit of "
                        + maxBodyBytes + " bytes");
            }
            return bytes;
        } catch (BodyTooLargeException e) { // the guard filter's bound: a chunked body over the limit
            throw new SluiceException(ErrorKind.PAYLOAD_TOO_LARGE, e.getMessage());
        }
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
        String version = req.getHeader(VERSION_HEADER);
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
                dispatcher.receive(session, vs, message);
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

    // ---------------------------------------------------------------- GET

    private void get(HttpServletRequest req, HttpServletResponse resp, VirtualServer vs) throws IOException {
        if (!accepts(req, "text/event-stream")) {
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
        onEnd(async, () -> {
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

    // ---------------------------------------------------------------- DELETE

    private void delete(HttpServletRequest req, HttpServletResponse resp) {
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
