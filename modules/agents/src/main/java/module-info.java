/**
 * Agents for the five data roles: profiles, model providers, the tool-calling loop that calls
 * tools only through the pipeline, and token accounting.
 */
open module dev.sluice.agents {
    requires transitive dev.sluice.core;
    requires jakarta.annotation;
    requires jakarta.cdi;
    requires jakarta.concurrency;
    requires jakarta.inject;
    requires jakarta.persistence;
    requires jakarta.transaction;
    requires java.net.http;
    requires java.logging;
    requires java.sql;
    requires microprofile.config.api;
    requires microprofile.fault.tolerance.api;
    requires microprofile.metrics.api;
    requires jtokkit;

    exports dev.sluice.agents;
}
