/**
 * The observability API: the {@link dev.sluice.observability.NodeDirectory} of Sluice nodes sharing
 * one database today; metrics, request logs and the audit trail as the observability capability
 * lands.
 */
package dev.sluice.observability;
