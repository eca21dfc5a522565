/**
 * The observability API: the audit trail ({@link dev.sluice.observability.AuditLog}, records made by
 * the factories of {@link dev.sluice.observability.AuditEntry}), the call metrics
 * ({@link dev.sluice.observability.CallMetrics}, Prometheus through MicroProfile Metrics) and the
 * dashboard's 24-hour window ({@link dev.sluice.observability.CallStats}), and the
 * {@link dev.sluice.observability.NodeDirectory} of the nodes sharing one database.
 */
package dev.sluice.observability;
