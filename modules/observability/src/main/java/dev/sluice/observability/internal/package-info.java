/**
 * The audit trail's queue, writer, on-disk spool and retention, the node heartbeat and their JPA
 * entities, and the pipeline's observation step (metrics, call log, audit). Not exported.
 */
package dev.sluice.observability.internal;
