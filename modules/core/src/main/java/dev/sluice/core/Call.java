package dev.sluice.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One call through the pipeline: a tool call, a resource read or a prompt get, from MCP or REST.
 *
 * @param requestId the id of the HTTP request it came in (also in the audit record and logs)
 * @param kind what the call does upstream
 * @param caller who makes it
 * @param server the catalog name of the upstream server
 * @param target the upstream's own name: tool name, resource URI or prompt name
 * @param params the params to send upstream ({@code arguments}, {@code _meta} and anything else the
 *     client sent, with the federated name replaced by the upstream's own)
 * @param channel the way back to the client
 * @param definition the target as its upstream lists it (a tool's {@code inputSchema} and
 *     {@code annotations}, say), or null when not known
 */
public record Call(String requestId, CallKind kind, Caller caller, String server, String target,
        ObjectNode params, ClientChannel channel, ObjectNode definition) {
    public Call {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(params, "params");
        channel = channel == null ? ClientChannel.NONE : channel;
    }

    /** The tool's arguments (an empty object when the client sent none). */
    public ObjectNode arguments() {
        return params.get("arguments") instanceof ObjectNode a ? a : Json.object();
    }
}
