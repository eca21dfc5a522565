package dev.sluice.cache.internal;

import dev.sluice.cache.SharedLogs;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.Pipeline;

/** {@link SharedLogs} as Redis lists ({@code <namespace>:log:<name>}): RPUSH, LTRIM and PEXPIRE in one round trip. */
final class Logs implements SharedLogs {
    private final RedisConnection redis;

    Logs(RedisConnection redis) {
        this.redis = redis;
    }

    @Override
    public boolean shared() {
        return redis != null;
    }

    @Override
    public boolean append(String name, String entry, int capacity, Duration ttl) {
        if (redis == null) {
            return false;
        }
        String key = redis.key("log:" + name);
        return redis.jedisRun(j -> {
            Pipeline p = j.pipelined();
            p.rpush(key, entry);
            p.ltrim(key, -Math.max(1, capacity), -1);
            p.pexpire(key, Math.max(1, ttl.toMillis()));
            p.sync();
        });
    }

    @Override
    public Optional<List<String>> read(String name) {
        if (redis == null) {
            return Optional.empty();
        }
        return redis.jedis(j -> j.lrange(redis.key("log:" + name), 0, -1));
    }
}
