package dev.sluice.cache;

import java.util.Optional;

/**
 * What a cache lookup found, and the version of the entries it looked at. A result fetched after a
 * miss is stored with the lookup's version: when a write invalidated the server in between, the
 * stored result is never read (it belongs to an older version).
 *
 * @param key what was looked up
 * @param entry the entry found (fresh or, within the stale window, expired), or null
 * @param version opaque: which generation of the server's and tool's entries the lookup saw
 */
public record Lookup(CacheKey key, CachedResult entry, String version) {

    public Optional<CachedResult> found() {
        return Optional.ofNullable(entry);
    }
}
