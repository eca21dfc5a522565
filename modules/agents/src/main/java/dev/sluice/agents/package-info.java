/**
 * The agents API: the five {@link dev.sluice.agents.AgentRole}s today; profiles, runs and token
 * accounting as the agents capability lands.
 */
package dev.sluice.agents;
