package dev.sluice.app.internal.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.http.RequestIdentity;
import dev.sluice.app.internal.pipeline.Calls;
import dev.sluice.app.internal.pipeline.ToolCallPipeline;
import dev.sluice.app.internal.security.AccessControl;
import dev.sluice.app.internal.security.RequestAuthentication;
import dev.sluice.core.Call;
import dev.sluice.core.CallKind;
import dev.sluice.core.Caller;
import dev.sluice.core.ClientChannel;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.ProblemDetail;
import dev.sluice.core.SluiceException;
import dev.sluice.observability.AuditEntry;
import dev.sluice.observability.AuditLog;
import dev.sluice.registry.Catalog;
import dev.sluice.registry.CatalogChange;
import dev.sluice.registry.Federation;
import dev.sluice.registry.HealthCheck;
import dev.sluice.registry.QualifiedName;
import dev.sluice.registry.Route;
import dev.sluice.registry.ServerDefinition;
import dev.sluice.registry.UpstreamStatus;
import dev.sluice.registry.Upstreams;
import dev.sluice.registry.VirtualServer;
import dev.sluice.core.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;


/** The upstream servers of the catalog, their status, and tool calls addressed to one of them. */
@Path("servers")
@Tag(name = "servers")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class ServersResource {

    @Inject
    Catalog catalog;

    @Inject
    Upstreams upstreams;

    @Inject
    Federation federation;

    @Inject
    ToolCallPipeline pipeline;

    @Inject
    Calls calls;

    @Inject
    AuditLog audit;

    /**
     * One upstream server: its catalog entry (secrets only as references) and its connection.
     *
     * @param name catalog name
     * @param description what it is for
     * @param tier the plan's tier
     * @param category its category
     * @param enabled whether Sluice uses it
     * @param transport stdio, streamable-http or sse
     * @param protocol the era the catalog says it speaks: auto, session or stateless
     * @param status the connection on this node
     * @param origin {@code catalog} (the catalog file) or {@code api} (added at run time)
     * @param changedAt when it was last changed at run time (defined, enabled or disabled), or null
     * @param changedBy who changed it then, or null
     */
    public record ServerView(String name, String description, int tier, String category, boolean enabled,
            String transport, String protocol, UpstreamStatus status, String origin, Instant changedAt,
            String changedBy) {
    }

    private ServerView view(ServerDefinition def) {
        Optional<CatalogChange> last = catalog.lastChange(def.name());
        return new ServerView(def.name(), def.description(), def.tier(), def.category(), def.enabled(),
                def.transport().kind(), def.protocol().name().toLowerCase(Locale.ROOT),
                upstreams.status(def.name()), catalog.origin(def.name()), last.map(CatalogChange::at).orElse(null),
                last.map(CatalogChange::actor).orElse(null));
    }

    @GET
    @Operation(summary = "List upstream servers", description = "Every server of the catalog with its connection status on this node.")
    @APIResponse(responseCode = "200", description = "The servers", content = @Content(
            schema = @Schema(implementation = ServerView[].class),
            examples = @ExampleObject(name = "one server", value = "[{\"name\":\"everything\",\"description\":\"MCP reference server\","
                    + "\"tier\":0,\"category\":\"reference\",\"enabled\":true,\"transport\":\"stdio\",\"protocol\":\"auto\",\"status\":{\"server\":"
                    + "\"everything\",\"state\":\"UP\",\"transport\":\"stdio: npx\",\"restarts\":0}}]")))
    public List<ServerView> list() {
        return catalog.current().servers().stream().map(this::view).toList();
    }

    @GET
    @Path("{server}")
    @Operation(summary = "One upstream server", description = "Its catalog entry and connection status.")
    @APIResponse(responseCode = "200", description = "The server", content = @Content(schema = @Schema(implementation = ServerView.class)))
    @APIResponse(responseCode = "404", description = "No such server (unknown-server)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public ServerView get(@PathParam("server") String server) {
        return view(definition(server));
    }

    private ServerDefinition definition(String server) {
        return catalog.current().server(server).orElseThrow(() -> unknown(server));
    }

    private static SluiceException unknown(String server) {
        return new SluiceException(ErrorKind.UNKNOWN_SERVER, "no upstream server named '" + server + "' in the catalog");
    }

    @GET
    @Path("{server}/definition")
    @Operation(summary = "One server's catalog entry", description = "The entry as the catalog file writes it (YAML keys, "
            + "as JSON), with run-time changes applied; secrets stay references such as ${env:TOKEN}. Admins only.")
    @APIResponse(responseCode = "200", description = "The entry", content = @Content(examples = @ExampleObject(name = "stdio",
            value = "{\"name\":\"memory\",\"description\":\"A knowledge graph\",\"transport\":\"stdio\",\"command\":\"npx\","
                    + "\"args\":[\"-y\",\"@modelcontextprotocol/server-memory\"]}")))
    @APIResponse(responseCode = "403", description = "Only admins read entries (forbidden)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "404", description = "No such server (unknown-server)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public JsonNode entry(@PathParam("server") String server, @Context HttpServletRequest request) {
        AccessControl.require(RequestAuthentication.caller(request), Role.ADMIN, "reading a catalog entry");
        return catalog.entry(server).orElseThrow(() -> unknown(server));
    }

    @PUT
    @Path("{server}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add or change a server", description = "The body is the server's whole entry in the catalog "
            + "file's format (as JSON). The catalog with the change must be valid as a whole; every problem is named, "
            + "also one by one in 'errors' ({server, field, message}). The change is kept in the database, applies on "
            + "every node within sluice.registry.catalog-poll, survives restarts, and is audited (catalog/define). "
            + "Admins only; a stdio server (a process on Sluice's host) owners only, and only with an executable of "
            + "sluice.registry.run-time.commands (none by default). ${env:} references only to variables starting with "
            + "sluice.registry.run-time.env-prefixes (SLUICE_UPSTREAM_), ${file:} only under sluice.registry.run-time.file-prefixes; "
            + "a sealed value only in the entry and field it was sealed for; URLs never link-local or metadata addresses.")
    @RequestBody(description = "The entry", content = @Content(examples = @ExampleObject(name = "http", value =
            "{\"description\":\"Our warehouse's MCP server\",\"category\":\"database\",\"transport\":\"streamable-http\","
                    + "\"url\":\"https://mcp.example.com/mcp\",\"headers\":{\"Authorization\":\"Bearer ${env:SLUICE_UPSTREAM_WAREHOUSE_TOKEN}\"}}")))
    @APIResponse(responseCode = "200", description = "Changed", content = @Content(schema = @Schema(implementation = ServerView.class)))
    @APIResponse(responseCode = "201", description = "Added", content = @Content(schema = @Schema(implementation = ServerView.class)))
    @APIResponse(responseCode = "400", description = "The entry is invalid (invalid-catalog, invalid-params)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "403", description = "Only admins change the catalog, owners define stdio servers; a "
            + "command, reference or URL the run-time policy refuses (forbidden)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public Response define(@PathParam("server") String server, JsonNode body, @Context HttpServletRequest request) {
        Caller caller = RequestAuthentication.caller(request);
        AccessControl.require(caller, Role.ADMIN, "changing the catalog");
        if (!(body instanceof ObjectNode entry)) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "the body must be the server's entry, a JSON object");
        }
        if (entry.hasNonNull("command") || "stdio".equals(entry.path("transport").asText())) {
            // a process on Sluice's host: owners only, and only the executables configuration allows
            AccessControl.require(caller, Role.OWNER, "defining a stdio server at run time");
        }
        boolean added = catalog.current().server(server).isEmpty();
        catalog.change(server, CatalogChange.Kind.DEFINE, entry, caller.subject(), RequestIdentity.of(request));
        audit(caller, request, "catalog/define", server);
        ServerView view = get(server);
        return Response.status(added ? Response.Status.CREATED : Response.Status.OK).entity(view).build();
    }

    @DELETE
    @Path("{server}")
    @Operation(summary = "Remove a server added at run time", description = "Only servers added through the API; one of "
            + "the catalog file is disabled instead (conflict). Audited (catalog/delete). Admins only.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "403", description = "Only admins change the catalog (forbidden)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "404", description = "No such server (unknown-server)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "409", description = "The server is in the catalog file (conflict)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public Response delete(@PathParam("server") String server, @Context HttpServletRequest request) {
        Caller caller = RequestAuthentication.caller(request);
        AccessControl.require(caller, Role.ADMIN, "changing the catalog");
        catalog.change(server, CatalogChange.Kind.DELETE, null, caller.subject(), RequestIdentity.of(request));
        audit(caller, request, "catalog/delete", server);
        return Response.noContent().build();
    }

    @POST
    @Path("{server}/enable")
    @Operation(summary = "Enable a server", description = "Sets enabled: true at run time, on every node; audited "
            + "(catalog/enable). Admins only.")
    @APIResponse(responseCode = "200", description = "The server", content = @Content(schema = @Schema(implementation = ServerView.class)))
    @APIResponse(responseCode = "403", description = "Only admins change the catalog (forbidden)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "404", description = "No such server (unknown-server)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public ServerView enable(@PathParam("server") String server, @Context HttpServletRequest request) {
        return toggle(server, true, request);
    }

    @POST
    @Path("{server}/disable")
    @Operation(summary = "Disable a server", description = "Sets enabled: false at run time, on every node: its "
            + "connection closes and its tools, resources and prompts leave every listing; audited (catalog/disable). "
            + "Admins only.")
    @APIResponse(responseCode = "200", description = "The server", content = @Content(schema = @Schema(implementation = ServerView.class)))
    @APIResponse(responseCode = "403", description = "Only admins change the catalog (forbidden)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "404", description = "No such server (unknown-server)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public ServerView disable(@PathParam("server") String server, @Context HttpServletRequest request) {
        return toggle(server, false, request);
    }

    private ServerView toggle(String server, boolean enable, HttpServletRequest request) {
        Caller caller = RequestAuthentication.caller(request);
        AccessControl.require(caller, Role.ADMIN, "changing the catalog");
        definition(server);
        catalog.change(server, enable ? CatalogChange.Kind.ENABLE : CatalogChange.Kind.DISABLE, null, caller.subject(),
                RequestIdentity.of(request));
        audit(caller, request, enable ? "catalog/enable" : "catalog/disable", server);
        return get(server);
    }

    private void audit(Caller caller, HttpServletRequest request, String action, String server) {
        audit.record(AuditEntry.ofAction(RequestIdentity.of(request), caller, "rest", action, server, server, null,
                request.getRemoteAddr()));
    }

    /**
     * A server's health on this node: its connection state and the health monitor's latest checks.
     *
     * @param server catalog name
     * @param state where the connection is
     * @param checks the latest checks, newest first (a ping every {@code sluice.health.interval})
     */
    public record HealthView(String server, UpstreamStatus.State state, List<HealthCheck> checks) {
    }

    @GET
    @Path("{server}/health")
    @Operation(summary = "One upstream server's health", description = "Its connection state and the health monitor's "
            + "latest checks on this node, newest first (at most 100): when, whether it answered, how fast, why not.")
    @APIResponse(responseCode = "200", description = "The health", content = @Content(schema = @Schema(implementation = HealthView.class)))
    @APIResponse(responseCode = "404", description = "No such server (unknown-server)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public HealthView health(@PathParam("server") String server) {
        get(server);
        return new HealthView(server, upstreams.status(server).state(), upstreams.healthChecks(server));
    }

    @POST
    @Path("{server}/tools/{tool}/call")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Call a tool", description = "Calls one tool of one upstream server through the pipeline. "
            + "The answer is the MCP CallToolResult as the upstream sent it; a tool that failed answers 200 with "
            + "isError true, an upstream protocol error answers 502.")
    @RequestBody(description = "The tool's arguments", content = @Content(examples = @ExampleObject(name = "echo",
            value = "{\"arguments\":{\"message\":\"hello\"}}")))
    @APIResponse(responseCode = "200", description = "The tool's result", content = @Content(examples = @ExampleObject(
            name = "echo", value = "{\"content\":[{\"type\":\"text\",\"text\":\"Echo: hello\"}]}")))
    @APIResponse(responseCode = "400", description = "Invalid body (invalid-params)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "404", description = "No such server or tool (unknown-server, unknown-tool)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "502", description = "The upstream failed (upstream-error, upstream-unavailable)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "504", description = "The upstream was too slow (upstream-timeout)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "401", description = "No or bad credentials (unauthenticated)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "403", description = "The caller may not call this tool (forbidden)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public JsonNode call(@PathParam("server") String server, @PathParam("tool") String tool,
            JsonNode body, @Context HttpServletRequest request) {
        get(server);
        if (body != null && !body.isObject()) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "the body must be an object like {\"arguments\": {...}}");
        }
        JsonNode arguments = body == null ? null : body.get("arguments");
        if (arguments != null && !arguments.isObject()) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'arguments' must be an object");
        }
        String federated = new QualifiedName(server, tool).render(catalog.current().separator());
        Route route = federation.route(VirtualServer.everything(), Federation.Kind.TOOLS, federated).orElseThrow(
                () -> new SluiceException(ErrorKind.UNKNOWN_TOOL, "server '" + server + "' has no tool '" + tool + "'"));
        ObjectNode params = Json.object().put("name", tool);
        params.set("arguments", arguments == null ? Json.object() : arguments);
        if (body != null && body.get("_meta") instanceof ObjectNode meta) {
            params.set("_meta", meta);
        }
        Call call = calls.of(RequestIdentity.of(request), CallKind.TOOL,
                RequestAuthentication.caller(request), server, tool, params, ClientChannel.NONE, route.definition());
        return RateLimitHeaderFilter.run(pipeline, call, request);
    }

}
