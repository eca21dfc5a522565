package dev.sluice.observability;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * This node's calls of the last 24 hours in one-minute buckets, for the admin dashboard: requests,
 * failures, a latency histogram (for the 95th percentile), cache hits and lookups. Kept in memory,
 * fixed in size (1,440 buckets of a few hundred bytes), and lost on restart; the durable records are
 * the audit trail and the Prometheus metrics.
 */
@ApplicationScoped
public class CallStats {
    static final int MINUTES = 24 * 60;
    /** Latency bucket bounds grow by a quarter from 0.1 ms to about 2 minutes: p95 within 12.5 %. */
    static final double FIRST_BOUND_MILLIS = 0.1;
    static final double GROWTH = 1.25;
    static final int LATENCY_BUCKETS = 64;

    private final Bucket[] ring = new Bucket[MINUTES];

    /** One minute of calls. */
    static final class Bucket {
        final long minute;
        long requests;
        long errors;
        long cacheHits;
        long cacheLookups;
        final long[] latency = new long[LATENCY_BUCKETS];

        Bucket(long minute) {
            this.minute = minute;
        }
    }

    /**
     * A window's totals and its series.
     *
     * @param from the first bucket's start
     * @param step each bucket's length
     * @param points one per bucket, oldest first
     * @param totals the whole window
     */
    public record Window(Instant from, Instant to, Duration step, List<Point> points, Point totals) {
    }

    /**
     * Calls of one bucket (or of the window).
     *
     * @param at the bucket's start
     * @param requests calls finished
     * @param errors of them, those that failed (refused, invalid, upstream errors …)
     * @param p95Millis the 95th percentile of their durations, or null without calls
     * @param cacheHits cacheable calls answered from the cache
     * @param cacheLookups cacheable calls (hits and misses)
     */
    public record Point(Instant at, long requests, long errors, Double p95Millis, long cacheHits, long cacheLookups) {
    }

    private synchronized Bucket bucket(long minute) {
        int i = (int) Math.floorMod(minute, (long) MINUTES);
        Bucket b = ring[i];
        if (b == null || b.minute != minute) {
            b = new Bucket(minute);
            ring[i] = b;
        }
        return b;
    }

    static long minuteOf(long epochMillis) {
        return Math.floorDiv(epochMillis, 60_000L);
    }

    /** A call finished. */
    public void finished(long nanos, boolean failed) {
        int slot = latencySlot(nanos / 1_000_000.0);
        Bucket b = bucket(minuteOf(System.currentTimeMillis()));
        synchronized (this) {
            b.requests++;
            if (failed) {
                b.errors++;
            }
            b.latency[slot]++;
        }
    }

    /** A cacheable call was looked up in the cache. */
    public void cacheLookup(boolean hit) {
        Bucket b = bucket(minuteOf(System.currentTimeMillis()));
        synchronized (this) {
            b.cacheLookups++;
            if (hit) {
                b.cacheHits++;
            }
        }
    }

    static int latencySlot(double millis) {
        if (millis <= FIRST_BOUND_MILLIS) {
            return 0;
        }
        int slot = 1 + (int) Math.floor(Math.log(millis / FIRST_BOUND_MILLIS) / Math.log(GROWTH));
        return Math.min(slot, LATENCY_BUCKETS - 1);
    }

    /** The upper bound of a latency slot. */
    static double upperBound(int slot) {
        return FIRST_BOUND_MILLIS * Math.pow(GROWTH, slot);
    }

    /**
     * The calls of the last {@code window}, in buckets of {@code step} (a whole number of minutes),
     * ending with the current minute.
     */
    public synchronized Window window(Duration window, Duration step, Instant now) {
        long stepMinutes = Math.max(1, step.toMinutes());
        long last = minuteOf(now.toEpochMilli());
        long buckets = Math.max(1, window.toMinutes() / stepMinutes);
        long first = last - buckets * stepMinutes + 1;
        List<Point> points = new ArrayList<>();
        long[] allLatency = new long[LATENCY_BUCKETS];
        long tr = 0;
        long te = 0;
        long th = 0;
        long tl = 0;
        for (long start = first; start <= last; start += stepMinutes) {
            long r = 0;
            long e = 0;
            long h = 0;
            long l = 0;
            long[] latency = new long[LATENCY_BUCKETS];
            for (long m = start; m < start + stepMinutes && m <= last; m++) {
                Bucket b = ring[(int) Math.floorMod(m, (long) MINUTES)];
                if (b == null || b.minute != m) {
                    continue;
                }
                r += b.requests;
                e += b.errors;
                h += b.cacheHits;
                l += b.cacheLookups;
                for (int i = 0; i < LATENCY_BUCKETS; i++) {
                    latency[i] += b.latency[i];
                    allLatency[i] += b.latency[i];
                }
            }
            points.add(new Point(Instant.ofEpochMilli(start * 60_000L), r, e, p95(latency, r), h, l));
            tr += r;
            te += e;
            th += h;
            tl += l;
        }
        Instant from = Instant.ofEpochMilli(first * 60_000L);
        return new Window(from, Instant.ofEpochMilli((last + 1) * 60_000L), Duration.ofMinutes(stepMinutes), points,
                new Point(from, tr, te, p95(allLatency, tr), th, tl));
    }

    /** The 95th percentile, interpolated inside the slot that holds it; null without calls. */
    static Double p95(long[] latency, long count) {
        if (count == 0) {
            return null;
        }
        double rank = 0.95 * count;
        long seen = 0;
        for (int i = 0; i < latency.length; i++) {
            if (latency[i] == 0) {
                continue;
            }
            if (seen + latency[i] >= rank) {
                double lower = i == 0 ? 0 : upperBound(i - 1);
                double upper = upperBound(i);
                double within = (rank - seen) / latency[i];
                return Math.round((lower + (upper - lower) * within) * 100) / 100.0;
            }
            seen += latency[i];
        }
        return upperBound(latency.length - 1);
    }
}
