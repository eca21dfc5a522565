/**
 * The agents API: the five data roles ({@link dev.sluice.agents.AgentRole}) and their profiles, the
 * model providers they run on, agent runs and their steps, token accounting and monthly budgets, and
 * the {@link dev.sluice.agents.ToolGateway} through which an agent sees and calls tools (the app
 * answers it with the pipeline, so agents' calls are authorised, limited and audited like any).
 */
package dev.sluice.agents;
