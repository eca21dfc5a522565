/**
 * Who is calling and what they may do: authentication (MicroProfile JWT, API keys), the five roles
 * and per-server and per-tool rules, argument validation (JSON Schema), the SQL and command-line
 * argument policies, and secret redaction.
 */
open module dev.sluice.security {
    requires transitive dev.sluice.core;
    requires jakarta.annotation;
    requires jakarta.cdi;
    requires jakarta.inject;
    requires jakarta.persistence;
    requires jakarta.transaction;
    requires microprofile.config.api;
    requires java.logging;
    requires com.nimbusds.jose.jwt;
    requires com.networknt.schema;
    requires net.sf.jsqlparser;

    exports dev.sluice.security;
}
