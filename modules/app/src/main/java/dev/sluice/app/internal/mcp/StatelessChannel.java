package dev.sluice.app.internal.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ClientChannel;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.ProtocolVersion;
import dev.sluice.core.SluiceException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The way back to the client for one stateless (2026-07-28) request: its own answer stream and
 * nothing else. Log messages reach it only when the request asked for a level; closing the stream
 * cancels the call.
 */
final class StatelessChannel implements ClientChannel {
    private final PostResponder responder;
    private final StatelessExchange.Envelope envelope;
    private final AtomicReference<Runnable> onCancel = new AtomicReference<>();
    private volatile boolean cancelled;

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
        if (!cancelled && !responder.send(notification)) {
            cancel();
        }
    }

    @Override
    public ObjectNode request(String method, JsonNode params, Duration timeout) {
        throw new SluiceException(ErrorKind.METHOD_NOT_FOUND, "the client speaks " + ProtocolVersion.V2026_07_28
                + ", where a server asks for input with an input_required result; Sluice does not relay '" + method
                + "' to such a client yet");
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
