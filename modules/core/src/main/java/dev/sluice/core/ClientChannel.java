package dev.sluice.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * The way back to the client whose call is in flight: notifications about the call (progress,
 * log messages) and requests the upstream makes of the client (sampling, elicitation, roots).
 * A REST call has no way back; {@link #NONE} refuses requests and drops notifications.
 */
public interface ClientChannel {

    /** Sends a notification to the client (already rewritten to the client's ids and tokens). */
    void notify(ObjectNode notification);

    /**
     * Sends a request to the client and waits for its answer.
     *
     * @return the client's whole JSON-RPC response (result or error), with the id Sluice chose
     * @throws SluiceException when the client cannot take requests or does not answer in time
     */
    ObjectNode request(String method, JsonNode params, Duration timeout);

    /** The client's capabilities from its initialize request (empty for REST). */
    ObjectNode capabilities();

    /**
     * Registers what to do when the client cancels this call: the upstream side uses it to pass the
     * cancellation on. Runs at most once; a channel that cannot be cancelled ignores it.
     */
    default void onCancel(Runnable action) {
    }

    /** How the call came in, for audit records and metrics: {@code mcp} or {@code rest}. */
    default String name() {
        return "mcp";
    }

    ClientChannel NONE = new ClientChannel() {
        @Override
        public void notify(ObjectNode notification) {
            // nowhere to send it
        }

        @Override
        public ObjectNode request(String method, JsonNode params, Duration timeout) {
            throw new SluiceException(ErrorKind.METHOD_NOT_FOUND,
                    "this client cannot answer '" + method + "' requests (no MCP session)");
        }

        @Override
        public ObjectNode capabilities() {
            return Json.object();
        }

        @Override
        public String name() {
            return "rest";
        }
    };
}
