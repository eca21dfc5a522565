/**
 * What operators see: metrics, structured logs, the audit trail, and the directory of running
 * Sluice nodes.
 */
open module dev.sluice.observability {
    requires transitive dev.sluice.core;
    requires jakarta.annotation;
    requires jakarta.cdi;
    requires jakarta.inject;
    requires jakarta.persistence;
    requires jakarta.transaction;
    requires jakarta.concurrency;
    requires microprofile.config.api;
    requires microprofile.metrics.api;
    requires java.logging;
    requires java.sql;

    exports dev.sluice.observability;
}
