package dev.sluice.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import java.util.Optional;

/**
 * The catalog of upstream servers. It is configuration: loaded from a YAML file at start, reloaded
 * when the file changes or on request; a reload that fails validation keeps the previous catalog.
 */
public interface Catalog {

    /** The catalog in force. */
    CatalogSnapshot current();

    /**
     * Loads the catalog source again.
     *
     * @throws dev.sluice.core.SluiceException of kind {@code INVALID_CATALOG} naming every bad entry
     *     and field; the previous catalog stays in force
     */
    CatalogSnapshot reload();

    /**
     * One server's entry as the catalog file writes it, with the run-time changes applied (secrets
     * stay references such as {@code ${env:TOKEN}}).
     */
    default Optional<ObjectNode> entry(String server) {
        return Optional.empty();
    }

    /** Where a server's entry comes from: {@code catalog} (the file) or {@code api} (added at run time). */
    default String origin(String server) {
        return "catalog";
    }

    /**
     * Whether a server's entry in force was defined through the API (added, or a file entry replaced)
     * rather than by the catalog file: such an entry may run only allow-listed commands and refer only
     * to allow-listed environment variables and files.
     */
    default boolean definedAtRunTime(String server) {
        return false;
    }

    /** The newest run-time change of a server, if any. */
    default Optional<CatalogChange> lastChange(String server) {
        return Optional.empty();
    }

    /**
     * Changes the catalog at run time: the change is applied to the catalog in force and validated as a
     * whole, recorded for every node, and the catalog reloads.
     *
     * @param definition the whole entry for {@link CatalogChange.Kind#DEFINE}, else ignored
     * @throws dev.sluice.core.SluiceException {@code INVALID_CATALOG} (naming each problem, also as
     *     {@code errors} in its data) when the result would not be valid, {@code UNKNOWN_SERVER} for a
     *     server that is not there, {@code CONFLICT} to delete a server of the catalog file
     */
    default CatalogSnapshot change(String server, CatalogChange.Kind kind, ObjectNode definition, String actor,
            String requestId) {
        throw new SluiceException(ErrorKind.UNAVAILABLE,
                "this catalog cannot be changed at run time");
    }
}
