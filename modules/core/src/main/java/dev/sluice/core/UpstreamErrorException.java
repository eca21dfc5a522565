package dev.sluice.core;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The upstream answered a call with a JSON-RPC error. Sluice passes that error to an MCP client
 * (code, message, data) with every secret it knows masked in message and data; a REST caller gets a
 * 502 problem naming the upstream's message.
 */
public class UpstreamErrorException extends SluiceException {
    private static final long serialVersionUID = 1L;

    private final transient ObjectNode error;

    public UpstreamErrorException(String server, ObjectNode error) {
        this(server, masked(error), true);
    }

    private UpstreamErrorException(String server, ObjectNode masked, boolean unused) {
        super(ErrorKind.UPSTREAM_ERROR, "upstream '" + server + "' answered with error "
                + masked.path("code").asInt() + ": " + masked.path("message").asText());
        this.error = masked;
    }

    private static ObjectNode masked(ObjectNode error) {
        ObjectNode copy = error.deepCopy();
        SecretValues.maskIn(copy); // the message and every string of data, however deep
        return copy;
    }

    /** The upstream's JSON-RPC error object, its secrets masked. */
    public ObjectNode error() {
        return error;
    }
}
