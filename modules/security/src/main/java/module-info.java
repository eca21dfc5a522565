/**
 * Who is calling and what they may do: authentication (MicroProfile JWT, API keys), the five roles
 * and per-server and per-tool rules, argument validation and secret redaction.
 */
open module dev.sluice.security {
    requires transitive dev.sluice.core;

    exports dev.sluice.security;
}
