package dev.sluice.cache.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.sluice.cache.CacheKey;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's cache: a Caffeine cache bounded by the total size of the results it holds, each entry
 * expiring on its own time. Invalidation moves a server's or tool's version on (so a result fetched
 * before a write is never stored as current) and drops the entries at once to free the memory.
 */
final class LocalStore implements EntryStore {
    private static final int ENTRY_OVERHEAD_BYTES = 256;

    private record Held(Stored entry, long keepNanos) {
    }

    private final Cache<String, Held> entries;
    private final Map<String, Long> versions = new ConcurrentHashMap<>();
    private final AtomicLong nextVersion = new AtomicLong();
    /** Moved on by {@link #clear()}, so that no version in flight before a clear matches after it. */
    private final AtomicLong epoch = new AtomicLong();

    LocalStore(long maxBytes) {
        this.entries = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String k, Held h) -> k.length() * 2 + h.entry().bytes() * 2 + ENTRY_OVERHEAD_BYTES)
                .expireAfter(new Expiry<String, Held>() {
                    @Override
                    public long expireAfterCreate(String key, Held held, long now) {
                        return held.keepNanos();
                    }

                    @Override
                    public long expireAfterUpdate(String key, Held held, long now, long current) {
                        return held.keepNanos();
                    }

                    @Override
                    public long expireAfterRead(String key, Held held, long now, long current) {
                        return current;
                    }
                })
                .build();
    }

    @Override
    public String version(CacheKey key) {
        return epoch.get() + "." + versions.getOrDefault(key.server(), 0L) + "." + versions.getOrDefault(toolKey(key.server(), key.tool()), 0L);
    }

    @Override
    public Optional<Stored> get(CacheKey key, String version) {
        Held held = entries.getIfPresent(name(key, version));
        return held == null ? Optional.empty() : Optional.of(held.entry());
    }

    @Override
    public boolean put(CacheKey key, String version, Stored entry, String json, Duration keep) {
        if (!version.equals(version(key))) {
            // invalidated while the upstream answered: the result may predate a write
            return true;
        }
        entries.put(name(key, version), new Held(entry, Math.max(1, keep.toNanos())));
        return true;
    }

    @Override
    public boolean invalidate(String server, String tool) {
        versions.put(tool == null ? server : toolKey(server, tool), nextVersion.incrementAndGet());
        String prefix = tool == null ? server + '\u0000' : toolKey(server, tool) + '\u0000';
        entries.asMap().keySet().removeIf(k -> k.startsWith(prefix));
        return true;
    }

    @Override
    public long entries() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    @Override
    public boolean clear() {
        epoch.incrementAndGet();
        entries.invalidateAll();
        versions.clear();
        return true;
    }

    private static String toolKey(String server, String tool) {
        return server + '\u0000' + tool;
    }

    private static String name(CacheKey key, String version) {
        return toolKey(key.server(), key.tool()) + '\u0000' + version + '\u0000' + key.digest();
    }
}
