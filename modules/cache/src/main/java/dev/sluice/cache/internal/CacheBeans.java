package dev.sluice.cache.internal;

import dev.sluice.cache.RateLimitPolicy;
import dev.sluice.cache.RateLimiter;
import dev.sluice.cache.ResultCache;
import dev.sluice.cache.SharedLogs;
import dev.sluice.cache.SharedMarks;
import dev.sluice.cache.SharedMessages;
import dev.sluice.core.CacheCategory;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Builds the cache, the rate limiter and their policy from configuration, once per node: with
 * {@code sluice.cache.redis.host} set both share one Redis connection pool, otherwise both work in
 * this node's memory.
 */
@ApplicationScoped
public class CacheBeans {
    /** Probes a Redis that is down. */
    @Resource
    ManagedScheduledExecutorService scheduler;

    /** Makes the thread that listens to Redis pub/sub. */
    @Resource
    ManagedThreadFactory threads;

    private RedisConnection redis;
    private CacheEngine cache;
    private WindowLimiter limiter;
    private RateLimitPolicy policy;
    private Marks marks;
    private Messages messages;
    private Logs logs;

    private synchronized void build() {
        if (cache != null) {
            return;
        }
        Config config = ConfigProvider.getConfig();
        RedisSettings settings = new RedisSettings(
                config.getOptionalValue("sluice.cache.redis.host", String.class).orElse(null),
                config.getOptionalValue("sluice.cache.redis.port", Integer.class).orElse(6379),
                config.getOptionalValue("sluice.cache.redis.user", String.class).orElse(null),
                config.getOptionalValue("sluice.cache.redis.password", String.class).orElse(null),
                config.getOptionalValue("sluice.cache.redis.database", Integer.class).orElse(0),
                config.getOptionalValue("sluice.cache.redis.ssl", Boolean.class).orElse(false),
                config.getOptionalValue("sluice.cache.redis.timeout", Duration.class).orElse(Duration.ofMillis(500)),
                config.getOptionalValue("sluice.cache.redis.pool-size", Integer.class).orElse(32),
                config.getOptionalValue("sluice.cache.redis.namespace", String.class).orElse("sluice"),
                config.getOptionalValue("sluice.cache.redis.retry-interval", Duration.class)
                        .orElse(Duration.ofSeconds(2)));
        Map<CacheCategory, Duration> ttls = new EnumMap<>(CacheCategory.class);
        for (CacheCategory c : CacheCategory.values()) {
            config.getOptionalValue("sluice.cache.ttl." + c.id(), Duration.class).ifPresent(d -> ttls.put(c, d));
        }
        CacheSettings cacheSettings = new CacheSettings(ttls,
                config.getOptionalValue("sluice.cache.max-entry-bytes", Integer.class).orElse(256 * 1024),
                config.getOptionalValue("sluice.cache.local.max-bytes", Long.class).orElse(64L * 1024 * 1024));
        redis = settings.configured() ? new RedisConnection(settings, scheduler) : null;
        cache = new CacheEngine(redis, cacheSettings, Clock.systemUTC());
        if (redis != null) {
            redis.onRecovery(cache::redisRecovered);
        }
        limiter = new WindowLimiter(redis, Clock.systemUTC());
        marks = new Marks(redis);
        messages = new Messages(redis, threads);
        logs = new Logs(redis);
        policy = new RateLimitPolicy(
                config.getOptionalValue("sluice.rate-limit.enabled", Boolean.class).orElse(true),
                config.getOptionalValue("sluice.rate-limit.window", Duration.class)
                        .orElse(RateLimitPolicy.DEFAULT_WINDOW),
                config.getOptionalValue("sluice.rate-limit.per-user", Integer.class)
                        .orElse(RateLimitPolicy.DEFAULT_PER_USER),
                config.getOptionalValue("sluice.rate-limit.per-organisation", Integer.class)
                        .orElse(RateLimitPolicy.DEFAULT_PER_ORGANISATION),
                list(config, "sluice.rate-limit.roles"),
                list(config, "sluice.rate-limit.tools"));
    }

    private static List<String> list(Config config, String key) {
        Optional<String[]> values = config.getOptionalValue(key, String[].class);
        return values.map(List::of).orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    @Produces
    @ApplicationScoped
    SharedMessages sharedMessages() {
        build();
        return messages;
    }

    @Produces
    @ApplicationScoped
    SharedLogs sharedLogs() {
        build();
        return logs;
    }

    @Produces
    @ApplicationScoped
    SharedMarks sharedMarks() {
        build();
        return marks;
    }

    @Produces
    @ApplicationScoped
    ResultCache resultCache() {
        build();
        return cache;
    }

    @Produces
    @ApplicationScoped
    RateLimiter rateLimiter() {
        build();
        return limiter;
    }

    /** Dependent: a final value class, the same instance every time. */
    @Produces
    RateLimitPolicy rateLimitPolicy() {
        build();
        return policy;
    }

    @PreDestroy
    void close() {
        if (messages != null) {
            messages.close();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
