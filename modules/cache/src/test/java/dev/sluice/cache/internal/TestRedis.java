package dev.sluice.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The shared Redis of the test run (localhost:6379, started by scripts/test-services.sh): a fresh
 * namespace per test so tests never see each other's keys, and helpers to look at what landed there.
 */
final class TestRedis {
    static final String HOST = "localhost";
    static final int PORT = 6379;

    /** Held so that the level sticks: one INFO line per connection would drown the test output. */
    private static final java.util.logging.Logger CONNECTION_LOG =
            java.util.logging.Logger.getLogger(RedisConnection.class.getName());

    static {
        CONNECTION_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    /** Probes the tests' connections while Redis is down (the container's managed scheduler in Sluice). */
    static final java.util.concurrent.ScheduledExecutorService PROBES = java.util.concurrent.Executors
            .newScheduledThreadPool(4, r -> {
                Thread t = new Thread(r, "test-redis-probe");
                t.setDaemon(true);
                return t;
            });

    private TestRedis() {
    }

    static String namespace() {
        return "sluice-test-" + UUID.randomUUID();
    }

    static RedisSettings settings(String namespace) {
        return new RedisSettings(HOST, PORT, null, null, 0, false, Duration.ofSeconds(2), 4, namespace,
                Duration.ofMillis(500));
    }

    /** A connection that must answer: otherwise the tests would silently run on the in-process fallback. */
    static RedisConnection connect(String namespace) {
        RedisConnection connection = new RedisConnection(settings(namespace), PROBES);
        assertThat(connection.health().degraded())
                .as("Redis must answer on %s:%d (scripts/test-services.sh starts it): %s", HOST, PORT,
                        connection.health().detail())
                .isFalse();
        return connection;
    }

    /** Every key of the namespace, full names. */
    static List<String> keys(String namespace, String pattern) {
        try (Jedis jedis = new Jedis(HOST, PORT)) {
            return scan(jedis, namespace + ":" + pattern);
        }
    }

    static <T> T withJedis(java.util.function.Function<Jedis, T> action) {
        try (Jedis jedis = new Jedis(HOST, PORT)) {
            return action.apply(jedis);
        }
    }

    static void deleteNamespace(String namespace) {
        try (Jedis jedis = new Jedis(HOST, PORT)) {
            List<String> keys = scan(jedis, namespace + ":*");
            if (!keys.isEmpty()) {
                jedis.del(keys.toArray(String[]::new));
            }
        }
    }

    static List<String> scan(Jedis jedis, String pattern) {
        List<String> out = new ArrayList<>();
        ScanParams params = new ScanParams().match(pattern).count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.scan(cursor, params);
            out.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!"0".equals(cursor));
        return out;
    }
}
