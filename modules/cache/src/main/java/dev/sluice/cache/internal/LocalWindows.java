package dev.sluice.cache.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.sluice.cache.RateLimit;
import dev.sluice.cache.RateLimitDecision;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Sliding-window logs in this node's memory: for each budget the times of the calls of the last
 * window. A log is forgotten a window after its last call, so idle callers cost nothing.
 */
final class LocalWindows {
    private record Log(ArrayDeque<Long> times, long windowNanos) {
    }

    private final Cache<String, Log> logs = Caffeine.newBuilder()
            .expireAfter(new Expiry<String, Log>() {
                @Override
                public long expireAfterCreate(String key, Log log, long now) {
                    return log.windowNanos();
                }

                @Override
                public long expireAfterUpdate(String key, Log log, long now, long current) {
                    return log.windowNanos();
                }

                @Override
                public long expireAfterRead(String key, Log log, long now, long current) {
                    return log.windowNanos();
                }
            })
            .build();
    private final Clock clock;

    LocalWindows(Clock clock) {
        this.clock = clock;
    }

    synchronized RateLimitDecision acquire(List<RateLimit> limits, boolean spend) {
        long now = clock.millis();
        List<ArrayDeque<Long>> windows = new ArrayList<>(limits.size());
        RateLimit refused = null;
        long retry = 0;
        for (RateLimit limit : limits) {
            ArrayDeque<Long> times = logs.get(limit.key(), k -> new Log(new ArrayDeque<>(), limit.window().toNanos()))
                    .times();
            long horizon = now - limit.window().toMillis();
            while (!times.isEmpty() && times.peekFirst() <= horizon) {
                times.pollFirst();
            }
            windows.add(times);
            if (refused == null && times.size() >= limit.limit()) {
                refused = limit;
                // the call that must leave the window for one more to fit
                Iterator<Long> it = times.iterator();
                long nth = now;
                for (int i = 0; i <= times.size() - limit.limit() && it.hasNext(); i++) {
                    nth = it.next();
                }
                retry = nth + limit.window().toMillis() - now;
            }
        }
        boolean allowed = refused == null;
        if (allowed && spend) {
            windows.forEach(t -> t.addLast(now));
        }
        List<RateLimitDecision.Usage> usages = new ArrayList<>(limits.size());
        for (int i = 0; i < limits.size(); i++) {
            RateLimit limit = limits.get(i);
            ArrayDeque<Long> times = windows.get(i);
            long reset = times.isEmpty() ? limit.window().toMillis() : times.peekFirst() + limit.window().toMillis() - now;
            usages.add(new RateLimitDecision.Usage(limit, times.size(), Math.max(0, limit.limit() - times.size()),
                    Duration.ofMillis(Math.max(0, reset))));
        }
        return new RateLimitDecision(allowed, usages, refused, Duration.ofMillis(Math.max(0, retry)));
    }
}
