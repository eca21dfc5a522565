package dev.sluice.registry;

import java.time.Instant;

/**
 * One health check of an upstream server: a {@code ping} (a {@code server/discover} for a server of
 * protocol 2026-07-28), or a reconnection attempt for a server that is down.
 *
 * @param at when it ran
 * @param ok whether the server answered
 * @param latencyMillis how long the answer took (or the attempt, when it failed)
 * @param error why it failed, or null
 */
public record HealthCheck(Instant at, boolean ok, double latencyMillis, String error) {
}
