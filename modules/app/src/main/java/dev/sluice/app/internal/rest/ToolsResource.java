package dev.sluice.app.internal.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.security.AccessControl;
import dev.sluice.app.internal.security.RequestAuthentication;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.ProblemDetail;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.Catalog;
import dev.sluice.registry.FederatedList;
import dev.sluice.registry.Federation;
import dev.sluice.registry.QualifiedName;
import dev.sluice.registry.VirtualServer;
import dev.sluice.security.Authorizer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The federated tools of every reachable upstream, searchable, with their schemas. */
@Path("tools")
@Tag(name = "tools")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class ToolsResource {

    @Inject
    Federation federation;

    @Inject
    AccessControl access;

    @Inject
    Catalog catalog;

    @GET
    @Operation(summary = "List and search tools", description = "Every tool of every reachable upstream, by its "
            + "federated name (server__tool), with the upstream's schema. 'q' matches name, title and description; "
            + "'server' keeps one server's tools. Upstreams that could not be listed are named in 'unavailable'.")
    @APIResponse(responseCode = "200", description = "The tools", content = @Content(examples = @ExampleObject(name = "search",
            value = "{\"tools\":[{\"name\":\"everything__echo\",\"server\":\"everything\",\"tool\":\"echo\",\"description\":"
                    + "\"Echoes back the input string\",\"inputSchema\":{\"type\":\"object\"}}],\"unavailable\":[],\"problems\":[]}")))
    public JsonNode list(@Parameter(description = "words to search for") @QueryParam("q") String q,
            @Parameter(description = "only this server's tools") @QueryParam("server") String server,
            @Context HttpServletRequest request) {
        FederatedList tools = access.visible(RequestAuthentication.caller(request), Federation.Kind.TOOLS,
                federation.list(VirtualServer.everything(), Federation.Kind.TOOLS));
        String separator = catalog.current().separator();
        String needle = q == null ? "" : q.toLowerCase(Locale.ROOT).strip();
        ObjectNode result = Json.object();
        ArrayNode items = result.putArray("tools");
        for (ObjectNode tool : tools.items()) {
            QualifiedName name = QualifiedName.parse(tool.path("name").asText(), separator).orElse(null);
            if (name == null || (server != null && !server.equals(name.server()))) {
                continue;
            }
            String text = (tool.path("name").asText() + " " + tool.path("title").asText("") + " "
                    + tool.path("description").asText("")).toLowerCase(Locale.ROOT);
            if (!needle.isEmpty() && !text.contains(needle)) {
                continue;
            }
            items.add(view(tool, name));
        }
        return ResourcesResource.withReport(result, tools);
    }

    @GET
    @Path("{name}")
    @Operation(summary = "One tool", description = "A tool by its federated name, with its input and output schemas.")
    @APIResponse(responseCode = "200", description = "The tool")
    @APIResponse(responseCode = "404", description = "No such tool (unknown-tool)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public JsonNode get(@PathParam("name") String name, @Context HttpServletRequest request) {
        String separator = catalog.current().separator();
        for (ObjectNode tool : access.visible(RequestAuthentication.caller(request), Federation.Kind.TOOLS,
                federation.list(VirtualServer.everything(), Federation.Kind.TOOLS)).items()) {
            if (name.equals(tool.path("name").asText())) {
                return view(tool, QualifiedName.parse(name, separator).orElseThrow());
            }
        }
        throw new SluiceException(ErrorKind.UNKNOWN_TOOL, "no tool named '" + name + "'");
    }

    private ObjectNode view(ObjectNode tool, QualifiedName name) {
        ObjectNode view = Json.object();
        view.put("name", tool.path("name").asText());
        view.put("server", name.server());
        view.put("tool", name.name());
        view.put("mode", Authorizer.mode(access.policy(name.server()), name.name(), tool).id());
        tool.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("name")) {
                view.set(e.getKey(), e.getValue());
            }
        });
        return view;
    }
}
