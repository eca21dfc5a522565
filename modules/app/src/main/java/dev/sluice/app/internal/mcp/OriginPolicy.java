package dev.sluice.app.internal.mcp;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * DNS-rebinding protection for the MCP endpoint. A request with an {@code Origin} header is allowed
 * only when the origin is in {@code sluice.mcp.allowed-origins} or is the same host the request was
 * sent to; a request without one (a non-browser client) is allowed. When
 * {@code sluice.mcp.allowed-hosts} is set, the {@code Host} header must be one of them.
 */
@ApplicationScoped
public class OriginPolicy {

    @Inject
    @ConfigProperty(name = "sluice.mcp.allowed-origins")
    Optional<List<String>> allowedOrigins;

    @Inject
    @ConfigProperty(name = "sluice.mcp.allowed-hosts")
    Optional<List<String>> allowedHosts;

    /** Null when allowed, otherwise why not. */
    String refusal(String origin, String host) {
        if (allowedHosts.isPresent() && !allowedHosts.get().isEmpty()) {
            String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
            String bare = h.contains(":") && !h.startsWith("[") ? h.substring(0, h.lastIndexOf(':')) : h;
            if (allowedHosts.get().stream().map(s -> s.strip().toLowerCase(Locale.ROOT))
                    .noneMatch(a -> a.equals(h) || a.equals(bare))) {
                return "host '" + host + "' is not allowed";
            }
        }
        if (origin == null || origin.isBlank()) {
            return null;
        }
        String o = origin.strip().toLowerCase(Locale.ROOT);
        if (allowedOrigins.isPresent() && allowedOrigins.get().stream()
                .map(s -> s.strip().toLowerCase(Locale.ROOT)).anyMatch(a -> a.equals(o) || a.equals("*"))) {
            return null;
        }
        try {
            URI u = URI.create(o);
            String authority = u.getAuthority();
            if (authority != null && host != null && authority.equals(host.toLowerCase(Locale.ROOT))) {
                return null;
            }
        } catch (IllegalArgumentException e) {
            return "origin '" + origin + "' is not a valid origin";
        }
        return "origin '" + origin + "' is not allowed";
    }
}
