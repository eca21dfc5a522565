/**
 * Agents for the five data roles: profiles, model providers, the tool-calling loop that calls
 * tools only through the pipeline, and token accounting.
 */
open module dev.sluice.agents {
    requires transitive dev.sluice.core;
    requires dev.sluice.registry;
    requires dev.sluice.security;

    exports dev.sluice.agents;
}
