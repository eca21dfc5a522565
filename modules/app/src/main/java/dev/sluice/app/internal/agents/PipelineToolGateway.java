package dev.sluice.app.internal.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.agents.AgentProfile;
import dev.sluice.agents.ToolGateway;
import dev.sluice.agents.ToolOutcome;
import dev.sluice.app.internal.pipeline.Calls;
import dev.sluice.app.internal.pipeline.ToolCallPipeline;
import dev.sluice.app.internal.security.AccessControl;
import dev.sluice.core.Call;
import dev.sluice.core.CallKind;
import dev.sluice.core.Caller;
import dev.sluice.core.ClientChannel;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.SluiceException;
import dev.sluice.core.UpstreamErrorException;
import dev.sluice.registry.Catalog;
import dev.sluice.registry.Federation;
import dev.sluice.registry.QualifiedName;
import dev.sluice.registry.Route;
import dev.sluice.registry.VirtualServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Agents reach tools here and nowhere else: the role's subset is a virtual server of its own, the
 * caller's rights narrow it further, and every call — also one the model asked for outside the subset —
 * runs through the pipeline as the caller, so it is authorised, limited, validated, cached, counted and
 * audited (channel {@code agent}) like any call from MCP or REST.
 */
@ApplicationScoped
public class PipelineToolGateway implements ToolGateway {

    /** Agent calls have no client to talk back to: requests are refused, notifications dropped. */
    static final ClientChannel AGENT = new ClientChannel() {
        @Override
        public void notify(ObjectNode notification) {
            ClientChannel.NONE.notify(notification);
        }

        @Override
        public ObjectNode request(String method, JsonNode params, Duration timeout) {
            return ClientChannel.NONE.request(method, params, timeout);
        }

        @Override
        public ObjectNode capabilities() {
            return ClientChannel.NONE.capabilities();
        }

        @Override
        public String name() {
            return "agent";
        }
    };

    @Inject
    Federation federation;

    @Inject
    AccessControl access;

    @Inject
    Catalog catalog;

    @Inject
    ToolCallPipeline pipeline;

    @Inject
    Calls calls;

    static VirtualServer subset(AgentProfile profile) {
        return new VirtualServer("agent:" + profile.role().id(), profile.purpose(), profile.servers(), profile.tools(),
                true);
    }

    @Override
    public List<ObjectNode> tools(AgentProfile profile, Caller caller) {
        if (profile.tools().isEmpty()) {
            return List.of(); // a profile without tool patterns has no tools (not every tool)
        }
        return access.visible(caller, Federation.Kind.TOOLS, federation.list(subset(profile), Federation.Kind.TOOLS))
                .items();
    }

    @Override
    public ToolOutcome call(AgentProfile profile, Caller caller, String requestId, String tool, ObjectNode arguments) {
        ObjectNode params = Json.object();
        params.set("arguments", arguments == null ? Json.object() : arguments);
        Optional<Route> inSubset = profile.tools().isEmpty() ? Optional.empty()
                : federation.route(subset(profile), Federation.Kind.TOOLS, tool);
        if (inSubset.isPresent()) {
            Route route = inSubset.get();
            params.put("name", route.name());
            return run(calls.of(requestId, CallKind.TOOL, caller, route.server(), route.name(), params, AGENT,
                    route.definition()), null);
        }
        // outside the role's tools: refused, inside the pipeline so that the refusal is audited and counted
        Optional<Route> anywhere = federation.route(VirtualServer.everything(), Federation.Kind.TOOLS, tool);
        String server = anywhere.map(Route::server).orElseGet(() -> QualifiedName.parse(tool, catalog.current().separator())
                .map(QualifiedName::server).orElse("-"));
        String target = anywhere.map(Route::name).orElseGet(() -> QualifiedName.parse(tool, catalog.current().separator())
                .map(QualifiedName::name).orElse(tool));
        params.put("name", target);
        SluiceException refusal = anywhere.isPresent()
                ? new SluiceException(ErrorKind.FORBIDDEN, "the tool '" + tool + "' is not among the tools of the agent role '"
                        + profile.role().id() + "'", Json.object().put("server", server).put("target", target), null)
                : new SluiceException(ErrorKind.UNKNOWN_TOOL, "there is no tool named '" + tool + "'");
        return run(calls.of(requestId, CallKind.TOOL, caller, server, target, params, AGENT,
                anywhere.map(Route::definition).orElse(null)), refusal);
    }

    private ToolOutcome run(Call call, SluiceException refusal) {
        try {
            JsonNode result = (refusal == null ? pipeline.run(call) : pipeline.refuse(call, refusal)).result();
            return new ToolOutcome(text(result), result.path("isError").asBoolean(false), null, call.server());
        } catch (UpstreamErrorException e) {
            return new ToolOutcome("the server answered with an error: " + e.error().path("message").asText(), true,
                    ErrorKind.UPSTREAM_ERROR.slug(), call.server());
        } catch (SluiceException e) {
            return new ToolOutcome("refused: " + e.detail(), true, e.kind().slug(), call.server());
        }
    }

    /** The text a model reads: the text parts, else the structured content, else the content as JSON. */
    static String text(JsonNode result) {
        StringBuilder out = new StringBuilder();
        for (JsonNode c : result.path("content")) {
            if ("text".equals(c.path("type").asText())) {
                if (!out.isEmpty()) {
                    out.append('\n');
                }
                out.append(c.path("text").asText());
            }
        }
        if (!out.isEmpty()) {
            return out.toString();
        }
        if (result.has("structuredContent")) {
            return Json.write(result.get("structuredContent"));
        }
        return Json.write(result.path("content"));
    }
}
