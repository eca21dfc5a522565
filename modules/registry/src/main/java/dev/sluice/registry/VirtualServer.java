package dev.sluice.registry;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named subset of the federation served at {@code /mcp/{name}}: the servers it draws from and
 * the federated names it exposes.
 *
 * @param name the path segment
 * @param description what it is for
 * @param servers the upstream servers it draws from (all enabled servers when empty)
 * @param include glob patterns ({@code *}, {@code ?}) over federated tool and prompt names; empty or
 *     {@code ["*"]} for everything
 * @param prefixed whether names carry the {@code server__} prefix; false only makes sense with a
 *     single server
 */
public record VirtualServer(String name, String description, List<String> servers, List<String> include,
        boolean prefixed) {

    /** The virtual server at {@code /mcp}: every enabled server, every name, prefixed. */
    public static final String DEFAULT_NAME = "";

    public VirtualServer {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        servers = List.copyOf(servers == null ? List.of() : servers);
        include = List.copyOf(include == null ? List.of() : include);
    }

    public static VirtualServer everything() {
        return new VirtualServer(DEFAULT_NAME, "every enabled upstream server", List.of(), List.of(), true);
    }

    public boolean drawsFrom(String server) {
        return servers.isEmpty() || servers.contains(server);
    }

    /** Whether a federated (prefixed) name is among those this virtual server exposes. */
    public boolean includes(String federatedName) {
        if (include.isEmpty()) {
            return true;
        }
        for (String glob : include) {
            if (globToRegex(glob).matcher(federatedName).matches()) {
                return true;
            }
        }
        return false;
    }

    private static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
