package dev.sluice.app.internal.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.mcp.session.SessionStore;
import dev.sluice.core.Caller;
import dev.sluice.core.Json;
import dev.sluice.core.ProtocolVersion;
import dev.sluice.registry.Upstreams;
import dev.sluice.registry.VirtualServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * The task ids of the tasks extension (2026-07-28) as Sluice's clients see them. An upstream's
 * {@code CreateTaskResult} names a task by the upstream's own id; the client gets instead an id
 * sealed with the session keys that carries the virtual server, the upstream, the tool that started
 * the task, the caller and the upstream's id. Every node opens it, nothing else needs remembering,
 * and a task can be followed up only by the caller that started it, through the endpoint it used,
 * and only while that caller may still call the tool.
 */
@ApplicationScoped
public class TaskIds {
    /** The extension's name among client and server capabilities. */
    public static final String EXTENSION = ProtocolVersion.TASKS_EXTENSION;

    /** Where a client's task id leads. */
    record Task(String server, String tool, String upstreamId) {
    }

    @Inject
    SessionStore sessions;

    @Inject
    Upstreams upstreams;

    /** The id a client gets for a task an upstream started for it. */
    String seal(VirtualServer vs, Caller caller, String server, String federatedTool, String upstreamId) {
        return sessions.sealTask(Json.object().put("v", vs.name()).put("s", server).put("n", federatedTool)
                .put("u", caller.subject()).put("i", upstreamId));
    }

    /** The task behind a client's id, when it is one Sluice gave this caller on this virtual server. */
    Optional<Task> open(String id, VirtualServer vs, Caller caller) {
        return sessions.openTask(id)
                .filter(f -> vs.name().equals(f.path("v").asText()) && caller.subject().equals(f.path("u").asText()))
                .map(f -> new Task(f.path("s").asText(), f.path("n").asText(), f.path("i").asText()));
    }

    /** Whether {@code id} is a task id at all (any caller's, any endpoint's): it says the extension is served. */
    boolean isTaskId(String id) {
        return sessions.openTask(id).isPresent();
    }

    /**
     * Whether an upstream of this virtual server that is connected on this node offers the tasks
     * extension (a 2026-07-28 upstream that declared it in {@code server/discover}). Servers not yet
     * started are not started to find out.
     */
    public boolean offered(VirtualServer vs) {
        return upstreams.statuses().stream()
                .filter(s -> vs.drawsFrom(s.server()) && ProtocolVersion.V2026_07_28.equals(s.protocolVersion()))
                .anyMatch(s -> upstreams.initializeResult(s.server())
                        .map(init -> init.path("capabilities").path("extensions").has(EXTENSION)).orElse(false));
    }

    /** Whether a client declared the extension in this request's capabilities. */
    static boolean declared(ObjectNode capabilities) {
        return capabilities != null && capabilities.path("extensions").has(EXTENSION);
    }
}
