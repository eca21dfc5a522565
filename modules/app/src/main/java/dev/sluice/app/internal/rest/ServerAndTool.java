package dev.sluice.app.internal.rest;

import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.Catalog;

/**
 * The {@code server} and {@code tool} query parameters of a call about one server or one of its tools,
 * blank ones taken as absent: a tool needs its server, and the server must be in the catalog.
 *
 * @param server the catalog name of the server, or null
 * @param tool the upstream's tool name, or null
 */
record ServerAndTool(String server, String tool) {

    /**
     * @throws SluiceException {@link ErrorKind#INVALID_PARAMS} for a tool without a server,
     *     {@link ErrorKind#UNKNOWN_SERVER} for a server the catalog does not have
     */
    static ServerAndTool of(Catalog catalog, String server, String tool) {
        String s = server == null || server.isBlank() ? null : server;
        String t = tool == null || tool.isBlank() ? null : tool;
        if (t != null && s == null) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'tool' needs 'server' (tool names are per server)");
        }
        if (s != null && catalog.current().server(s).isEmpty()) {
            throw new SluiceException(ErrorKind.UNKNOWN_SERVER, "no server named '" + s + "' in the catalog");
        }
        return new ServerAndTool(s, t);
    }
}
