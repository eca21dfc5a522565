package dev.sluice.registry;

/**
 * The catalog was reloaded (a CDI event). Connections to servers that changed or left are closed;
 * federated lists are refreshed.
 *
 * @param before the catalog that was in force
 * @param after the catalog now in force
 */
public record CatalogChanged(CatalogSnapshot before, CatalogSnapshot after) {
}
