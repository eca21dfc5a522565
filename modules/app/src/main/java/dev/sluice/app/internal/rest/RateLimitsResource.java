package dev.sluice.app.internal.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.security.RequestAuthentication;
import dev.sluice.cache.RateLimitDecision;
import dev.sluice.cache.RateLimitPolicy;
import dev.sluice.cache.RateLimiter;
import dev.sluice.core.Caller;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.ProblemDetail;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.Catalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's own rate-limit budgets: what is spent and when a slot frees up. Spends nothing. */
@Path("rate-limits")
@Tag(name = "rate-limits")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class RateLimitsResource {

    @Inject
    RateLimiter limiter;

    @Inject
    RateLimitPolicy policy;

    @Inject
    Catalog catalog;

    @GET
    @Operation(summary = "The caller's rate limits", description = "Each budget the caller's calls spend from (user, "
            + "organisation, and a tool's when server and tool are given): limit, window, used, remaining, and "
            + "seconds until the oldest counted call leaves the window.")
    @APIResponse(responseCode = "200", description = "The budgets")
    @APIResponse(responseCode = "400", description = "Only one of server and tool (invalid-params)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "404", description = "No such server in the catalog", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public ObjectNode status(
            @Parameter(description = "catalog name of the server; with tool, includes that tool's budget") @QueryParam("server") String server,
            @Parameter(description = "the upstream's tool name (needs server)") @QueryParam("tool") String tool,
            @Context HttpServletRequest request) {
        Caller caller = RequestAuthentication.caller(request);
        if ((server != null && !server.isBlank()) && (tool == null || tool.isBlank())) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS,
                    "'server' needs 'tool' (rate limits are per tool, not per server)");
        }
        ServerAndTool named = ServerAndTool.of(catalog, server, tool);
        ObjectNode out = Json.object();
        out.put("subject", caller.subject());
        out.put("enabled", policy.enabled());
        CacheResource.backend(out.putObject("backend"), limiter.health());
        ArrayNode budgets = out.putArray("limits");
        for (RateLimitDecision.Usage u : limiter.peek(policy.limitsFor(caller, named.server(), named.tool()))) {
            budgets.addObject().put("scope", u.limit().scope()).put("limit", u.limit().limit())
                    .put("windowSeconds", u.limit().window().toSeconds()).put("used", u.used())
                    .put("remaining", u.remaining()).put("resetSeconds", (u.reset().toMillis() + 999) / 1000);
        }
        return out;
    }
}
