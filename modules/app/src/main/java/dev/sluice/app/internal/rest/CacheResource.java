package dev.sluice.app.internal.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.http.RequestIdentity;
import dev.sluice.app.internal.security.AccessControl;
import dev.sluice.app.internal.security.RequestAuthentication;
import dev.sluice.cache.BackendHealth;
import dev.sluice.cache.CacheStats;
import dev.sluice.cache.ResultCache;
import dev.sluice.core.Caller;
import dev.sluice.core.Json;
import dev.sluice.core.ProblemDetail;
import dev.sluice.observability.AuditEntry;
import dev.sluice.observability.AuditLog;
import dev.sluice.registry.Catalog;
import dev.sluice.core.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
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

/** The result cache, for admins: what it holds and how well it answers, and invalidation. */
@Path("cache")
@Tag(name = "cache")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class CacheResource {

    @Inject
    ResultCache cache;

    @Inject
    Catalog catalog;

    @Inject
    AuditLog audit;

    @GET
    @Operation(summary = "Cache statistics", description = "Entries held (in Redis: across every node), and this "
            + "node's hits, misses, stale answers and stores since it started, in total and per server and tool; "
            + "which store answers (redis or in-process) and whether the configured one is degraded.")
    @APIResponse(responseCode = "200", description = "The statistics")
    @APIResponse(responseCode = "403", description = "Not an admin (forbidden)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public ObjectNode stats(@Context HttpServletRequest request) {
        AccessControl.require(RequestAuthentication.caller(request), Role.ADMIN, "reading cache statistics");
        CacheStats stats = cache.stats();
        ObjectNode out = Json.object();
        backend(out.putObject("backend"), stats.backend());
        out.put("entries", stats.entries());
        out.put("hits", stats.hits());
        out.put("misses", stats.misses());
        out.put("hitRatio", round(stats.hitRatio()));
        out.put("staleServed", stats.staleServed());
        out.put("stores", stats.stores());
        out.put("tooLarge", stats.tooLarge());
        out.put("invalidations", stats.invalidations());
        out.put("maxEntryBytes", cache.maxEntryBytes());
        ArrayNode tools = out.putArray("tools");
        for (CacheStats.ToolStats t : stats.tools()) {
            tools.addObject().put("server", t.server()).put("tool", t.tool()).put("hits", t.hits())
                    .put("misses", t.misses()).put("hitRatio", round(t.hitRatio())).put("staleServed", t.staleServed())
                    .put("stores", t.stores()).put("tooLarge", t.tooLarge());
        }
        return out;
    }

    @DELETE
    @Operation(summary = "Invalidate cached results", description = "Drops the entries of one server, of one of its "
            + "tools, or (with neither) every entry; on every node that shares the cache.")
    @APIResponse(responseCode = "200", description = "What was invalidated")
    @APIResponse(responseCode = "400", description = "A tool without a server (invalid-params)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "403", description = "Not an admin (forbidden)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "404", description = "No such server in the catalog", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public ObjectNode invalidate(
            @Parameter(description = "catalog name of the server") @QueryParam("server") String server,
            @Parameter(description = "the upstream's tool name (needs server)") @QueryParam("tool") String tool,
            @Context HttpServletRequest request) {
        Caller caller = RequestAuthentication.caller(request);
        AccessControl.require(caller, Role.ADMIN, "invalidating the cache");
        ServerAndTool named = ServerAndTool.of(catalog, server, tool);
        boolean hasServer = named.server() != null;
        boolean hasTool = named.tool() != null;
        String target;
        if (!hasServer) {
            cache.clear();
            target = "*";
        } else {
            cache.invalidate(named.server(), named.tool());
            target = hasTool ? named.server() + "/" + named.tool() : named.server();
        }
        audit.record(AuditEntry.ofAction(RequestIdentity.of(request), caller, "rest", "cache/invalidate",
                named.server(), target, null, request.getRemoteAddr()));
        return Json.object().put("invalidated", target);
    }

    /** A store's state as REST shows it, in {@code /cache} and {@code /rate-limits} alike. */
    static void backend(ObjectNode node, BackendHealth health) {
        node.put("configured", health.configured());
        node.put("active", health.active());
        node.put("degraded", health.degraded());
        if (health.detail() != null) {
            node.put("detail", health.detail());
        }
        if (health.since() != null) {
            node.put("since", health.since().toString());
        }
    }

    private static double round(double ratio) {
        return Math.round(ratio * 10_000) / 10_000.0;
    }
}
