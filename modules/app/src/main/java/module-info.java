/**
 * The Sluice application: the only module that knows every other one. It owns the REST resources,
 * the MCP endpoint, the exception mappers, the schema migration and the health checks, and it is the
 * one place where the tool-call pipeline is assembled.
 */
open module dev.sluice.app {
    requires dev.sluice.core;
    requires dev.sluice.security;
    requires dev.sluice.registry;
    requires dev.sluice.cache;
    requires dev.sluice.observability;
    requires dev.sluice.agents;

    requires jakarta.annotation;
    requires jakarta.cdi;
    requires jakarta.concurrency;
    requires jakarta.inject;
    requires jakarta.persistence;
    requires jakarta.transaction;
    requires jakarta.servlet;
    requires jakarta.validation;
    requires jakarta.ws.rs;
    requires java.sql;
    requires java.logging;
    requires microprofile.config.api;
    requires microprofile.health.api;
    requires microprofile.metrics.api;
    requires org.eclipse.microprofile.openapi;
    requires flyway.core;
    requires com.fasterxml.jackson.dataformat.csv;

    exports dev.sluice.app;
}
