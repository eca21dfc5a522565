package dev.sluice.app.internal.security;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.http.JsonResponses;
import dev.sluice.app.internal.http.RequestIdentity;
import dev.sluice.app.internal.http.RequestPaths;
import dev.sluice.core.Caller;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.RequestIds;
import dev.sluice.core.SluiceException;
import dev.sluice.observability.AuditEntry;
import dev.sluice.observability.AuditLog;
import dev.sluice.observability.CallMetrics;
import dev.sluice.security.Authenticator;
import dev.sluice.core.Role;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperties;

/**
 * Authenticates every request to the MCP endpoints and the REST API; health, metrics, the OpenAPI
 * document and the protected-resource metadata stay open. A request without credentials, or with
 * bad ones, gets 401 with {@code WWW-Authenticate: Bearer resource_metadata="…"} as the MCP
 * authorization specification describes, and a JSON-RPC error (MCP) or a problem document (REST)
 * that says why. The caller is left in the request attribute {@link #CALLER}. Which requests need
 * credentials is decided on the decoded, normalised path ({@link RequestPaths}), never the raw URI.
 * An address with too many failed authentications in a window is answered 429 before its
 * credentials are looked at, and only the first of its failures in a window are audited one by one,
 * the rest in one summary ({@link FailedAuthentications}).
 */
@ApplicationScoped
public class RequestAuthentication {
    public static final String CALLER = "dev.sluice.caller";
    /** The error type of an audit summary of failed authentications. */
    static final String REPEATED = "repeated-failures";
    private static final Logger LOG = Logger.getLogger(RequestAuthentication.class.getName());
    static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

    @Inject
    @ConfigProperties
    AccessSettings access;

    @Inject
    Authenticator authenticator;

    @Inject
    AuditLog audit;

    @Inject
    CallMetrics metrics;

    /** The container's scheduler, which audits the summaries of ended windows. */
    @Resource
    ManagedScheduledExecutorService scheduler;
    private Caller anonymous;
    private FailedAuthentications failures;
    private ScheduledFuture<?> summaries;

    @PostConstruct
    void init() {
        anonymous = access.anonymousRole.filter(r -> !r.isBlank()).map(r -> Caller.ANONYMOUS.withRole(Role.parse(r).id()))
                .orElse(null);
        failures = new FailedAuthentications(access.failureLimit, access.failureWindow, access.failuresAudited, Clock.systemUTC());
        long every = Math.max(1000, Math.min(failures.window().toMillis(), 10_000));
        summaries = scheduler.scheduleWithFixedDelay(this::auditSummaries, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        summaries.cancel(false); // the container's scheduler is not ours to shut down
        auditSummaries(failures.drain(Instant.MAX));
    }

    private void auditSummaries() {
        try {
            auditSummaries(failures.drain());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not audit the failed authentications of the last window", e);
        }
    }

    /**
     * One audit record per address and window whose failures were not all recorded one by one: what
     * {@code arguments} holds is documented in the security page (failed-authentication throttle).
     */
    private void auditSummaries(List<FailedAuthentications.Summary> ended) {
        for (FailedAuthentications.Summary s : ended) {
            ObjectNode counts = Json.object()
                    .put("failures", s.failures())
                    .put("recordedOneByOne", s.failures() - s.unrecorded())
                    .put("unrecorded", s.unrecorded())
                    .put("refusedUnread", s.throttled())
                    .put("from", s.from().toString())
                    .put("until", s.until().toString());
            // a summary of many requests: an id of its own
            audit.record(AuditEntry.ofRefusedAuthentication(RequestIds.next(), s.from(), "http", null, REPEATED,
                    Json.write(counts), s.address()));
        }
    }

    /** The caller a filter left on the request; fails closed when there is none. */
    public static Caller caller(HttpServletRequest req) {
        Object caller = req.getAttribute(CALLER);
        if (caller instanceof Caller c) {
            return c;
        }
        throw new SluiceException(ErrorKind.UNAUTHENTICATED, "the request was not authenticated");
    }

    /**
     * @return whether the request may go on; when not, the 401 (or the 429 of an address with too
     *     many failed authentications) has been written
     */
    public boolean admit(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!RequestPaths.isProtected(req)) {
            return true;
        }
        String address = req.getRemoteAddr();
        String authorization = req.getHeader("Authorization");
        String apiKey = req.getHeader("X-API-Key");
        // a request without a credential guesses nothing and costs no lookup: 401 even while throttled
        boolean credential = authorization != null || apiKey != null;
        Duration wait = credential ? failures.throttled(address) : Duration.ZERO;
        if (!wait.isZero()) {
            metrics.authenticationFailed("throttled");
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            resp.setHeader("Retry-After", Long.toString(seconds));
            JsonResponses.error(req, resp, new SluiceException(ErrorKind.RATE_LIMITED, "too many failed "
                    + "authentications from this address; try again in " + seconds + " s (sluice.security.auth-failures.limit)",
                    Json.object().put("scope", "authentication").put("limit", access.failureLimit)
                            .put("windowSeconds", failures.window().toSeconds()).put("retryAfterSeconds", seconds), null));
            return false;
        }
        String path = req.getRequestURI();
        try {
            Optional<Caller> caller = authenticator.authenticate(authorization, apiKey, resources(req));
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
            if (failures.failed(address)) {
                audit.record(AuditEntry.ofRefusedAuthentication(RequestIdentity.of(req), Instant.now(),
                        RequestPaths.isMcp(req) ? "mcp" : "rest", truncate(path),
                        e.data().map(d -> d.path("reason").asText(null)).orElse(null), null, address));
            }
            refuse(req, resp, e, true);
            return false;
        }
    }

    /**
     * The URLs of the resource a request is for, as the protected-resource metadata names them: the
     * gateway ({@code <base>}, {@code <base>/mcp}) and, on a virtual server, {@code <base>/mcp/<name>}.
     * A token's audience must be one of them when {@code mp.jwt.verify.audiences} is not set.
     */
    Set<String> resources(HttpServletRequest req) {
        String base = baseUrl(req);
        String path = RequestPaths.of(req);
        Set<String> resources = new LinkedHashSet<>(List.of(base, base + "/", base + "/mcp"));
        if (JsonResponses.isMcp(path) && path.startsWith("/mcp")) {
            resources.add(base + resourcePath(path));
        }
        return resources;
    }

    private void refuse(HttpServletRequest req, HttpServletResponse resp, SluiceException e, boolean invalid)
            throws IOException {
        String path = RequestPaths.of(req);
        StringBuilder challenge = new StringBuilder("Bearer resource_metadata=\"")
                .append(baseUrl(req)).append(WELL_KNOWN).append(RequestPaths.isMcp(req) ? resourcePath(path) : "").append('"');
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
        if (access.publicUrl.isPresent() && !access.publicUrl.get().isBlank()) {
            String url = access.publicUrl.get().strip();
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
