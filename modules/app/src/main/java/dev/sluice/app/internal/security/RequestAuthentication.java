package dev.sluice.app.internal.security;

import dev.sluice.app.internal.http.JsonResponses;
import dev.sluice.core.Caller;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.RequestIds;
import dev.sluice.core.SluiceException;
import dev.sluice.observability.AuditEntry;
import dev.sluice.observability.AuditLog;
import dev.sluice.security.Authenticator;
import dev.sluice.security.Role;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Authenticates every request to the MCP endpoints and the REST API; health, metrics, the OpenAPI
 * document and the protected-resource metadata stay open. A request without credentials, or with
 * bad ones, gets 401 with {@code WWW-Authenticate: Bearer resource_metadata="…"} as the MCP
 * authorization specification describes, and a JSON-RPC error (MCP) or a problem document (REST)
 * that says why. The caller is left in the request attribute {@link #CALLER}.
 */
@ApplicationScoped
public class RequestAuthentication {
    public static final String CALLER = "dev.sluice.caller";
    static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

    @Inject
    Authenticator authenticator;

    @Inject
    AuditLog audit;

    @Inject
    dev.sluice.app.internal.pipeline.RequestMetrics metrics;

    @Inject
    @ConfigProperty(name = "sluice.security.anonymous-role")
    Optional<String> anonymousRole;

    @Inject
    @ConfigProperty(name = "sluice.security.public-url")
    Optional<String> publicUrl;

    private Caller anonymous;

    @PostConstruct
    void init() {
        anonymous = anonymousRole.filter(r -> !r.isBlank()).map(r -> Caller.ANONYMOUS.withRole(Role.parse(r).id()))
                .orElse(null);
    }

    /** The caller a filter left on the request; fails closed when there is none. */
    public static Caller caller(HttpServletRequest req) {
        Object caller = req.getAttribute(CALLER);
        if (caller instanceof Caller c) {
            return c;
        }
        throw new SluiceException(ErrorKind.UNAUTHENTICATED, "the request was not authenticated");
    }

    static boolean isProtected(String path) {
        return JsonResponses.isMcp(path) || path.startsWith("/api/");
    }

    /**
     * @return whether the request may go on; when not, the 401 has been written
     */
    public boolean admit(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI();
        if (!isProtected(path)) {
            return true;
        }
        String authorization = req.getHeader("Authorization");
        String apiKey = req.getHeader("X-API-Key");
        try {
            Optional<Caller> caller = authenticator.authenticate(authorization, apiKey);
            if (caller.isEmpty() && anonymous == null) {
                metrics.authenticationFailed("missing");
                refuse(req, resp, new SluiceException(ErrorKind.UNAUTHENTICATED, "authentication is required: send "
                        + "'Authorization: Bearer <token or API key>'"), false);
                return false;
            }
            req.setAttribute(CALLER, caller.orElse(anonymous));
            return true;
        } catch (SluiceException e) {
            if (e.kind() != ErrorKind.UNAUTHENTICATED) {
                throw e;
            }
            metrics.authenticationFailed("invalid");
            audit.record(new AuditEntry(RequestIds.next(), Instant.now(), null, null, null, null, null,
                    JsonResponses.isMcp(path) ? "mcp" : "rest", "authenticate", null, truncate(path), null, null,
                    "unauthenticated", e.data().map(d -> d.path("reason").asText(null)).orElse(null), 0, false,
                    req.getRemoteAddr()));
            refuse(req, resp, e, true);
            return false;
        }
    }

    private void refuse(HttpServletRequest req, HttpServletResponse resp, SluiceException e, boolean invalid)
            throws IOException {
        String path = req.getRequestURI();
        StringBuilder challenge = new StringBuilder("Bearer resource_metadata=\"")
                .append(baseUrl(req)).append(WELL_KNOWN).append(JsonResponses.isMcp(path) ? resourcePath(path) : "").append('"');
        if (invalid) {
            challenge.append(", error=\"invalid_token\", error_description=\"")
                    .append(e.detail().replace('"', '\'')).append('"');
        }
        resp.setHeader("WWW-Authenticate", challenge.toString());
        JsonResponses.error(req, resp, e);
    }

    /** The MCP resource a path belongs to: {@code /mcp} or {@code /mcp/<virtual server>}. */
    static String resourcePath(String path) {
        if (path.startsWith("/mcp/")) {
            String rest = path.substring(5);
            int slash = rest.indexOf('/');
            return "/mcp/" + (slash < 0 ? rest : rest.substring(0, slash));
        }
        return "/mcp";
    }

    /** The public base URL: configured, or as the client reached this node. */
    public String baseUrl(HttpServletRequest req) {
        if (publicUrl.isPresent() && !publicUrl.get().isBlank()) {
            String url = publicUrl.get().strip();
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
        int port = req.getServerPort();
        boolean defaultPort = ("http".equals(req.getScheme()) && port == 80) || ("https".equals(req.getScheme()) && port == 443);
        return req.getScheme() + "://" + req.getServerName() + (defaultPort ? "" : ":" + port);
    }

    private static String truncate(String s) {
        return s.length() > 512 ? s.substring(0, 512) : s;
    }
}
