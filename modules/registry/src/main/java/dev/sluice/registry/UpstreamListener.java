package dev.sluice.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Hears what upstreams announce on their own: list changes and resource updates. */
public interface UpstreamListener {

    /** An upstream's tools, resources or prompts changed ({@code kind} is {@code tools}, {@code resources} or {@code prompts}). */
    void listChanged(String server, String kind);

    /** A subscribed resource changed; {@code params} are the upstream's, with its own URI. */
    void resourceUpdated(String server, ObjectNode params);

    /** A call to {@code server} is tried again after {@code reason} (an error type such as {@code upstream-unavailable}). */
    default void retried(String server, String reason) {
    }
}
