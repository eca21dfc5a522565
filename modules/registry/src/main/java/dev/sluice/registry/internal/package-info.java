/**
 * Catalog loading and reloading, the upstream transports (stdio, Streamable HTTP, legacy SSE), the
 * upstream clients and their fault tolerance, federation, and the pipeline's invocation step. Not
 * exported.
 */
package dev.sluice.registry.internal;
