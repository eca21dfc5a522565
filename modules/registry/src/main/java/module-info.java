/**
 * The catalog of upstream MCP servers, connections to them (stdio, Streamable HTTP, SSE),
 * federation of their tools, resources and prompts, virtual servers, and upstream health.
 */
open module dev.sluice.registry {
    requires transitive dev.sluice.core;

    exports dev.sluice.registry;
}
