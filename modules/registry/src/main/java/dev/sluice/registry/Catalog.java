package dev.sluice.registry;

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
}
