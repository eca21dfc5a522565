package dev.sluice.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.core.ClientChannel;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.JsonRpc;
import dev.sluice.core.ProtocolVersion;
import dev.sluice.core.SecretValues;
import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceVersion;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Sluice as an MCP client of one upstream, over one transport, for the transport's lifetime: the
 * initialize handshake, request ids of Sluice's own choosing, progress tokens rewritten so that
 * clients never collide, cancellation passed on, and whatever the upstream asks or tells during a
 * call relayed to the client that made it.
 *
 * <p>An upstream of protocol 2026-07-28 is met with {@code server/discover} instead of the handshake
 * (see {@link Era}); each request then carries the envelope in {@code _meta} (version, the calling
 * client's capabilities, Sluice as client), and an {@code input_required} result is answered by asking
 * the calling client each input request on its own channel (a server-to-client request for a
 * session-era client) and retrying with the answers, so the client sees one call and one result.
 */
final class UpstreamClient implements MessageTransport.Listener {
    private static final Logger LOG = Logger.getLogger(UpstreamClient.class.getName());
    private static final AtomicLong TOKENS = new AtomicLong();

    /** A request Sluice sent and waits for. */
    private record Pending(CompletableFuture<ObjectNode> answer, ClientChannel channel, long started) {
    }

    /** A progress token Sluice put in place of the client's. */
    private record Progress(ClientChannel channel, JsonNode clientToken) {
    }

    /** How to start a connection: which protocol era to try. */
    enum Era {
        /** The {@code initialize} handshake. */
        SESSION,
        /** {@code server/discover} first; the handshake when the upstream does not answer it. */
        DISCOVER_THEN_SESSION,
        /** {@code server/discover} only: an upstream that does not answer it is not reachable. */
        STATELESS
    }

    /** Rounds of {@code input_required} one call may take before Sluice gives up on it. */
    static final int MAX_INPUT_ROUNDS = 8;

    private final String server;
    private final Era era;
    private volatile boolean stateless;
    private final MessageTransport transport;
    private final Executor relayExecutor;
    private final Events events;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Progress> progress = new ConcurrentHashMap<>();
    private volatile ObjectNode initializeResult;
    /** Toward a 2026-07-28 upstream: the resources Sluice's clients subscribed to, and the listen that carries them. */
    private final Set<String> subscribedUris = ConcurrentHashMap.newKeySet();
    private volatile String listenId;
    private volatile boolean closed;
    private volatile long lastUsed = System.nanoTime();

    /** What the client tells its owner about. */
    interface Events {
        void closed(UpstreamClient client, Throwable cause);

        void notification(UpstreamClient client, String method, ObjectNode params);
    }

    UpstreamClient(String server, MessageTransport transport, Executor relayExecutor, Events events) {
        this(server, Era.SESSION, transport, relayExecutor, events);
    }

    UpstreamClient(String server, Era era, MessageTransport transport, Executor relayExecutor, Events events) {
        this.server = server;
        this.era = era;
        this.transport = transport;
        this.relayExecutor = relayExecutor;
        this.events = events;
    }

    /** Starts the transport and meets the upstream: {@code server/discover}, the handshake, or both. */
    void connect(Duration timeout) throws IOException {
        transport.start(this);
        if (era != Era.SESSION) {
            String refusal = discover(timeout);
            if (refusal == null) {
                return;
            }
            if (era == Era.STATELESS) {
                throw new IOException("the upstream does not speak protocol " + ProtocolVersion.V2026_07_28
                        + " (server/discover: " + refusal + ")");
            }
            LOG.fine(() -> server + " does not answer server/discover (" + refusal + "): initialize instead");
        }
        initialize(timeout);
    }

    /**
     * Asks the upstream {@code server/discover} (protocol 2026-07-28).
     *
     * @return null when it speaks 2026-07-28 (and this client speaks it from now on), else why not
     */
    private String discover(Duration timeout) {
        transport.stateless(true);
        stateless = true;
        ObjectNode answer;
        try {
            answer = request("server/discover", Json.object(), ClientChannel.NONE, timeout);
        } catch (SluiceException e) {
            answer = JsonRpc.error(null, e);
        }
        JsonNode result = answer.get("result");
        String refusal = null;
        if (result == null) {
            refusal = answer.path("error").path("message").asText("no result");
        } else if (!containsText(result.path("supportedVersions"), ProtocolVersion.V2026_07_28)) {
            refusal = "supported versions " + result.path("supportedVersions");
        }
        if (refusal != null) {
            transport.stateless(false);
            stateless = false;
            return refusal;
        }
        // what the rest of Sluice reads from an initialize result: version, capabilities, info, instructions
        ObjectNode init = Json.object().put("protocolVersion", ProtocolVersion.V2026_07_28);
        init.set("capabilities", result.get("capabilities") instanceof ObjectNode c ? c : Json.object());
        JsonNode info = result.has("serverInfo") ? result.get("serverInfo")
                : result.path("_meta").path("io.modelcontextprotocol/serverInfo");
        init.set("serverInfo", info instanceof ObjectNode i ? i : Json.object().put("name", server));
        if (result.hasNonNull("instructions")) {
            init.set("instructions", result.get("instructions"));
        }
        initializeResult = init;
        listen();
        return null;
    }

    /**
     * Toward a 2026-07-28 upstream, the session era's subscriptions and list changes come through one
     * {@code subscriptions/listen} that Sluice holds open: the list changes the upstream declares, and
     * the resources Sluice's clients subscribed to. Its notifications reach Sluice as any upstream
     * notification does. A change of the resources closes it and opens the next.
     */
    private synchronized void listen() {
        String previous = listenId;
        listenId = null;
        if (previous != null) {
            transport.cancel(previous);
        }
        if (closed || !stateless) {
            return;
        }
        ObjectNode capabilities = initializeResult == null ? Json.object()
                : (ObjectNode) initializeResult.path("capabilities");
        ObjectNode filter = Json.object();
        for (String[] kind : new String[][] {{"tools", "toolsListChanged"}, {"prompts", "promptsListChanged"},
                {"resources", "resourcesListChanged"}}) {
            if (capabilities.path(kind[0]).path("listChanged").asBoolean(false)) {
                filter.put(kind[1], true);
            }
        }
        if (!subscribedUris.isEmpty()) {
            var uris = filter.putArray("resourceSubscriptions");
            subscribedUris.forEach(uris::add);
        }
        if (filter.isEmpty()) {
            return;
        }
        String id = "sluice-listen-" + ids.incrementAndGet();
        ObjectNode params = Json.object();
        params.set("notifications", filter);
        try {
            send(JsonRpc.request(TextNode.valueOf(id), "subscriptions/listen", withEnvelope(params, ClientChannel.NONE)));
            listenId = id;
        } catch (IOException e) {
            LOG.fine(() -> "could not open subscriptions/listen toward " + server + ": " + e.getMessage());
        }
    }

    /**
     * {@code resources/subscribe} and {@code resources/unsubscribe} of the session era toward a
     * 2026-07-28 upstream, which has neither: the held {@code subscriptions/listen} follows the set of
     * subscribed resources. Answered here, as the session era expects ({@code {}}).
     */
    private ObjectNode subscription(String method, ObjectNode params) {
        String uri = params == null ? null : params.path("uri").asText(null);
        if (uri == null) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'uri' is required");
        }
        boolean changed = "resources/subscribe".equals(method) ? subscribedUris.add(uri) : subscribedUris.remove(uri);
        if (changed) {
            listen();
        }
        ObjectNode answer = JsonRpc.result(null, Json.object());
        answer.remove("id");
        return answer;
    }

    private static boolean containsText(JsonNode array, String value) {
        for (JsonNode v : array) {
            if (value.equals(v.asText())) {
                return true;
            }
        }
        return false;
    }

    /** Whether this connection speaks protocol 2026-07-28. */
    boolean isStateless() {
        return stateless;
    }

    private void initialize(Duration timeout) throws IOException {
        ObjectNode params = Json.object().put("protocolVersion", ProtocolVersion.LATEST);
        ObjectNode capabilities = params.putObject("capabilities");
        capabilities.putObject("sampling");
        capabilities.putObject("elicitation");
        capabilities.putObject("roots").put("listChanged", true);
        params.putObject("clientInfo").put("name", "sluice").put("version", SluiceVersion.current());
        ObjectNode answer = request("initialize", params, ClientChannel.NONE, timeout);
        if (answer.has("error")) {
            throw new IOException("initialize refused: " + answer.path("error").path("message").asText());
        }
        ObjectNode result = (ObjectNode) answer.get("result");
        String version = result.path("protocolVersion").asText();
        if (!ProtocolVersion.isSupported(version) && !"2024-11-05".equals(version)) {
            throw new IOException("the upstream speaks protocol " + version + ", which Sluice does not");
        }
        transport.protocolVersion(version);
        initializeResult = result;
        send(JsonRpc.notification("notifications/initialized", null));
    }

    ObjectNode initializeResult() {
        return initializeResult;
    }

    String protocolVersion() {
        ObjectNode r = initializeResult;
        return r == null ? null : r.path("protocolVersion").asText(null);
    }

    int pendingCount() {
        return pending.size();
    }

    long idleNanos() {
        return pending.isEmpty() ? System.nanoTime() - lastUsed : 0;
    }

    /**
     * Sends a request and waits for the whole response (result or error); its id is removed. Toward
     * a 2026-07-28 upstream, an {@code input_required} result is answered through {@code channel}
     * and the request retried, until the upstream completes it.
     */
    ObjectNode request(String method, ObjectNode params, ClientChannel channel, Duration timeout) {
        if (!stateless) {
            return exchange(method, params, channel, timeout);
        }
        if ("resources/subscribe".equals(method) || "resources/unsubscribe".equals(method)) {
            return subscription(method, params);
        }
        ObjectNode current = params == null ? Json.object() : params.deepCopy();
        for (int round = 1; ; round++) {
            ObjectNode answer = exchange(method, withEnvelope(current, channel), channel, timeout);
            if (!(answer.get("result") instanceof ObjectNode result)) {
                return answer;
            }
            String type = result.path("resultType").asText();
            if (!"input_required".equals(type)) {
                if ("complete".equals(type)) {
                    result.remove("resultType"); // Sluice's clients learn the era's shape from Sluice
                } // "task" (a CreateTaskResult of the tasks extension) stays: it is the answer's whole meaning
                return answer;
            }
            if (round >= MAX_INPUT_ROUNDS) {
                throw new SluiceException(ErrorKind.UPSTREAM_ERROR, "upstream '" + server + "' still asked for input"
                        + " after " + MAX_INPUT_ROUNDS + " rounds of '" + method + "'");
            }
            current = retryParams(params, result, channel, timeout);
        }
    }

    /** The retry of a request after {@code input_required}: each input asked of the client, the state echoed. */
    private ObjectNode retryParams(ObjectNode original, ObjectNode inputRequired, ClientChannel channel,
            Duration timeout) {
        ObjectNode retry = original == null ? Json.object() : original.deepCopy();
        ObjectNode responses = retry.putObject("inputResponses");
        Map<String, ObjectNode> asked = new LinkedHashMap<>();
        inputRequired.path("inputRequests").fields().forEachRemaining(e -> {
            if (e.getValue() instanceof ObjectNode request) {
                asked.put(e.getKey(), request);
            }
        });
        // all at once, under the upstream's keys: a 2026-07-28 client sees the same round the upstream gave
        channel.requestAll(asked, timeout).forEach((key, reply) -> {
            if (reply.get("result") instanceof ObjectNode answered) {
                responses.set(key, answered);
            } else {
                throw new SluiceException(ErrorKind.UPSTREAM_ERROR, "the client did not answer '"
                        + asked.get(key).path("method").asText() + "' that '" + server + "' asked: "
                        + reply.path("error").path("message").asText("no result"));
            }
        });
        if (inputRequired.has("requestState")) {
            retry.set("requestState", inputRequired.get("requestState"));
        }
        return retry;
    }

    /** The 2026-07-28 envelope: the version, what the calling client can answer, and Sluice as client. */
    private ObjectNode withEnvelope(ObjectNode params, ClientChannel channel) {
        ObjectNode out = params.deepCopy();
        ObjectNode meta = out.get("_meta") instanceof ObjectNode m ? m : out.putObject("_meta");
        meta.put("io.modelcontextprotocol/protocolVersion", ProtocolVersion.V2026_07_28);
        ObjectNode capabilities = meta.putObject("io.modelcontextprotocol/clientCapabilities");
        ObjectNode theirs = channel.capabilities();
        for (String c : new String[] {"sampling", "elicitation", "roots"}) {
            if (theirs != null && theirs.has(c)) {
                capabilities.set(c, theirs.get(c));
            }
        }
        if (channel.followsTasks() && theirs != null
                && theirs.path("extensions").get(ProtocolVersion.TASKS_EXTENSION) instanceof ObjectNode tasks) {
            // only a client that can poll tasks through Sluice may be given one (the extension it declared)
            capabilities.putObject("extensions").set(ProtocolVersion.TASKS_EXTENSION, tasks);
        }
        meta.putObject("io.modelcontextprotocol/clientInfo").put("name", "sluice").put("version",
                SluiceVersion.current());
        String level = channel.logLevel();
        if (level != null) {
            meta.put("io.modelcontextprotocol/logLevel", level); // without it a 2026-07-28 server logs nothing
        } else {
            meta.remove("io.modelcontextprotocol/logLevel");
        }
        return out;
    }

    private ObjectNode exchange(String method, ObjectNode params, ClientChannel channel, Duration timeout) {
        if (closed) {
            throw new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, "the connection to upstream '" + server
                    + "' is closed");
        }
        lastUsed = System.nanoTime();
        String id = "sluice-" + ids.incrementAndGet();
        ObjectNode outgoing = params == null ? null : params.deepCopy();
        String token = rewriteProgressToken(outgoing, channel);
        Pending p = new Pending(new CompletableFuture<>(), channel, System.nanoTime());
        pending.put(id, p);
        channel.onCancel(() -> cancel(id, "cancelled by the client"));
        try {
            send(JsonRpc.request(TextNode.valueOf(id), method, outgoing));
            ObjectNode answer = p.answer().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            answer.remove("id");
            return answer;
        } catch (TimeoutException e) {
            cancel(id, "timed out after " + timeout);
            throw new SluiceException(ErrorKind.UPSTREAM_TIMEOUT, "upstream '" + server + "' did not answer '" + method
                    + "' within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SluiceException se) {
                throw se;
            }
            throw new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, "upstream '" + server + "' failed: "
                    + cause.getMessage(), cause);
        } catch (IOException e) {
            throw new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, "cannot send to upstream '" + server + "': "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, "interrupted while waiting for '" + server + "'");
        } finally {
            pending.remove(id);
            if (token != null) {
                progress.remove(token);
            }
            lastUsed = System.nanoTime();
        }
    }

    private String rewriteProgressToken(ObjectNode params, ClientChannel channel) {
        if (params == null || !(params.get("_meta") instanceof ObjectNode meta) || !meta.has("progressToken")) {
            return null;
        }
        String token = "sluice-progress-" + TOKENS.incrementAndGet();
        progress.put(token, new Progress(channel, meta.get("progressToken")));
        meta.put("progressToken", token);
        return token;
    }

    private void cancel(String id, String reason) {
        Pending p = pending.remove(id);
        if (p == null) {
            return;
        }
        p.answer().completeExceptionally(new SluiceException(ErrorKind.UPSTREAM_TIMEOUT, reason));
        if (transport.cancel(id)) {
            return; // protocol 2026-07-28 over HTTP: closing the response stream was the cancellation
        }
        try {
            send(JsonRpc.notification("notifications/cancelled",
                    Json.object().put("requestId", id).put("reason", reason)));
        } catch (IOException e) {
            LOG.fine(() -> "could not pass a cancellation on to " + server);
        }
    }

    void notify(String method, ObjectNode params) throws IOException {
        if (stateless) {
            return; // protocol 2026-07-28 defines no notifications from a client
        }
        send(JsonRpc.notification(method, params));
    }

    private void send(ObjectNode message) throws IOException {
        transport.send(message);
    }

    @Override
    public void onMessage(ObjectNode message, String relatedRequestId) {
        JsonRpc.Message m;
        try {
            m = JsonRpc.read(message);
        } catch (SluiceException e) {
            LOG.warning(() -> SecretValues.mask("upstream " + server + " sent an invalid message: " + e.detail()));
            return;
        }
        if (m instanceof JsonRpc.Response r) {
            Pending p = pending.get(r.id().asText());
            if (p != null) {
                p.answer().complete(r.raw());
            }
        } else if (m instanceof JsonRpc.Notification n) {
            onNotification(n, relatedRequestId);
        } else if (m instanceof JsonRpc.Request r) {
            relayExecutor.execute(() -> onRequest(r, relatedRequestId));
        }
    }

    private void onNotification(JsonRpc.Notification n, String related) {
        ObjectNode params = n.params();
        switch (n.method()) {
            case "notifications/progress" -> {
                Progress p = progress.get(params.path("progressToken").asText());
                if (p != null) {
                    ObjectNode copy = params.deepCopy();
                    copy.set("progressToken", p.clientToken());
                    p.channel().notify(JsonRpc.notification(n.method(), copy));
                }
            }
            case "notifications/message" -> {
                ClientChannel channel = channelFor(related);
                if (channel != null) {
                    channel.notify(n.raw().deepCopy());
                } else {
                    LOG.fine(() -> "[" + server + " log] " + params);
                }
            }
            case "notifications/cancelled" -> LOG.fine(() -> server + " cancelled a request it made");
            case "notifications/subscriptions/acknowledged" -> LOG.fine(() -> server + " acknowledged Sluice's listen");
            default -> {
                if (params != null && params.get("_meta") instanceof ObjectNode meta) {
                    meta.remove("io.modelcontextprotocol/subscriptionId"); // the upstream's listen, not the client's
                    if (meta.isEmpty()) {
                        params.remove("_meta");
                    }
                }
                events.notification(this, n.method(), params);
            }
        }
    }

    /** The client a message about a call belongs to: the related request's, or the only one in flight. */
    private ClientChannel channelFor(String related) {
        if (related != null) {
            Pending p = pending.get(related);
            if (p != null) {
                return p.channel();
            }
        }
        Pending newest = null;
        for (Pending p : pending.values()) {
            if (p.channel() != ClientChannel.NONE && (newest == null || p.started() > newest.started())) {
                newest = p;
            }
        }
        return newest == null ? null : newest.channel();
    }

    private void onRequest(JsonRpc.Request r, String related) {
        ObjectNode answer;
        try {
            if ("ping".equals(r.method())) {
                answer = JsonRpc.result(r.id(), Json.object());
            } else {
                ClientChannel channel = channelFor(related);
                if (channel == null) {
                    answer = "roots/list".equals(r.method())
                            ? JsonRpc.result(r.id(), Json.object().set("roots", Json.array()))
                            : JsonRpc.error(r.id(), -32601, "no client is waiting on '" + server
                                    + "', so nobody can answer '" + r.method() + "'", null);
                } else {
                    ObjectNode reply = channel.request(r.method(), r.raw().get("params"), Duration.ofMinutes(10));
                    answer = reply.deepCopy();
                    answer.set("id", r.id());
                }
            }
        } catch (SluiceException e) {
            answer = JsonRpc.error(r.id(), e);
        }
        try {
            send(answer);
        } catch (IOException e) {
            LOG.warning(() -> "could not answer a '" + r.method() + "' request of " + server);
        }
    }

    @Override
    public void onRequestFailed(String requestId, String why) {
        Pending p = pending.get(requestId);
        if (p != null) {
            p.answer().completeExceptionally(new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, why));
        }
    }

    @Override
    public void onClosed(Throwable cause) {
        closed = true;
        SluiceException failure = new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, "upstream '" + server
                + "' went away" + (cause == null ? "" : ": " + cause.getMessage()));
        pending.values().forEach(p -> p.answer().completeExceptionally(failure));
        pending.clear();
        events.closed(this, cause);
    }

    boolean isClosed() {
        return closed;
    }

    void close() {
        closed = true;
        transport.close();
    }

    String describe() {
        return SecretValues.mask(transport.describe());
    }

    /** For tests and status: the process id of a stdio upstream, or -1. */
    long pid() {
        return transport instanceof StdioTransport s ? s.pid() : -1;
    }
}
