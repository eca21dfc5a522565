package dev.sluice.registry.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.registry.UpstreamListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The listeners of this node's upstreams (registered through {@code Upstreams.addListener}) and what
 * they are told: an upstream's own notifications, a server whose lists changed because it came or
 * went, and retries. A listener that fails on a notification or a list change is logged and does
 * not keep the others from hearing it.
 */
final class UpstreamListeners {
    private static final Logger LOG = Logger.getLogger(UpstreamListeners.class.getName());

    private final List<UpstreamListener> listeners = new CopyOnWriteArrayList<>();

    void add(UpstreamListener listener) {
        listeners.add(listener);
    }

    /** A notification an upstream sent on its own: list changes and resource updates are passed on. */
    void notification(String server, String method, ObjectNode params) {
        for (UpstreamListener listener : listeners) {
            try {
                switch (method) {
                    case "notifications/tools/list_changed" -> listener.listChanged(server, "tools");
                    case "notifications/resources/list_changed" -> listener.listChanged(server, "resources");
                    case "notifications/prompts/list_changed" -> listener.listChanged(server, "prompts");
                    case "notifications/resources/updated" -> listener.resourceUpdated(server, params);
                    default -> LOG.fine(() -> server + " sent " + method);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a listener failed on " + method + " from " + server, e);
            }
        }
    }

    /** The server came back or went away: its tools, prompts and resources all changed. */
    void listsChanged(String server) {
        for (UpstreamListener listener : listeners) {
            for (String kind : new String[] {"tools", "prompts", "resources"}) {
                try {
                    listener.listChanged(server, kind);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "a listener failed on " + server + "'s list change", e);
                }
            }
        }
    }

    /** A call to {@code server} is tried again after {@code reason}. */
    void retried(String server, String reason) {
        listeners.forEach(l -> l.retried(server, reason));
    }
}
