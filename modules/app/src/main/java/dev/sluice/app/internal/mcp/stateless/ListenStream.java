package dev.sluice.app.internal.mcp.stateless;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.mcp.session.SseStream;
import dev.sluice.core.Json;
import dev.sluice.core.JsonRpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code subscriptions/listen} stream (protocol 2026-07-28): the notifications its client opted
 * into, on the response stream of the listen request, each tagged with the subscription's id (the
 * listen request's JSON-RPC id). It replaces the session era's GET stream and
 * {@code resources/subscribe}.
 */
public final class ListenStream {
    /** The list-change flags of a subscription filter, and the kind of list each stands for. */
    static final List<String> FLAGS = List.of("toolsListChanged", "promptsListChanged", "resourcesListChanged");
    static final String SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";

    private final JsonNode subscriptionId;
    private final String virtualServer;
    private final ObjectNode honoured = Json.object();
    private final Set<String> resourceKeys = ConcurrentHashMap.newKeySet();
    private final SseStream stream;
    /** Notifications that came before the acknowledgement went out: sent right after it. */
    private List<ObjectNode> held = new ArrayList<>();

    ListenStream(JsonNode subscriptionId, String virtualServer, SseStream stream) {
        this.subscriptionId = subscriptionId;
        this.virtualServer = virtualServer;
        this.stream = stream;
    }

    public String virtualServer() {
        return virtualServer;
    }

    /** Serves one of the list-change {@link #FLAGS}. */
    synchronized void honour(String flag) {
        honoured.put(flag, true);
    }

    /** Serves updates of a resource, subscribed upstream as {@code <server>\n<uri>}. */
    synchronized void honourResource(String uri, String key) {
        JsonNode uris = honoured.get("resourceSubscriptions");
        (uris == null ? honoured.putArray("resourceSubscriptions") : (ArrayNode) uris)
                .add(uri);
        resourceKeys.add(key);
    }

    /** Whether the client asked for changes of this kind of list ({@code tools}, {@code prompts}, {@code resources}). */
    public synchronized boolean wantsListChanges(String kind) {
        return honoured.path(kind + "ListChanged").asBoolean(false);
    }

    public boolean wantsUpdatesOf(String resourceKey) {
        return resourceKeys.contains(resourceKey);
    }

    /**
     * The first message of the stream: what Sluice will send on it; then whatever came while the
     * subscriptions were being made.
     *
     * @return false when the client has gone
     */
    synchronized boolean acknowledge() {
        ObjectNode params = Json.object();
        params.set("notifications", honoured.deepCopy());
        boolean open = write("notifications/subscriptions/acknowledged", params);
        List<ObjectNode> early = held;
        held = null;
        for (ObjectNode n : early) {
            open = open && stream.send(n);
        }
        return open;
    }

    /** Sends a notification tagged with the subscription; false when the client has gone. */
    public synchronized boolean send(String method, ObjectNode params) {
        return write(method, params);
    }

    private boolean write(String method, ObjectNode params) {
        ObjectNode tagged = params == null ? Json.object() : params.deepCopy();
        ObjectNode meta = tagged.get("_meta") instanceof ObjectNode m ? m : tagged.putObject("_meta");
        meta.set(SUBSCRIPTION_ID, subscriptionId);
        ObjectNode notification = JsonRpc.notification(method, tagged);
        if (held != null && !method.equals("notifications/subscriptions/acknowledged")) {
            held.add(notification);
            return true;
        }
        return stream.send(notification);
    }

    public boolean keepAlive() {
        return stream.keepAlive();
    }

    void close() {
        stream.close();
    }
}
