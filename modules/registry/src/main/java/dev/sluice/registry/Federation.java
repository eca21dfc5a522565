package dev.sluice.registry;

import java.util.Optional;

/**
 * The tools, prompts, resources and resource templates of every reachable upstream, as one list per
 * virtual server. Upstream lists are fetched on first use and kept until the upstream announces a
 * change ({@code list_changed}), reconnects, or the catalog changes.
 */
public interface Federation {

    /** Kinds of list: the MCP method's first segment or, for templates, {@code resourceTemplates}. */
    enum Kind {
        TOOLS("tools/list", "tools", "tools"),
        PROMPTS("prompts/list", "prompts", "prompts"),
        RESOURCES("resources/list", "resources", "resources"),
        RESOURCE_TEMPLATES("resources/templates/list", "resourceTemplates", "resources");

        private final String method;
        private final String field;
        private final String capability;

        Kind(String method, String field, String capability) {
            this.method = method;
            this.field = field;
            this.capability = capability;
        }

        public String method() {
            return method;
        }

        /** The member of the list result holding the entries. */
        public String field() {
            return field;
        }

        /** The server capability that offers the list. */
        public String capability() {
            return capability;
        }
    }

    FederatedList list(VirtualServer virtualServer, Kind kind);

    /** The upstream behind a federated tool or prompt name. */
    Optional<Route> route(VirtualServer virtualServer, Kind kind, String federatedName);

    /** The upstream that serves a resource URI (by its listed resources, then its templates). */
    Optional<Route> routeResource(VirtualServer virtualServer, String uri);

    /** Hears list changes after the federation has dropped the stale list. */
    void addListener(UpstreamListener listener);
}
