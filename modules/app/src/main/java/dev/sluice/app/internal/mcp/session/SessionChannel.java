package dev.sluice.app.internal.mcp.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.app.internal.mcp.ClientRequests;
import dev.sluice.core.ClientChannel;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.JsonRpc;
import dev.sluice.core.SluiceException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The way back to the client for one call made in an MCP session: on the call's own answer stream
 * while it is open, on the session's GET stream after that.
 */
final class SessionChannel implements ClientChannel {
    private final McpSession session;
    private final PostResponder responder;
    private final String clientRequestId;

    SessionChannel(McpSession session, PostResponder responder, JsonNode clientRequestId) {
        this.session = session;
        this.responder = responder;
        this.clientRequestId = clientRequestId == null ? null : clientRequestId.asText();
    }

    @Override
    public void notify(ObjectNode notification) {
        deliver(notification);
    }

    private boolean deliver(ObjectNode message) {
        if (responder != null && responder.send(message)) {
            return true;
        }
        return session.toClient(message);
    }

    @Override
    public ObjectNode request(String method, JsonNode params, Duration timeout) {
        String capability = ClientRequests.capability(method);
        if (capability != null && !session.clientCapabilities().has(capability)) {
            throw new SluiceException(ErrorKind.METHOD_NOT_FOUND, "the client did not declare the '" + capability
                    + "' capability, so it cannot answer '" + method + "'");
        }
        String id = session.newOutboundId();
        CompletableFuture<ObjectNode> answer = new CompletableFuture<>();
        session.outbound().put(id, answer);
        try {
            if (!deliver(JsonRpc.request(TextNode.valueOf(id), method, params))) {
                throw new SluiceException(ErrorKind.UNAVAILABLE, "no open stream to the client for '" + method + "'");
            }
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SluiceException(ErrorKind.CLIENT_TIMEOUT, "the client did not answer '" + method + "' in time");
        } catch (ExecutionException | CancellationException e) {
            throw new SluiceException(ErrorKind.UNAVAILABLE, "the session ended before the client answered '"
                    + method + "'");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException(ErrorKind.UNAVAILABLE, "interrupted while waiting for the client");
        } finally {
            session.outbound().remove(id);
        }
    }

    @Override
    public ObjectNode capabilities() {
        return session.clientCapabilities();
    }

    /**
     * The session's {@code logging/setLevel}, else {@code debug}: in the session era a server sends the
     * log messages it likes until the client sets a level, so a 2026-07-28 upstream is asked for all.
     */
    @Override
    public String logLevel() {
        String level = session.logLevel();
        return level == null ? "debug" : level;
    }

    @Override
    public void onCancel(Runnable action) {
        if (clientRequestId != null) {
            session.inflight().put(clientRequestId, action);
        }
    }

    /** The call ended: it can no longer be cancelled. */
    void done() {
        if (clientRequestId != null) {
            session.inflight().remove(clientRequestId);
        }
    }
}
