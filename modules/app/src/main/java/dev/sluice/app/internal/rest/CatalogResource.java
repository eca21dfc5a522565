package dev.sluice.app.internal.rest;

import dev.sluice.app.internal.http.RequestIdentity;
import dev.sluice.app.internal.security.AccessControl;
import dev.sluice.app.internal.security.RequestAuthentication;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.ProblemDetail;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.Catalog;
import dev.sluice.registry.CatalogSnapshot;
import dev.sluice.registry.VirtualServer;
import dev.sluice.core.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The catalog in force, its virtual servers, and reloading it. */
@Path("")
@Tag(name = "catalog")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class CatalogResource {

    @Inject
    Catalog catalog;

    /**
     * @param source where the catalog was loaded from
     * @param loadedAt when
     * @param servers how many servers it defines
     * @param virtualServers how many virtual servers
     */
    public record CatalogSummary(String source, Instant loadedAt, int servers, int virtualServers) {
        static CatalogSummary of(CatalogSnapshot s) {
            return new CatalogSummary(s.source(), s.loadedAt(), s.servers().size(), s.virtualServers().size());
        }
    }

    @GET
    @Path("catalog")
    @Operation(summary = "The catalog in force", description = "Where it came from, when, and its size.")
    @APIResponse(responseCode = "200", description = "The catalog", content = @Content(schema = @Schema(implementation = CatalogSummary.class)))
    public CatalogSummary get() {
        return CatalogSummary.of(catalog.current());
    }

    @POST
    @Path("catalog/reload")
    @Operation(summary = "Reload the catalog", description = "Reads the catalog file again. An invalid file is refused "
            + "with every problem named, and the catalog in force stays.")
    @APIResponse(responseCode = "200", description = "The reloaded catalog", content = @Content(schema = @Schema(implementation = CatalogSummary.class)))
    @APIResponse(responseCode = "400", description = "The file is invalid (invalid-catalog)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "403", description = "Only admins reload the catalog (forbidden)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public CatalogSummary reload(@Context HttpServletRequest request) {
        AccessControl.require(RequestAuthentication.caller(request), Role.ADMIN, "reloading the catalog");
        return CatalogSummary.of(catalog.reload());
    }

    @Inject
    CatalogVerification verification;

    @POST
    @Path("catalog/verify")
    @Produces({MediaType.APPLICATION_JSON, "text/markdown"})
    @Operation(summary = "Verify the catalog", description = "Starts every enabled server (or those named by 'server'), "
            + "lists its tools, resources and prompts, and makes its documented smoke call through the pipeline as the "
            + "caller. One row per server, with the count of tools reachable through Sluice. Ask for text/markdown "
            + "(Accept, or format=markdown) for a table.")
    @APIResponse(responseCode = "200", description = "The verification", content = @Content(schema = @Schema(
            implementation = CatalogVerification.Report.class)))
    @APIResponse(responseCode = "403", description = "Only admins verify the catalog (forbidden)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public Response verify(@Context HttpServletRequest request,
            @QueryParam("server") List<String> servers,
            @QueryParam("format") String format,
            @HeaderParam("Accept") String accept) {
        var caller = RequestAuthentication.caller(request);
        AccessControl.require(caller, Role.ADMIN, "verifying the catalog");
        Set<String> only = new LinkedHashSet<>(servers == null ? List.of() : servers);
        for (String name : only) {
            if (catalog.current().server(name).isEmpty()) {
                throw new SluiceException(ErrorKind.UNKNOWN_SERVER,
                        "no upstream server named '" + name + "' in the catalog");
            }
        }
        CatalogVerification.Report report = verification.verify(only, caller,
                RequestIdentity.of(request));
        boolean markdown = "markdown".equals(format) || (accept != null && accept.contains("text/markdown")
                && !accept.contains(MediaType.APPLICATION_JSON));
        return markdown
                ? Response.ok(CatalogVerification.markdown(report), "text/markdown;charset=utf-8").build()
                : Response.ok(report, MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("virtual-servers")
    @Operation(summary = "Virtual servers", description = "The named subsets served at /mcp/{name}.")
    @APIResponse(responseCode = "200", description = "The virtual servers", content = @Content(schema = @Schema(implementation = VirtualServer[].class)))
    public List<VirtualServer> virtualServers() {
        return catalog.current().virtualServers();
    }
}
