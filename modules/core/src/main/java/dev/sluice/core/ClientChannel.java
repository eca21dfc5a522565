package dev.sluice.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /**
     * Asks the client several things at once (one {@code input_required} of a 2026-07-28 upstream),
     * each under the upstream's own key: a stateless client gets them in one round under the same
     * keys; a session client gets one request each. By default, one request after the other.
     *
     * @param requests key to {@code {"method": …, "params": …}}, in the upstream's order
     * @return key to the client's whole JSON-RPC response
     */
    default Map<String, ObjectNode> requestAll(Map<String, ObjectNode> requests, Duration timeout) {
        Map<String, ObjectNode> answers = new LinkedHashMap<>();
        requests.forEach((key, r) -> answers.put(key, request(r.path("method").asText(), r.get("params"), timeout)));
        return answers;
    }

    /**
     * The least level of log messages the client wants (a 2026-07-28 {@code _meta} logLevel, a session's
     * {@code logging/setLevel}); null when it wants none.
     */
    default String logLevel() {
        return null;
    }

    /**
     * Whether the client can follow a task up through Sluice ({@code tasks/get}, {@code tasks/update},
     * {@code tasks/cancel} of 2026-07-28): only then is the tasks extension it declares passed upstream.
     */
    default boolean followsTasks() {
        return false;
    }

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

    /**
     * An MCP client that is not waiting on this call (a subscription a listen stream asked for, a
     * session's log level passed on): it cannot be asked anything, and the call is recorded as MCP's.
     */
    static ClientChannel unattended(String name) {
        return new ClientChannel() {
            @Override
            public void notify(ObjectNode notification) {
                // nobody waits on this call
            }

            @Override
            public ObjectNode request(String method, JsonNode params, Duration timeout) {
                return NONE.request(method, params, timeout);
            }

            @Override
            public ObjectNode capabilities() {
                return Json.object();
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
