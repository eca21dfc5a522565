/**
 * Result caching and rate limiting: in-process by default, shared across Sluice nodes through
 * Redis when configured.
 */
open module dev.sluice.cache {
    requires transitive dev.sluice.core;

    exports dev.sluice.cache;
}
