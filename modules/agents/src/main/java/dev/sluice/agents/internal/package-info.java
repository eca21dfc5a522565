/**
 * Model provider clients, the agent loop and token bookkeeping. Not exported.
 */
package dev.sluice.agents.internal;
