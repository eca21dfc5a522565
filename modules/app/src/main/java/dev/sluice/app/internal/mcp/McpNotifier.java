package dev.sluice.app.internal.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.mcp.session.McpSession;
import dev.sluice.app.internal.mcp.session.SessionStore;
import dev.sluice.app.internal.mcp.session.SseStream;
import dev.sluice.app.internal.mcp.stateless.ListenStream;
import dev.sluice.core.JsonRpc;
import dev.sluice.registry.Catalog;
import dev.sluice.registry.Federation;
import dev.sluice.registry.UpstreamListener;
import dev.sluice.registry.VirtualServer;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Tells connected clients what upstreams announce: list changes reach every session whose virtual
 * server draws from that upstream (each node tells the GET streams it holds: every node hears its own
 * upstreams), resource updates reach the sessions subscribed to that resource on this node, wherever
 * their GET stream is. {@code subscriptions/listen} streams (2026-07-28) get what they opted into.
 * Also keeps idle GET streams alive through proxies.
 */
@ApplicationScoped
public class McpNotifier implements UpstreamListener {

    @Inject
    Federation federation;

    @Inject
    SessionStore sessions;

    @Inject
    Catalog catalog;

    private final Set<ListenStream> listens = ConcurrentHashMap.newKeySet();

    /** The container's default managed scheduler, on which idle streams are kept alive. */
    @Resource
    ManagedScheduledExecutorService scheduler;

    private volatile ScheduledFuture<?> keepingAlive;

    void start(@Observes Startup startup) {
        federation.addListener(this);
        keepAliveOn(scheduler);
    }

    /** Keeps idle streams alive every 25 seconds on {@code on}: the managed scheduler, a plain one in unit tests. */
    void keepAliveOn(ScheduledExecutorService on) {
        keepingAlive = on.scheduleWithFixedDelay(this::keepAlive, 25, 25, TimeUnit.SECONDS);
    }

    private void keepAlive() {
        sessions.all().forEach(s -> {
            SseStream stream = s.listening();
            if (stream != null && stream.keepAlive()) {
                s.touch();
            }
        });
        listens.removeIf(l -> !l.keepAlive());
    }

    /** A {@code subscriptions/listen} stream opened (after its acknowledgement went out). */
    public void add(ListenStream listen) {
        listens.add(listen);
    }

    public void remove(ListenStream listen) {
        listens.remove(listen);
    }

    @PreDestroy
    void stop() {
        ScheduledFuture<?> task = keepingAlive;
        if (task != null) {
            task.cancel(false); // a managed scheduler is the container's to shut down, not ours
        }
    }

    @Override
    public void listChanged(String server, String kind) {
        ObjectNode notification = JsonRpc.notification("notifications/" + kind + "/list_changed", null);
        for (McpSession session : sessions.all()) {
            VirtualServer vs = catalog.current().virtualServer(session.virtualServer()).orElse(null);
            SseStream stream = session.listening();
            if (vs != null && vs.drawsFrom(server) && stream != null) {
                stream.send(notification.deepCopy());
            }
        }
        for (ListenStream listen : listens) {
            VirtualServer vs = catalog.current().virtualServer(listen.virtualServer()).orElse(null);
            if (vs != null && vs.drawsFrom(server) && listen.wantsListChanges(kind)
                    && !listen.send("notifications/" + kind + "/list_changed", null)) {
                listens.remove(listen);
            }
        }
    }

    @Override
    public void resourceUpdated(String server, ObjectNode params) {
        String key = server + "\n" + params.path("uri").asText();
        ObjectNode notification = JsonRpc.notification("notifications/resources/updated", params);
        for (McpSession session : sessions.all()) {
            // the subscription was made on this node; the client's GET stream may be on another
            if (session.subscriptions().contains(key)) {
                session.toClient(notification.deepCopy());
            }
        }
        for (ListenStream listen : listens) {
            if (listen.wantsUpdatesOf(key) && !listen.send("notifications/resources/updated", params)) {
                listens.remove(listen);
            }
        }
    }
}
