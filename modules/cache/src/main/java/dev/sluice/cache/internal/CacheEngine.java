package dev.sluice.cache.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cache.BackendHealth;
import dev.sluice.cache.CacheKey;
import dev.sluice.cache.CacheStats;
import dev.sluice.cache.CachedResult;
import dev.sluice.cache.Lookup;
import dev.sluice.cache.ResultCache;
import dev.sluice.core.CacheCategory;
import dev.sluice.core.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

/**
 * The result cache: Redis when configured and answering, this node's memory otherwise. While Redis
 * is unreachable, lookups and stores go to memory and invalidations are remembered; when Redis
 * answers again they are replayed there (so no write's invalidation is lost) and the memory entries
 * are dropped (other nodes may have written meanwhile).
 */
public final class CacheEngine implements ResultCache {
    private static final String LOCAL_TAG = "L";
    private static final String SHARED_TAG = "R";

    private final RedisConnection redis;
    private final EntryStore shared;
    private final LocalStore local;
    private final CacheSettings settings;
    private final Clock clock;
    private final Set<String> pendingInvalidations = ConcurrentHashMap.newKeySet();
    /** A clear that Redis missed while it was down, replayed when it answers again. */
    private final AtomicBoolean pendingClear = new AtomicBoolean();
    private final Map<String, Counters> counters = new ConcurrentHashMap<>();
    private final LongAdder invalidations = new LongAdder();

    private static final class Counters {
        final String server;
        final String tool;
        final LongAdder hits = new LongAdder();
        final LongAdder misses = new LongAdder();
        final LongAdder stale = new LongAdder();
        final LongAdder stores = new LongAdder();
        final LongAdder tooLarge = new LongAdder();

        Counters(String server, String tool) {
            this.server = server;
            this.tool = tool;
        }

        CacheStats.ToolStats snapshot() {
            return new CacheStats.ToolStats(server, tool, hits.sum(), misses.sum(), stale.sum(), stores.sum(),
                    tooLarge.sum());
        }
    }

    /**
     * @param redis the shared Redis, or null for an in-process cache only
     */
    public CacheEngine(RedisConnection redis, CacheSettings settings, Clock clock) {
        this.redis = redis;
        this.shared = redis == null ? null : new RedisStore(redis);
        this.local = new LocalStore(settings.localMaxBytes());
        this.settings = settings;
        this.clock = clock;
    }

    /** Runs after Redis answers again: replays invalidations, forgets what memory held meanwhile. */
    public void redisRecovered() {
        if (pendingClear.get() && shared.clear()) {
            pendingClear.set(false);
        }
        for (String pending : Set.copyOf(pendingInvalidations)) {
            int sep = pending.indexOf('\u0000');
            String server = sep < 0 ? pending : pending.substring(0, sep);
            String tool = sep < 0 ? null : pending.substring(sep + 1);
            if (shared.invalidate(server, tool)) {
                pendingInvalidations.remove(pending);
            }
        }
        local.clear();
    }

    @Override
    public Lookup lookup(CacheKey key, Duration staleWindow) {
        Instant now = clock.instant();
        EntryStore.Found look = null;
        String tag = SHARED_TAG;
        if (shared != null && pendingInvalidations.isEmpty() && !pendingClear.get()) {
            look = shared.lookup(key);
        }
        if (look == null) {
            look = local.lookup(key);
            tag = LOCAL_TAG;
        }
        String version = look.version();
        EntryStore.Stored found = look.stored();
        Counters c = counters(key);
        CachedResult entry = null;
        if (found != null) {
            CachedResult candidate = new CachedResult(found.result().deepCopy(),
                    Instant.ofEpochMilli(found.storedAtMillis()), Instant.ofEpochMilli(found.freshUntilMillis()));
            if (candidate.isFresh(now)
                    || (!staleWindow.isZero() && !now.isAfter(candidate.freshUntil().plus(staleWindow)))) {
                entry = candidate;
            }
        }
        if (entry != null && entry.isFresh(now)) {
            c.hits.increment();
        } else {
            c.misses.increment();
        }
        return new Lookup(key, entry, tag + version);
    }

    @Override
    public boolean put(Lookup lookup, ObjectNode result, Duration ttl, Duration staleWindow) {
        CacheKey key = lookup.key();
        String json = Json.write(result);
        int bytes = json.length() <= settings.maxEntryBytes() / 3 ? json.length()
                : json.getBytes(StandardCharsets.UTF_8).length;
        Counters c = counters(key);
        if (bytes > settings.maxEntryBytes()) {
            c.tooLarge.increment();
            return false;
        }
        long now = clock.millis();
        EntryStore.Stored entry = new EntryStore.Stored(result.deepCopy(), bytes, now, now + ttl.toMillis());
        Duration keep = ttl.plus(staleWindow);
        String version = lookup.version().substring(1);
        boolean stored = false;
        if (lookup.version().startsWith(SHARED_TAG) && shared != null) {
            stored = shared.put(key, version, entry, json, keep);
        }
        if (!stored && lookup.version().startsWith(LOCAL_TAG)) {
            stored = local.put(key, version, entry, json, keep);
        }
        if (stored) {
            c.stores.increment();
        }
        return stored;
    }

    @Override
    public void staleServed(CacheKey key) {
        counters(key).stale.increment();
    }

    @Override
    public void invalidate(String server, String tool) {
        invalidations.increment();
        local.invalidate(server, tool);
        if (shared != null && !shared.invalidate(server, tool)) {
            pendingInvalidations.add(tool == null ? server : server + '\u0000' + tool);
        }
    }

    @Override
    public void clear() {
        invalidations.increment();
        local.clear();
        if (shared != null && !shared.clear()) {
            pendingClear.set(true);
        }
    }

    @Override
    public CacheStats stats() {
        List<CacheStats.ToolStats> tools = counters.values().stream().map(Counters::snapshot)
                .sorted(Comparator.comparingLong((CacheStats.ToolStats t) -> t.hits() + t.misses()).reversed()
                        .thenComparing(CacheStats.ToolStats::server).thenComparing(CacheStats.ToolStats::tool))
                .toList();
        long entries = shared != null && redis.isUp() ? shared.entries() : local.entries();
        return new CacheStats(health(), entries, sum(tools, CacheStats.ToolStats::hits),
                sum(tools, CacheStats.ToolStats::misses), sum(tools, CacheStats.ToolStats::staleServed),
                sum(tools, CacheStats.ToolStats::stores), sum(tools, CacheStats.ToolStats::tooLarge),
                invalidations.sum(), tools);
    }

    private static long sum(List<CacheStats.ToolStats> tools, ToLongFunction<CacheStats.ToolStats> f) {
        return tools.stream().mapToLong(f).sum();
    }

    @Override
    public BackendHealth health() {
        if (redis == null) {
            return new BackendHealth("in-process", "in-process", false, null, null);
        }
        return redis.health();
    }

    @Override
    public Duration ttl(CacheCategory category) {
        return settings.ttl(category);
    }

    @Override
    public int maxEntryBytes() {
        return settings.maxEntryBytes();
    }

    private Counters counters(CacheKey key) {
        return counters.computeIfAbsent(key.server() + '\u0000' + key.tool(),
                k -> new Counters(key.server(), key.tool()));
    }
}
