package dev.sluice.cache.internal;

import dev.sluice.cache.SharedMarks;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.params.SetParams;

/** {@link SharedMarks} in Redis ({@code <namespace>:mark:<name>}, expiring), mirrored in this node's memory. */
final class Marks implements SharedMarks {
    private static final int SWEEP_AT = 10_000;

    private final RedisConnection redis;
    private final Map<String, Long> local = new ConcurrentHashMap<>();

    Marks(RedisConnection redis) {
        this.redis = redis;
    }

    @Override
    public void put(String name, Duration ttl) {
        long now = System.nanoTime();
        if (local.size() >= SWEEP_AT) {
            local.values().removeIf(deadline -> deadline - now < 0);
        }
        local.put(name, now + ttl.toNanos());
        if (redis != null) {
            redis.jedisRun(j -> j.set(redis.key("mark:" + name), "1", SetParams.setParams().px(ttl.toMillis())));
        }
    }

    @Override
    public Optional<Boolean> present(String name) {
        if (redis != null) {
            Optional<Boolean> shared = redis.jedis(j -> j.exists(redis.key("mark:" + name)));
            if (shared.isPresent()) {
                return shared;
            }
        }
        Long deadline = local.get(name);
        boolean here = deadline != null && deadline - System.nanoTime() > 0;
        if (redis != null && !here) {
            return Optional.empty(); // Redis is down and this node never saw it
        }
        return Optional.of(here);
    }
}
