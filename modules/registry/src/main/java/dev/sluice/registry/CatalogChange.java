package dev.sluice.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One change to the catalog made at run time (through the REST API or the admin UI), applied on top
 * of the catalog file on every node.
 *
 * @param id its place in the order of changes (increasing)
 * @param at when it was made
 * @param actor who made it
 * @param server the server it changes
 * @param kind what it does
 * @param definition the server's whole entry, in the catalog file's format, for {@link Kind#DEFINE};
 *     else null
 */
public record CatalogChange(long id, Instant at, String actor, String server, Kind kind, ObjectNode definition) {

    public enum Kind {
        /** Adds the server, or replaces its entry. */
        DEFINE,
        /** Sets {@code enabled: true}. */
        ENABLE,
        /** Sets {@code enabled: false}. */
        DISABLE,
        /** Removes a server that was added at run time. */
        DELETE
    }
}
