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
import dev.sluice.registry.FederatedList;
import dev.sluice.registry.Federation;
import dev.sluice.registry.Route;
import dev.sluice.registry.VirtualServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Resources and prompts of every reachable upstream, read and got through the pipeline. */
@Path("")
@Tag(name = "resources and prompts")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class ResourcesResource {

    @Inject
    Federation federation;

    @Inject
    AccessControl access;

    @Inject
    ToolCallPipeline pipeline;

    @Inject
    Calls calls;

    private static JsonNode listing(FederatedList list, String field) {
        ObjectNode result = Json.object();
        list.items().forEach(result.putArray(field)::add);
        return withReport(result, list);
    }

    /** Adds what the federation reports beside a list: servers left out, names in trouble. */
    static ObjectNode withReport(ObjectNode result, FederatedList list) {
        list.unavailable().forEach(result.putArray("unavailable")::add);
        list.problems().forEach(result.putArray("problems")::add);
        return result;
    }

    @GET
    @Path("resources")
    @Operation(summary = "List resources", description = "The resources and resource templates of every reachable upstream.")
    @APIResponse(responseCode = "200", description = "The resources and templates")
    public JsonNode resources(@Context HttpServletRequest request) {
        Caller caller = RequestAuthentication.caller(request);
        ObjectNode result = (ObjectNode) listing(access.visible(caller, Federation.Kind.RESOURCES,
                federation.list(VirtualServer.everything(), Federation.Kind.RESOURCES)), "resources");
        access.visible(caller, Federation.Kind.RESOURCE_TEMPLATES,
                federation.list(VirtualServer.everything(), Federation.Kind.RESOURCE_TEMPLATES)).items()
                .forEach(result.putArray("resourceTemplates")::add);
        return result;
    }

    @GET
    @Path("resources/read")
    @Operation(summary = "Read a resource", description = "Reads a resource by URI from the upstream that serves it.")
    @APIResponse(responseCode = "200", description = "The MCP ReadResourceResult", content = @Content(examples = @ExampleObject(
            name = "text", value = "{\"contents\":[{\"uri\":\"test://static-text\",\"mimeType\":\"text/plain\",\"text\":\"...\"}]}")))
    @APIResponse(responseCode = "404", description = "No upstream serves that URI (not-found)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public JsonNode read(@QueryParam("uri") String uri, @Context HttpServletRequest request) {
        if (uri == null || uri.isBlank()) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "the query parameter 'uri' is required");
        }
        Route route = federation.routeResource(VirtualServer.everything(), uri).orElseThrow(() -> new SluiceException(
                ErrorKind.NOT_FOUND, "no upstream serves the resource " + uri));
        Call call = calls.of(RequestIdentity.of(request), CallKind.RESOURCE, RequestAuthentication.caller(request), route.server(), uri,
                Json.object().put("uri", uri), ClientChannel.NONE, route.definition());
        return RateLimitHeaderFilter.run(pipeline, call, request);
    }

    @GET
    @Path("prompts")
    @Operation(summary = "List prompts", description = "The prompts of every reachable upstream, by federated name.")
    @APIResponse(responseCode = "200", description = "The prompts")
    public JsonNode prompts(@Context HttpServletRequest request) {
        return listing(access.visible(RequestAuthentication.caller(request), Federation.Kind.PROMPTS,
                federation.list(VirtualServer.everything(), Federation.Kind.PROMPTS)), "prompts");
    }

    @POST
    @Path("prompts/{name}/get")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Get a prompt", description = "Gets a prompt by federated name with its arguments.")
    @APIResponse(responseCode = "200", description = "The MCP GetPromptResult")
    @APIResponse(responseCode = "404", description = "No such prompt (unknown-prompt)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public JsonNode prompt(@PathParam("name") String name, JsonNode body,
            @Context HttpServletRequest request) {
        Route route = federation.route(VirtualServer.everything(), Federation.Kind.PROMPTS, name).orElseThrow(
                () -> new SluiceException(ErrorKind.UNKNOWN_PROMPT, "no prompt named '" + name + "'"));
        JsonNode arguments = body == null ? null : body.get("arguments");
        if (arguments != null && !arguments.isObject()) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'arguments' must be an object of strings");
        }
        ObjectNode params = Json.object().put("name", route.name());
        if (arguments != null) {
            params.set("arguments", arguments);
        }
        Call call = calls.of(RequestIdentity.of(request), CallKind.PROMPT, RequestAuthentication.caller(request), route.server(),
                route.name(), params, ClientChannel.NONE, route.definition());
        return RateLimitHeaderFilter.run(pipeline, call, request);
    }

}
