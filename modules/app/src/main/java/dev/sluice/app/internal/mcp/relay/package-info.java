/**
 * What crosses between Sluice nodes behind a load balancer (Redis pub/sub, through the cache
 * module), so that a client may reach any node: a session-era client's answers to the node that
 * asked ({@code AnswerRelay}), a session's stream events and messages to the node that holds its
 * stream ({@code StreamRelay}), and a stateless client's retry to the node that runs its call
 * ({@code InputRelay}). See design record 0008.
 */
package dev.sluice.app.internal.mcp.relay;
