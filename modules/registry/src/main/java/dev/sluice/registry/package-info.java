/**
 * The registry API: how federated names are formed ({@link dev.sluice.registry.QualifiedName})
 * today; the catalog, upstream connections and virtual servers as the MCP core lands.
 */
package dev.sluice.registry;
