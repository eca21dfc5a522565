package dev.sluice.registry;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The catalog as loaded at one moment: immutable, validated, with secrets still as references.
 *
 * @param separator what joins a server name and an upstream name in federated names
 * @param servers every server definition, in file order
 * @param virtualServers the named subsets, in file order
 * @param source where it was loaded from
 * @param loadedAt when
 */
public record CatalogSnapshot(String separator, List<ServerDefinition> servers, List<VirtualServer> virtualServers,
        String source, Instant loadedAt) {

    public CatalogSnapshot {
        Objects.requireNonNull(separator, "separator");
        servers = List.copyOf(servers);
        virtualServers = List.copyOf(virtualServers);
    }

    public Optional<ServerDefinition> server(String name) {
        return servers.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<VirtualServer> virtualServer(String name) {
        if (VirtualServer.DEFAULT_NAME.equals(name)) {
            return Optional.of(VirtualServer.everything());
        }
        return virtualServers.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    public Map<String, ServerDefinition> enabledServers() {
        Map<String, ServerDefinition> enabled = new LinkedHashMap<>();
        servers.stream().filter(ServerDefinition::enabled).forEach(s -> enabled.put(s.name(), s));
        return enabled;
    }
}
