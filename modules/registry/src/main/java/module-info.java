/**
 * The catalog of upstream MCP servers, connections to them (stdio, Streamable HTTP, SSE),
 * federation of their tools, resources and prompts, virtual servers, and upstream health.
 */
open module dev.sluice.registry {
    requires transitive dev.sluice.core;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires jakarta.annotation;
    requires jakarta.cdi;
    requires jakarta.concurrency;
    requires jakarta.inject;
    requires jakarta.persistence;
    requires jakarta.transaction;
    requires microprofile.config.api;
    requires java.logging;
    requires java.net.http;
    requires io.github.resilience4j.circuitbreaker;
    requires io.github.resilience4j.retry;
    requires io.github.resilience4j.bulkhead;
    requires io.github.resilience4j.core;

    exports dev.sluice.registry;
}
