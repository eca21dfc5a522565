package dev.sluice.registry;

/**
 * Where a federated name leads.
 *
 * @param server the upstream's catalog name
 * @param name the upstream's own name (tool, prompt) or URI (resource)
 */
public record Route(String server, String name) {
}
