/**
 * Persistence and scheduling behind the observability API (JPA entities, the node heartbeat). Not
 * exported.
 */
package dev.sluice.observability.internal;
