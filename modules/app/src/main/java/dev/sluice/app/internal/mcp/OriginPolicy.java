package dev.sluice.app.internal.mcp;

import dev.sluice.app.internal.security.AccessSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperties;

/**
 * DNS-rebinding protection for the MCP endpoint. A browser page on a hostile name that resolves to
 * Sluice's address sends {@code Host} and {@code Origin} with that hostile name, so same-origin alone
 * proves nothing: a request with an {@code Origin} is allowed only when the origin is in
 * {@code sluice.mcp.allowed-origins}, or when it is the origin of the host the request was sent to
 * and that host is an allowed host ({@code sluice.mcp.allowed-hosts}, loopback names by default).
 * A request without {@code Origin} (not a browser) is allowed, unless allowed hosts are configured
 * and its {@code Host} is not one of them.
 */
@ApplicationScoped
public class OriginPolicy {
    @Inject
    @ConfigProperties
    AccessSettings access;

    @Inject
    @ConfigProperties
    McpSettings mcp;

    /** Hosts allowed when none are configured: the loopback names. */
    static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "[::1]");

    /** Null when allowed, otherwise why not. */
    public String refusal(String origin, String host) {
        boolean configured = mcp.allowedHosts.isPresent() && !mcp.allowedHosts.get().isEmpty();
        boolean hostAllowed = hostAllowed(host, configured ? mcp.allowedHosts.get() : LOOPBACK);
        if (configured && !hostAllowed) {
            return "host '" + host + "' is not allowed";
        }
        if (origin == null || origin.isBlank()) {
            return null;
        }
        String o = origin.strip().toLowerCase(Locale.ROOT);
        if (mcp.allowedOrigins.isPresent() && mcp.allowedOrigins.get().stream()
                .map(s -> s.strip().toLowerCase(Locale.ROOT)).anyMatch(a -> a.equals(o) || a.equals("*"))) {
            return null;
        }
        if (access.corsOrigins.orElse(List.of()).stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).anyMatch(o::equals)) {
            return null;
        }
        try {
            URI u = URI.create(o);
            String authority = u.getAuthority();
            if (authority != null && host != null && authority.equals(host.toLowerCase(Locale.ROOT)) && hostAllowed) {
                return null;
            }
        } catch (IllegalArgumentException e) {
            return "origin '" + origin + "' is not a valid origin";
        }
        return "origin '" + origin + "' is not allowed";
    }

    private static boolean hostAllowed(String host, List<String> allowed) {
        String h = host == null ? "" : host.strip().toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        String bare = colon > 0 && (!h.startsWith("[") || h.indexOf(']') < colon) ? h.substring(0, colon) : h;
        return allowed.stream().map(a -> a.strip().toLowerCase(Locale.ROOT)).anyMatch(a -> a.equals(h) || a.equals(bare));
    }
}
