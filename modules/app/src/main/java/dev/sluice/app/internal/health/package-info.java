/**
 * MicroProfile Health checks (the database, the cache, the upstreams, a startup check that the schema
 * is migrated) and the upstream servers' metrics (up, circuit state, retries), which need the registry.
 */
package dev.sluice.app.internal.health;
