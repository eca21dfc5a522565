package dev.sluice.registry.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** Moves JSON-RPC messages to and from one upstream server; the MCP logic sits above it. */
interface MessageTransport {

    /** Receives what the upstream sends. */
    interface Listener {
        /**
         * @param message a JSON-RPC message from the upstream
         * @param relatedRequestId the id of Sluice's request on whose response stream it came, or null
         */
        void onMessage(ObjectNode message, String relatedRequestId);

        /**
         * A request of Sluice's could not reach the upstream or its answer could not be read (a
         * refused connection, an HTTP error without a JSON-RPC body): the upstream is unavailable
         * for this request, which is not the same as the upstream answering with an error.
         */
        void onRequestFailed(String requestId, String why);

        /** The connection ended; {@code cause} says why (null for a close Sluice asked for). */
        void onClosed(Throwable cause);
    }

    void start(Listener listener) throws IOException;

    void send(ObjectNode message) throws IOException;

    /** The negotiated protocol version, for transports that send it in a header. */
    default void protocolVersion(String version) {
    }

    /**
     * Speak protocol 2026-07-28 from now on (or stop, after a probe the upstream did not answer):
     * every request complete in itself, no session, no stream of unprompted messages.
     */
    default void stateless(boolean on) {
    }

    /**
     * Cancels a request of protocol 2026-07-28 the way its transport does: an HTTP transport closes
     * the request's response stream.
     *
     * @return false when this transport cancels with a {@code notifications/cancelled} message instead
     */
    default boolean cancel(String requestId) {
        return false;
    }

    void close();

    /** What it connects to, for status and logs (never a secret). */
    String describe();
}
