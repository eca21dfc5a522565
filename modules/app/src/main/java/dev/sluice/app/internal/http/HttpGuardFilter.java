package dev.sluice.app.internal.http;

import dev.sluice.app.internal.security.AccessSettings;
import dev.sluice.app.internal.security.RequestAuthentication;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperties;

/**
 * The first thing every request meets. It sets the security headers on every response, answers
 * CORS from the configured allow-list only (no wildcard; a preflight from any other origin is
 * refused with 403), refuses a body whose declared length is over the limit with 413, before
 * anything reads it, hands the request on with a body that cannot be read past the limit
 * ({@link BoundedRequest}: a chunked body over it is answered 413 too), and authenticates the
 * request ({@link RequestAuthentication}). Paths are decided decoded and normalised
 * ({@link RequestPaths}).
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true, filterName = "sluice-http-guard")
public class HttpGuardFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, Accept, Mcp-Session-Id, MCP-Protocol-Version, "
            + "Last-Event-ID, X-Request-Id";
    static final String EXPOSED_HEADERS = "Mcp-Session-Id, X-Request-Id, Retry-After, WWW-Authenticate";
    /** The OpenAPI UI page runs inline scripts of its own; everything else gets the strict policy. */
    static final String STRICT_CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    static final String UI_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; frame-ancestors 'none'";
    /** The admin UI: its own scripts and styles only (no inline ones), images also as data: URLs. */
    static final String ADMIN_CSP = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
            + "form-action 'self'";

    @Inject
    transient RequestAuthentication authentication;

    @Inject
    @ConfigProperties
    transient AccessSettings access;

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        RequestIdentity.assign(req, resp);
        String path = RequestPaths.of(req);
        headers(req, resp, path);
        if (path.equals("/admin")) { // the UI's relative URLs need the slash
            resp.sendRedirect("/admin/");
            return;
        }
        String origin = req.getHeader("Origin");
        boolean allowed = origin != null && allowed(origin);
        if ("OPTIONS".equals(req.getMethod()) && req.getHeader("Access-Control-Request-Method") != null) {
            if (!allowed) {
                JsonResponses.error(req, resp, new SluiceException(ErrorKind.FORBIDDEN_ORIGIN, "cross-origin requests from '"
                        + origin + "' are not allowed (sluice.security.cors.allowed-origins)"));
                return;
            }
            resp.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
            resp.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            resp.setHeader("Access-Control-Max-Age", "600");
            resp.setStatus(204);
            return;
        }
        // a chunked body (or one without a declared length) cannot be read past the limit either
        BoundedRequest bounded = new BoundedRequest(req, access.maxBodyBytes);
        long length = req.getContentLengthLong();
        if (length > access.maxBodyBytes) {
            tooLarge(bounded, resp, "the body has " + length + " bytes; the limit is " + access.maxBodyBytes
                    + " (sluice.security.max-body-bytes)");
            return;
        }
        if (!authentication.admit(bounded, resp)) {
            return;
        }
        try {
            chain.doFilter(bounded, resp);
        } catch (IOException | ServletException | RuntimeException e) {
            if (BodyTooLargeException.find(e) == null || resp.isCommitted()) {
                throw e;
            }
            resp.reset();
            headers(req, resp, path);
            tooLarge(bounded, resp, BodyTooLargeException.find(e).getMessage());
            return;
        }
        if (Boolean.TRUE.equals(bounded.getAttribute(BoundedRequest.EXCEEDED)) && !resp.isCommitted()) {
            if (resp.getStatus() != 413) { // whatever answered did not see why the body could not be read
                resp.reset();
                headers(req, resp, path);
                tooLarge(bounded, resp, new BodyTooLargeException(access.maxBodyBytes).getMessage());
            } else {
                resp.setHeader("Connection", "close");
            }
        }
    }

    /**
     * 413, closing the connection: the rest of the body is not read (a container would otherwise read
     * it to reuse the connection).
     */
    private static void tooLarge(HttpServletRequest req, HttpServletResponse resp, String detail) throws IOException {
        resp.setHeader("Connection", "close");
        JsonResponses.error(req, resp, new SluiceException(ErrorKind.PAYLOAD_TOO_LARGE, detail));
    }

    /** The headers every response carries (set again when a response is reset). */
    private void headers(HttpServletRequest req, HttpServletResponse resp, String path) {
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("Content-Security-Policy", path.startsWith("/openapi/ui") ? UI_CSP
                : path.startsWith("/admin") ? ADMIN_CSP : STRICT_CSP);
        if (path.startsWith("/admin/")) {
            resp.setHeader("Cache-Control", "no-cache"); // revalidated, so a new build shows at once
        }
        if (req.isSecure()) {
            resp.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        }
        String origin = req.getHeader("Origin");
        if (origin != null && allowed(origin)) {
            resp.setHeader("Access-Control-Allow-Origin", origin);
            resp.setHeader("Access-Control-Allow-Credentials", "true");
            resp.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        }
        if (origin != null) {
            resp.addHeader("Vary", "Origin");
        }
        resp.setHeader(RequestIdentity.HEADER, RequestIdentity.of(req));
    }

    private boolean allowed(String origin) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        return access.corsOrigins.orElse(List.of()).stream()
                .map(a -> a.strip().toLowerCase(Locale.ROOT))
                .anyMatch(o::equals);
    }
}
