package dev.sluice.cache.internal;

import dev.sluice.cache.RateLimit;
import dev.sluice.cache.RateLimitDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Sliding-window logs in Redis, one sorted set per budget (member: one call, score: its time in
 * milliseconds by Redis's own clock, so nodes with skewed clocks agree). One Lua script checks every
 * budget of a call and spends from all of them or none, atomically: two nodes cannot both let the
 * 101st call through.
 */
final class RedisWindows {
    static final String SCRIPT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local spend = ARGV[1] == '1'
            local out = {0, 0}
            local refused = 0
            local retry = 0
            for i = 1, #KEYS do
              local limit = tonumber(ARGV[1 + 2 * i])
              local window = tonumber(ARGV[2 + 2 * i])
              redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
              local used = redis.call('ZCARD', KEYS[i])
              if used >= limit and refused == 0 then
                refused = i
                local nth = redis.call('ZRANGE', KEYS[i], used - limit, used - limit, 'WITHSCORES')
                retry = tonumber(nth[2]) + window - now
              end
              out[#out + 1] = used
            end
            local added = spend and refused == 0
            for i = 1, #KEYS do
              local window = tonumber(ARGV[2 + 2 * i])
              if added then
                redis.call('ZADD', KEYS[i], now, ARGV[2])
                redis.call('PEXPIRE', KEYS[i], window)
                out[2 + i] = out[2 + i] + 1
              end
              local reset = window
              local oldest = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
              if oldest[2] then
                reset = tonumber(oldest[2]) + window - now
              end
              out[#out + 1] = reset
            end
            out[1] = refused
            out[2] = retry
            return out
            """;

    private final RedisConnection redis;
    private final String node = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong sequence = new AtomicLong();
    private volatile String sha;

    RedisWindows(RedisConnection redis) {
        this.redis = redis;
    }

    /** Empty when Redis does not answer. */
    Optional<RateLimitDecision> acquire(List<RateLimit> limits, boolean spend) {
        List<String> keys = new ArrayList<>(limits.size());
        List<String> args = new ArrayList<>(2 + 2 * limits.size());
        args.add(spend ? "1" : "0");
        args.add(node + ":" + sequence.incrementAndGet());
        for (RateLimit limit : limits) {
            keys.add(redis.key("rl:" + limit.key()));
            args.add(Integer.toString(limit.limit()));
            args.add(Long.toString(limit.window().toMillis()));
        }
        return redis.jedis(j -> {
            Object answer;
            try {
                if (sha == null) {
                    sha = j.scriptLoad(SCRIPT);
                }
                answer = j.evalsha(sha, keys, args);
            } catch (JedisNoScriptException e) {
                // Redis restarted and forgot the script
                sha = j.scriptLoad(SCRIPT);
                answer = j.evalsha(sha, keys, args);
            }
            return decision(limits, (List<?>) answer);
        });
    }

    private static RateLimitDecision decision(List<RateLimit> limits, List<?> out) {
        int refused = ((Long) out.get(0)).intValue();
        long retry = (Long) out.get(1);
        int n = limits.size();
        List<RateLimitDecision.Usage> usages = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            RateLimit limit = limits.get(i);
            int used = ((Long) out.get(2 + i)).intValue();
            long reset = (Long) out.get(2 + n + i);
            usages.add(new RateLimitDecision.Usage(limit, used, Math.max(0, limit.limit() - used),
                    Duration.ofMillis(Math.max(0, reset))));
        }
        return new RateLimitDecision(refused == 0, usages, refused == 0 ? null : limits.get(refused - 1),
                Duration.ofMillis(Math.max(0, retry)));
    }
}
