package dev.sluice.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cache.BackendHealth;
import dev.sluice.cache.CacheKey;
import dev.sluice.cache.CachedResult;
import dev.sluice.cache.Lookup;
import dev.sluice.cache.RateLimit;
import dev.sluice.cache.RateLimitDecision;
import dev.sluice.core.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * What Sluice does when its Redis goes away and comes back: a redis-server of the test's own, with a
 * password, stopped (after saving, so a restart brings its data back) and started again.
 */
class RedisOutageTest {
    private static final Duration LONG = Duration.ofMinutes(5);
    private static final Duration RECOVERY = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final String password = "outage-pw-" + UUID.randomUUID();
    private final String namespace = TestRedis.namespace();
    private RedisProcess redis;
    private RedisConnection connection;
    private CacheEngine cache;
    private WindowLimiter limiter;

    @BeforeEach
    void startRedis() throws Exception {
        redis = new RedisProcess(dir, password);
        redis.start();
    }

    /** Wires the cache and the limiter as CacheBeans does. */
    private void connect() {
        connection = new RedisConnection(redis.settings(namespace), TestRedis.PROBES);
        cache = new CacheEngine(connection, new CacheSettings(Map.of(), 64 * 1024, 1024 * 1024), Clock.systemUTC());
        connection.onRecovery(cache::redisRecovered);
        limiter = new WindowLimiter(connection, Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        redis.close();
    }

    private static CacheKey key(String server, String tool) {
        return CacheKey.of(server, tool, "shared", Json.parse("{\"page\":1}"));
    }

    private static ObjectNode result(String text) {
        ObjectNode result = Json.object();
        result.putArray("content").addObject().put("type", "text").put("text", text);
        return result;
    }

    private void store(CacheKey key, String text) {
        Lookup miss = cache.lookup(key, Duration.ZERO);
        assertThat(miss.entry()).isNull();
        assertThat(cache.put(miss, result(text), LONG, Duration.ZERO)).isTrue();
    }

    private ObjectNode found(CacheKey key) {
        CachedResult entry = cache.lookup(key, Duration.ZERO).entry();
        return entry == null ? null : entry.result();
    }

    private long redisEntries(String pattern) {
        try (Jedis jedis = redis.client()) {
            return TestRedis.scan(jedis, namespace + ":" + pattern).size();
        }
    }

    private static boolean eventually(Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    @Test
    void keepsWorkingInProcessDuringAnOutageAndReplaysItsInvalidationsAfterwards() throws Exception {
        connect();
        assertThat(cache.health().degraded()).isFalse();
        assertThat(cache.health().active()).isEqualTo("redis");
        CacheKey orders = key("orders", "list");
        CacheKey stock = key("stock", "list");
        CacheKey stockLevels = key("stock", "levels");
        store(orders, "orders before");
        store(stock, "stock before");
        store(stockLevels, "levels before");
        assertThat(redisEntries("cache:e:*")).isEqualTo(3);

        redis.stopKeepingData();

        // the cache answers as an empty cache, then from memory
        assertThat(cache.lookup(orders, Duration.ZERO).entry()).isNull();
        BackendHealth down = cache.health();
        assertThat(down.configured()).isEqualTo("redis");
        assertThat(down.active()).isEqualTo("in-process");
        assertThat(down.degraded()).isTrue();
        assertThat(down.detail()).isNotNull().contains(String.valueOf(redis.port)).doesNotContain(password);
        assertThat(limiter.health().degraded()).isTrue();
        assertThat(cache.stats().backend().degraded()).isTrue();

        CacheKey during = key("orders", "get");
        store(during, "stored in memory");
        assertThat(found(during)).isEqualTo(result("stored in memory"));

        // rate limits are still enforced, by this node alone
        RateLimit alice = new RateLimit("user", "user:alice", 3, Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire(List.of(alice)).allowed()).isTrue();
        }
        RateLimitDecision refused = limiter.acquire(List.of(alice));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.exceeded()).isEqualTo(alice);
        assertThat(limiter.peek(List.of(alice)).get(0).used()).isEqualTo(3);

        // writes during the outage: one to a whole server, one to a single tool
        cache.invalidate("orders", null);
        cache.invalidate("stock", "levels");
        assertThat(found(during)).as("the invalidation holds in memory at once").isNull();

        redis.start();

        assertThat(eventually(RECOVERY, () -> !cache.health().degraded()))
                .as("health recovers within %s", RECOVERY).isTrue();
        BackendHealth up = cache.health();
        assertThat(up.active()).isEqualTo("redis");
        assertThat(up.detail()).isNull();
        assertThat(limiter.health().degraded()).isFalse();
        // the untouched entry is read from Redis again: Redis kept it through the restart
        assertThat(eventually(RECOVERY, () -> found(stock) != null)).as("the cache reads Redis again").isTrue();
        assertThat(found(stock)).isEqualTo(result("stock before"));

        // Redis still holds the old entries, but the replayed invalidations moved their versions on
        assertThat(redisEntries("cache:e:orders:*")).isEqualTo(1);
        assertThat(found(orders)).as("invalidated during the outage").isNull();
        assertThat(cache.lookup(orders, Duration.ofMinutes(10)).entry()).isNull();
        assertThat(redisEntries("cache:e:stock:levels:*")).isEqualTo(1);
        assertThat(found(stockLevels)).as("tool invalidated during the outage").isNull();
        assertThat(found(stock)).as("the replay kept to the tool").isEqualTo(result("stock before"));
        assertThat(found(during)).as("what memory held during the outage is forgotten").isNull();
        assertThat(cache.health().degraded()).isFalse();

        // the cache stores in Redis again
        store(orders, "orders after");
        assertThat(found(orders)).isEqualTo(result("orders after"));
        assertThat(redisEntries("cache:e:orders:*")).isEqualTo(2);

        // and rate limits count in Redis again (its script cache was lost with the restart)
        RateLimit bob = new RateLimit("user", "user:bob", 5, Duration.ofMinutes(1));
        RateLimitDecision shared = limiter.acquire(List.of(bob));
        assertThat(shared.allowed()).isTrue();
        try (Jedis jedis = redis.client()) {
            assertThat(jedis.zcard(namespace + ":rl:user:bob")).isEqualTo(1L);
        }
    }

    @Test
    void aNodeStartedWhileRedisIsDownWorksInProcessUntilRedisAnswers() throws Exception {
        redis.stopKeepingData();
        connect();

        BackendHealth down = cache.health();
        assertThat(down.degraded()).isTrue();
        assertThat(down.active()).isEqualTo("in-process");
        assertThat(down.detail()).isNotNull().doesNotContain(password);
        CacheKey k = key("orders", "list");
        store(k, "in memory");
        assertThat(found(k)).isEqualTo(result("in memory"));
        RateLimit alice = new RateLimit("user", "user:alice", 1, Duration.ofMinutes(1));
        assertThat(limiter.acquire(List.of(alice)).allowed()).isTrue();
        assertThat(limiter.acquire(List.of(alice)).allowed()).isFalse();

        redis.start();

        assertThat(eventually(RECOVERY, () -> !limiter.health().degraded())).isTrue();
        assertThat(eventually(RECOVERY, () -> limiter.acquire(List.of(alice)).allowed()))
                .as("Redis counts afresh: the node's own count is not carried over").isTrue();
        store(k, "in redis");
        assertThat(redisEntries("cache:e:*")).isEqualTo(1);
    }

    @Test
    void aRedisThatRefusesThePasswordIsAnOutageWhoseDetailHidesThePassword() {
        String wrong = "wrong-password-" + UUID.randomUUID();
        RedisSettings good = redis.settings(namespace);
        connection = new RedisConnection(new RedisSettings(good.host(), good.port(), null, wrong, 0, false,
                good.timeout(), good.poolSize(), namespace, good.retryInterval()), TestRedis.PROBES);
        cache = new CacheEngine(connection, new CacheSettings(Map.of(), 64 * 1024, 1024 * 1024), Clock.systemUTC());

        BackendHealth health = cache.health();
        assertThat(health.degraded()).isTrue();
        assertThat(health.detail()).isNotNull().doesNotContain(wrong).doesNotContain(password);
        CacheKey k = key("orders", "list");
        store(k, "still cached");
        assertThat(found(k)).isEqualTo(result("still cached"));
    }

    @Test
    void clearDuringAnOutageIsReplayedAfterwards() throws Exception {
        // a clear Redis missed is replayed when it answers again
        connect();
        CacheKey k = key("orders", "list");
        store(k, "before the clear");

        redis.stopKeepingData();
        assertThat(cache.lookup(k, Duration.ZERO).entry()).isNull();
        assertThat(cache.health().degraded()).isTrue();
        cache.clear();

        redis.start();
        assertThat(eventually(RECOVERY, () -> !cache.health().degraded())).isTrue();
        Thread.sleep(300); // let the recovery action finish

        assertThat(found(k)).as("an administrator cleared the cache during the outage").isNull();
    }
}
