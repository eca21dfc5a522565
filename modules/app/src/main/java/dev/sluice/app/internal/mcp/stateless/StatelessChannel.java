package dev.sluice.app.internal.mcp.stateless;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.mcp.ClientRequests;
import dev.sluice.app.internal.mcp.LogLevels;
import dev.sluice.app.internal.mcp.session.PostResponder;
import dev.sluice.core.ClientChannel;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The way back to the client for one stateless (2026-07-28) request: its own answer stream and
 * nothing else. Log messages reach it only when the request asked for a level; closing the stream
 * cancels the call.
 */
final class StatelessChannel implements ClientChannel {
    private volatile PostResponder responder;
    private final StatelessExchange.Envelope envelope;
    private volatile InputExchange exchange;
    private final AtomicReference<Runnable> onCancel = new AtomicReference<>();
    private volatile boolean cancelled;
    private volatile SluiceException missingCapability;

    StatelessChannel(PostResponder responder, StatelessExchange.Envelope envelope) {
        this.responder = responder;
        this.envelope = envelope;
    }

    @Override
    public void notify(ObjectNode notification) {
        if ("notifications/message".equals(notification.path("method").asText())
                && (envelope.logLevel() == null
                        || !LogLevels.passes(notification.path("params").path("level").asText(), envelope.logLevel()))) {
            return; // without a logLevel in _meta, a server sends no log messages
        }
        PostResponder current = responder;
        if (current.isFinished()) {
            return; // between rounds of an exchange (or relayed from another node): nobody to tell
        }
        if (!cancelled && !current.send(notification)) {
            cancel();
        }
    }

    /**
     * The upstream asks the client something. A stateless client is asked with an {@code input_required}
     * result, when the call runs in an {@link InputExchange} and the client declared the capability in
     * this request's {@code _meta}; its retry brings the answer.
     */
    @Override
    public ObjectNode request(String method, JsonNode params, Duration timeout) {
        String capability = ClientRequests.capability(method);
        InputExchange current = exchange;
        if (capability == null || current == null || !envelope.capabilities().has(capability)) {
            throw missing(capability, method);
        }
        return await(current.ask(method, params), timeout, "an answer to '" + method + "'");
    }

    /** The client's answer to a round, within {@code timeout}; {@code what} names it in errors. */
    private static <T> T await(CompletableFuture<T> answer, Duration timeout, String what) {
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SluiceException(ErrorKind.CLIENT_TIMEOUT, "the client did not come back with " + what + " in time");
        } catch (ExecutionException | CancellationException e) {
            throw new SluiceException(ErrorKind.UNAVAILABLE, "the client's call ended before it gave " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException(ErrorKind.UNAVAILABLE, "interrupted while waiting for the client");
        }
    }

    /**
     * Several requests of one {@code input_required} of a 2026-07-28 upstream: one round of this
     * client's, under the upstream's own keys.
     */
    @Override
    public Map<String, ObjectNode> requestAll(Map<String, ObjectNode> requests, Duration timeout) {
        InputExchange current = exchange;
        for (ObjectNode r : requests.values()) {
            String capability = ClientRequests.capability(r.path("method").asText());
            if (capability == null || current == null || !envelope.capabilities().has(capability)) {
                throw missing(capability, r.path("method").asText());
            }
        }
        return await(current.askAll(requests), timeout, "its answers");
    }

    @Override
    public String logLevel() {
        return envelope.logLevel();
    }

    /** A 2026-07-28 client reaches {@code tasks/*} through Sluice's front door. */
    @Override
    public boolean followsTasks() {
        return true;
    }

    /**
     * The upstream asked what this request's {@code _meta} did not declare: the call is answered with
     * -32021 (HTTP 400) naming the capability, whatever the upstream makes of the refusal.
     */
    private SluiceException missing(String capability, String method) {
        String needed = capability == null ? method : capability;
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.putObject("requiredCapabilities").putObject(needed);
        SluiceException e = new SluiceException(ErrorKind.MISSING_CAPABILITY, "the client did not declare the '"
                + needed + "' capability in this request's _meta, so it cannot answer '" + method + "'", data, null);
        missingCapability = e;
        return e;
    }

    /** Why the call cannot be answered as its upstream wanted (an undeclared capability), or null. */
    SluiceException missingCapability() {
        return missingCapability;
    }

    /** Runs the call in an exchange: the upstream's requests become rounds of {@code input_required}. */
    void inExchange(InputExchange exchange) {
        this.exchange = exchange;
    }

    /** The HTTP request of the exchange's next round: notifications and probes go to its answer. */
    void attach(PostResponder next) {
        this.responder = next;
    }

    @Override
    public ObjectNode capabilities() {
        return envelope.capabilities();
    }

    @Override
    public void onCancel(Runnable action) {
        onCancel.set(action);
        if (cancelled) {
            runCancel();
        }
    }

    /** Checks that the client still holds the stream; when it closed it, the call is cancelled upstream. */
    void probe() {
        if (!cancelled && !responder.probe()) {
            cancel();
        }
    }

    boolean cancelled() {
        return cancelled;
    }

    private void cancel() {
        cancelled = true;
        runCancel();
    }

    private void runCancel() {
        Runnable action = onCancel.getAndSet(null);
        if (action != null) {
            action.run();
        }
    }
}
