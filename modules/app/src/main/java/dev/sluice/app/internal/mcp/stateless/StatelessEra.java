package dev.sluice.app.internal.mcp.stateless;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.http.JsonResponses;
import dev.sluice.app.internal.mcp.McpSettings;
import dev.sluice.app.internal.mcp.StreamTimers;
import dev.sluice.app.internal.mcp.McpDispatcher;
import dev.sluice.app.internal.mcp.McpHttp;
import dev.sluice.app.internal.mcp.McpNotifier;
import dev.sluice.app.internal.mcp.TaskIds;
import dev.sluice.app.internal.mcp.relay.InputRelay;
import dev.sluice.app.internal.mcp.session.McpSession;
import dev.sluice.app.internal.mcp.session.PostResponder;
import dev.sluice.app.internal.mcp.session.SseStream;
import dev.sluice.app.internal.security.RequestAuthentication;
import dev.sluice.core.Caller;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.JsonRpc;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.VirtualServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperties;

/**
 * The stateless era (protocol 2026-07-28) of the MCP endpoint: a POST whose {@code _meta} or
 * {@code MCP-Protocol-Version} claims it ({@link StatelessExchange}) is checked and answered on its
 * own, no session made or named. A call whose upstream may ask the client for input runs apart in an
 * {@link InputExchange} and is answered round by round (a retry that reaches another node goes there,
 * {@link InputRelay}); {@code subscriptions/listen} opens a stream of the notifications the client
 * opted into ({@link ListenStream}).
 */
@ApplicationScoped
public class StatelessEra {
    @Inject
    @ConfigProperties
    McpSettings mcp;

    @Inject
    McpDispatcher dispatcher;

    @Inject
    StatelessResults results;

    @Inject
    InputExchanges inputs;

    @Inject
    InputRelay inputRelay;

    @Inject
    McpNotifier notifier;

    /** The stream timers and probes of every call (cancelled when it ends). */
    @Inject
    StreamTimers timer;

    /**
     * One request of the stateless era (2026-07-28): checked on its own, answered on its own, no
     * session made or named. Its answer stream, once open, is probed; a client that closed it has
     * cancelled the call, and nothing more is sent.
     */
    public void post(HttpServletRequest req, HttpServletResponse resp, VirtualServer vs, JsonNode body,
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
            ObjectNode result = results.discoverResult(vs);
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
                    inputs.run(exchange, id, () -> results.toStateless(dispatcher.handle(request, vs, r, running,
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
        ScheduledFuture<?> early = timer.schedule(responder::openStream, mcp.statelessStreamAfter.toMillis());
        long every = Math.max(100, mcp.streamProbeInterval.toMillis());
        StatelessChannel probed = channel;
        ScheduledFuture<?> probe = timer.every(probed::probe, every);
        try {
            ObjectNode answer = round == null
                    ? results.toStateless(dispatcher.handle(request, vs, r, channel, requestId), r.method(), vs)
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
        McpHttp.onEnd(async, () -> {
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

    /** Waits for a round of an input exchange: the call's answer, or what its upstream asks the client. */
    private static ObjectNode await(CompletableFuture<ObjectNode> round) {
        try {
            return round.get(InputExchanges.MAX_AGE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new SluiceException(ErrorKind.UPSTREAM_TIMEOUT, "the call did not finish in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException(ErrorKind.UNAVAILABLE, "interrupted while waiting for the call");
        }
    }
}
