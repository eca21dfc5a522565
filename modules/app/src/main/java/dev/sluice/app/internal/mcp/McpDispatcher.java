package dev.sluice.app.internal.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.mcp.session.McpSession;
import dev.sluice.app.internal.pipeline.Calls;
import dev.sluice.app.internal.pipeline.ToolCallPipeline;
import dev.sluice.app.internal.security.AccessControl;
import dev.sluice.core.Call;
import dev.sluice.core.CallKind;
import dev.sluice.core.CallResult;
import dev.sluice.core.Caller;
import dev.sluice.core.ClientChannel;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.JsonRpc;
import dev.sluice.core.ProtocolVersion;
import dev.sluice.core.SluiceException;
import dev.sluice.core.SluiceVersion;
import dev.sluice.core.UpstreamErrorException;
import dev.sluice.registry.Catalog;
import dev.sluice.registry.FederatedList;
import dev.sluice.registry.Federation;
import dev.sluice.registry.Route;
import dev.sluice.registry.UpstreamStatus;
import dev.sluice.registry.Upstreams;
import dev.sluice.registry.VirtualServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperties;

/**
 * Answers the MCP methods of one request from the federation and the pipeline, for both protocol
 * eras. The transport (sessions, streams, headers) is the business of {@code session.SessionEra}
 * and {@code stateless.StatelessEra}; this class speaks JSON-RPC only.
 */
@ApplicationScoped
public class McpDispatcher {
    private static final Logger LOG = Logger.getLogger(McpDispatcher.class.getName());

    @Inject
    @ConfigProperties
    McpSettings mcp;

    @Inject
    Federation federation;

    @Inject
    Catalog catalog;

    @Inject
    Upstreams upstreams;

    @Inject
    ToolCallPipeline pipeline;

    @Inject
    Calls calls;

    @Inject
    AccessControl access;

    @Inject
    TaskIds taskIds;

    /** The result of {@code initialize}: Sluice's own identity and the capabilities it relays. */
    public ObjectNode initializeResult(String version, VirtualServer vs) {
        ObjectNode result = Json.object().put("protocolVersion", version);
        ObjectNode capabilities = result.putObject("capabilities");
        capabilities.putObject("tools").put("listChanged", true);
        capabilities.putObject("prompts").put("listChanged", true);
        capabilities.putObject("resources").put("subscribe", true).put("listChanged", true);
        capabilities.putObject("logging");
        capabilities.putObject("completions");
        ObjectNode info = result.putObject("serverInfo").put("name", "sluice").put("version", SluiceVersion.current());
        info.put("title", vs.name().isEmpty() ? "Sluice MCP gateway" : "Sluice MCP gateway: " + vs.name());
        String instructions = vs.description().isEmpty() ? null : vs.description();
        if (instructions != null) {
            result.put("instructions", instructions);
        }
        return result;
    }

    private static final Set<String> METHODS = Set.of("ping", "tools/list", "prompts/list",
            "resources/list", "resources/templates/list", "tools/call", "prompts/get", "resources/read",
            "resources/subscribe", "resources/unsubscribe", "completion/complete", "logging/setLevel", "tasks/get",
            "tasks/update", "tasks/cancel");

    /** Whether {@link #handle} answers this method (anything else is method-not-found). */
    public static boolean serves(String method) {
        return METHODS.contains(method);
    }

    /** Answers one request; never throws: failures become JSON-RPC errors. */
    public ObjectNode handle(McpSession session, VirtualServer vs, JsonRpc.Request request, ClientChannel channel,
            String httpRequestId) {
        JsonNode id = request.id();
        try {
            return JsonRpc.result(id, answer(session, vs, request, channel, httpRequestId));
        } catch (UpstreamErrorException e) {
            return JsonRpc.error(id, e.error().path("code").asInt(-32603), e.error().path("message").asText(),
                    e.error().get("data"));
        } catch (SluiceException e) {
            return JsonRpc.error(id, e);
        } catch (RuntimeException e) {
            String incident = NodeIds.newId();
            LOG.log(Level.SEVERE, "unexpected failure in " + request.method() + ", incident " + incident, e);
            return JsonRpc.error(id, -32603, "internal error; incident " + incident, null);
        }
    }

    private JsonNode answer(McpSession session, VirtualServer vs, JsonRpc.Request request, ClientChannel channel,
            String httpRequestId) {
        ObjectNode params = request.params();
        return switch (request.method()) {
            case "ping" -> Json.object();
            case "tools/list" -> page(visible(session, vs, Federation.Kind.TOOLS), "tools", params);
            case "prompts/list" -> page(visible(session, vs, Federation.Kind.PROMPTS), "prompts", params);
            case "resources/list" -> page(visible(session, vs, Federation.Kind.RESOURCES), "resources", params);
            case "resources/templates/list" ->
                page(visible(session, vs, Federation.Kind.RESOURCE_TEMPLATES), "resourceTemplates", params);
            case "tools/call" -> call(vs, CallKind.TOOL, Federation.Kind.TOOLS, params, channel, httpRequestId, session);
            case "prompts/get" -> call(vs, CallKind.PROMPT, Federation.Kind.PROMPTS, params, channel, httpRequestId, session);
            case "resources/read" -> read(vs, params, channel, httpRequestId, session);
            case "resources/subscribe", "resources/unsubscribe" -> subscribe(session, vs, request.method(), params, channel,
                    httpRequestId);
            case "completion/complete" -> complete(session, vs, params, channel, httpRequestId);
            case "logging/setLevel" -> setLevel(session, vs, params, httpRequestId);
            case "tasks/get", "tasks/update", "tasks/cancel" -> task(session, vs, request.method(), params, channel,
                    httpRequestId);
            default -> throw new SluiceException(ErrorKind.METHOD_NOT_FOUND, "method not found: " + request.method());
        };
    }

    /** A federated list as this session's caller may see it. */
    private FederatedList visible(McpSession session, VirtualServer vs, Federation.Kind kind) {
        return access.visible(session.caller(), kind, federation.list(vs, kind));
    }

    private JsonNode page(FederatedList list, String field, ObjectNode params) {
        return page(list, field, params, mcp.pageSize);
    }

    /** One page of a federated list, with an opaque cursor to the next one. */
    static JsonNode page(FederatedList list, String field, ObjectNode params, int pageSize) {
        int offset = 0;
        JsonNode cursor = params.get("cursor");
        if (cursor != null && !cursor.isNull()) {
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(cursor.asText()), StandardCharsets.UTF_8);
                offset = Integer.parseInt(decoded.substring(decoded.indexOf(':') + 1));
                if (!decoded.startsWith("offset:") || offset < 0 || offset > list.items().size()) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                throw new SluiceException(ErrorKind.INVALID_PARAMS, "invalid cursor '" + cursor.asText() + "'");
            }
        }
        List<ObjectNode> items = list.items();
        int end = pageSize <= 0 ? items.size() : Math.min(items.size(), offset + pageSize);
        ObjectNode result = Json.object();
        ArrayNode array = result.putArray(field);
        items.subList(offset, end).forEach(array::add);
        if (end < items.size()) {
            result.put("nextCursor", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("offset:" + end).getBytes(StandardCharsets.UTF_8)));
        }
        if (!list.unavailable().isEmpty() || !list.problems().isEmpty()) {
            ObjectNode meta = result.putObject("_meta");
            ObjectNode sluice = meta.putObject("dev.sluice/federation");
            list.unavailable().forEach(sluice.putArray("unavailable")::add);
            list.problems().forEach(sluice.putArray("problems")::add);
        }
        return result;
    }

    private JsonNode call(VirtualServer vs, CallKind kind, Federation.Kind list, ObjectNode params, ClientChannel channel,
            String httpRequestId, McpSession session) {
        String name = params.path("name").asText("");
        if (name.isEmpty()) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'name' is required");
        }
        Route route = federation.route(vs, list, name).orElseThrow(() -> new SluiceException(
                kind == CallKind.TOOL ? ErrorKind.UNKNOWN_TOOL : ErrorKind.UNKNOWN_PROMPT,
                (kind == CallKind.TOOL ? "unknown tool: " : "unknown prompt: ") + name));
        ObjectNode upstreamParams = params.deepCopy();
        upstreamParams.put("name", route.name());
        Call call = calls.of(httpRequestId, kind, session.caller(), route.server(), route.name(), upstreamParams, channel,
                route.definition());
        CallResult done = pipeline.run(call);
        if (kind == CallKind.TOOL && done.isTask() && done.result().path("taskId").isTextual()) {
            // the upstream started a task: its client follows it up by an id that leads back here
            done.result().put("taskId", taskIds.seal(vs, session.caller(), route.server(), name,
                    done.result().path("taskId").asText()));
        }
        return done.result();
    }

    /** Whether this endpoint answers {@code tasks/*}: an upstream offers the extension, or the id is one of Sluice's. */
    public boolean servesTasks(VirtualServer vs, ObjectNode params) {
        return taskIds.offered(vs) || (params.path("taskId").isTextual() && taskIds.isTaskId(params.path("taskId")
                .asText()));
    }

    /**
     * {@code tasks/get}, {@code tasks/update} or {@code tasks/cancel} (tasks extension, 2026-07-28):
     * through the pipeline to the upstream that started the task, authorised as a call of the tool
     * that started it, with the upstream's own task id, and answered with the client's.
     */
    private JsonNode task(McpSession session, VirtualServer vs, String method, ObjectNode params, ClientChannel channel,
            String httpRequestId) {
        if (!channel.followsTasks()) {
            throw new SluiceException(ErrorKind.METHOD_NOT_FOUND, "method not found: " + method + " (tasks are"
                    + " followed up by " + ProtocolVersion.V2026_07_28 + " clients)");
        }
        if (!TaskIds.declared(channel.capabilities())) {
            ObjectNode data = Json.object();
            data.putObject("requiredCapabilities").putObject("extensions").putObject(TaskIds.EXTENSION);
            throw new SluiceException(ErrorKind.MISSING_CAPABILITY, "'" + method + "' needs the tasks extension '"
                    + TaskIds.EXTENSION + "' declared in this request's _meta client capabilities", data, null);
        }
        JsonNode id = params.get("taskId");
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'taskId' is required and must be a string");
        }
        TaskIds.Task task = taskIds.open(id.asText(), vs, session.caller()).orElseThrow(() -> new SluiceException(
                ErrorKind.INVALID_PARAMS, "unknown task: '" + id.asText() + "'"));
        Route route = federation.route(vs, Federation.Kind.TOOLS, task.tool())
                .filter(r -> r.server().equals(task.server()))
                .orElseThrow(() -> new SluiceException(ErrorKind.INVALID_PARAMS, "unknown task: '" + id.asText()
                        + "' (the tool '" + task.tool() + "' that started it is no longer served here)"));
        ObjectNode upstreamParams = params.deepCopy();
        upstreamParams.put("taskId", task.upstreamId());
        CallKind kind = CallKind.ofTaskMethod(method).orElseThrow();
        ObjectNode result = pipeline.run(calls.of(httpRequestId, kind, session.caller(), route.server(), route.name(),
                upstreamParams, channel, route.definition())).result();
        if (task.upstreamId().equals(result.path("taskId").asText(null))) {
            result.put("taskId", id.asText());
        }
        return result;
    }

    private JsonNode read(VirtualServer vs, ObjectNode params, ClientChannel channel, String httpRequestId,
            McpSession session) {
        String uri = params.path("uri").asText("");
        if (uri.isEmpty()) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'uri' is required");
        }
        Route route = federation.routeResource(vs, uri).orElseThrow(() -> new SluiceException(
                ErrorKind.NOT_FOUND, "resource not found: " + uri));
        Call call = calls.of(httpRequestId, CallKind.RESOURCE, session.caller(), route.server(), uri, params.deepCopy(),
                channel, route.definition());
        return pipeline.run(call).result();
    }

    private JsonNode subscribe(McpSession session, VirtualServer vs, String method, ObjectNode params,
            ClientChannel channel, String httpRequestId) {
        String uri = params.path("uri").asText("");
        if (uri.isEmpty()) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'uri' is required");
        }
        Route route = resourceRoute(vs, uri);
        CallKind kind = method.endsWith("/subscribe") ? CallKind.SUBSCRIBE : CallKind.UNSUBSCRIBE;
        JsonNode result = pipeline.run(calls.of(httpRequestId, kind, session.caller(), route.server(), uri,
                params.deepCopy(), channel, route.definition())).result();
        String key = route.server() + "\n" + uri;
        if (kind == CallKind.SUBSCRIBE) {
            session.subscriptions().add(key);
        } else {
            session.subscriptions().remove(key);
        }
        return result;
    }

    private Route resourceRoute(VirtualServer vs, String uri) {
        return federation.routeResource(vs, uri).orElseThrow(() -> new SluiceException(
                ErrorKind.NOT_FOUND, "resource not found: " + uri));
    }

    /**
     * Subscribes to a resource's updates for a {@code subscriptions/listen} stream: the upstream is
     * told through the pipeline (a session-era upstream with {@code resources/subscribe}), as for a
     * session's subscription.
     *
     * @return the key {@link McpNotifier} matches updates with ({@code <server>\n<uri>})
     */
    public String subscribeForListen(Caller caller, VirtualServer vs, String uri, String httpRequestId) {
        Route route = resourceRoute(vs, uri);
        ObjectNode init = upstreams.initializeResult(route.server()).orElse(Json.object());
        if (!init.path("capabilities").path("resources").path("subscribe").asBoolean(false)) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "the server of '" + uri + "' offers no subscriptions");
        }
        pipeline.run(calls.of(httpRequestId, CallKind.SUBSCRIBE, caller, route.server(), uri,
                Json.object().put("uri", uri), ClientChannel.unattended("mcp"), route.definition()));
        return route.server() + "\n" + uri;
    }

    private JsonNode complete(McpSession session, VirtualServer vs, ObjectNode params, ClientChannel channel,
            String httpRequestId) {
        JsonNode ref = params.path("ref");
        ObjectNode upstreamParams = params.deepCopy();
        Route route;
        CallKind kind;
        if ("ref/prompt".equals(ref.path("type").asText())) {
            String name = ref.path("name").asText("");
            route = federation.route(vs, Federation.Kind.PROMPTS, name).orElseThrow(() -> new SluiceException(
                    ErrorKind.UNKNOWN_PROMPT, "unknown prompt: " + name));
            ((ObjectNode) upstreamParams.get("ref")).put("name", route.name());
            kind = CallKind.PROMPT_COMPLETION;
        } else if ("ref/resource".equals(ref.path("type").asText())) {
            route = resourceRoute(vs, ref.path("uri").asText(""));
            kind = CallKind.RESOURCE_COMPLETION;
        } else {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'ref.type' must be ref/prompt or ref/resource");
        }
        return pipeline.run(calls.of(httpRequestId, kind, session.caller(), route, upstreamParams, channel)).result();
    }

    private JsonNode setLevel(McpSession session, VirtualServer vs, ObjectNode params, String httpRequestId) {
        String level = params.path("level").asText("");
        if (!LogLevels.isLevel(level)) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'level' must be a syslog level such as info, not '"
                    + level + "'");
        }
        session.logLevel(level);
        for (UpstreamStatus status : upstreams.statuses()) {
            // a 2026-07-28 upstream has no session level (the method does not exist there)
            if (status.state() == UpstreamStatus.State.UP && vs.drawsFrom(status.server())
                    && !ProtocolVersion.STATELESS.contains(status.protocolVersion())) {
                ObjectNode init = upstreams.initializeResult(status.server()).orElse(Json.object());
                if (init.path("capabilities").has("logging")) {
                    try {
                        pipeline.run(calls.of(httpRequestId, CallKind.LOG_LEVEL, session.caller(), status.server(),
                                level, params.deepCopy(), ClientChannel.unattended("mcp"), null));
                    } catch (SluiceException e) {
                        // the client's own level is set; an upstream that cannot take it keeps its level
                        LOG.fine(() -> "logging/setLevel not passed to " + status.server() + ": " + e.getMessage());
                    }
                }
            }
        }
        return Json.object();
    }

    /** The virtual server a path segment names. */
    public VirtualServer virtualServer(String name) {
        return catalog.current().virtualServer(name).orElseThrow(() -> new SluiceException(ErrorKind.NOT_FOUND,
                "no virtual server named '" + name + "'"));
    }
}
