/**
 * Cache and limiter back ends (in-process and Redis). Not exported.
 */
package dev.sluice.cache.internal;
