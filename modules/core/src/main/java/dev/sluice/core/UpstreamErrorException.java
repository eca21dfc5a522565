package dev.sluice.core;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The upstream answered a call with a JSON-RPC error. Sluice passes that error to an MCP client as
 * it is (code, message, data); a REST caller gets a 502 problem naming the upstream's message.
 */
public class UpstreamErrorException extends SluiceException {
    private static final long serialVersionUID = 1L;

    private final transient ObjectNode error;

    public UpstreamErrorException(String server, ObjectNode error) {
        super(ErrorKind.UPSTREAM_ERROR, "upstream '" + server + "' answered with error "
                + error.path("code").asInt() + ": " + error.path("message").asText());
        this.error = error;
    }

    /** The upstream's JSON-RPC error object, verbatim. */
    public ObjectNode error() {
        return error;
    }
}
