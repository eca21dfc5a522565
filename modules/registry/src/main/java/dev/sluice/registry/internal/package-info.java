/**
 * Catalog loading, upstream transports and federation. Not exported.
 */
package dev.sluice.registry.internal;
