/**
 * The agent loop, the model provider clients (OpenAI, Anthropic and their wire formats), token
 * counting and the JPA repositories of profiles, runs and usage. Not exported.
 */
package dev.sluice.agents.internal;
