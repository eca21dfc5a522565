package dev.sluice.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CallStatsTest {

    @Test
    void theNinetyFifthPercentileIsWithinOneLatencyBucket() {
        long[] latency = new long[CallStats.LATENCY_BUCKETS];
        // 95 calls of 10 ms and 5 of 900 ms: the 95th is a 10 ms call
        latency[CallStats.latencySlot(10)] += 95;
        latency[CallStats.latencySlot(900)] += 5;
        assertThat(CallStats.p95(latency, 100)).isCloseTo(10.0, within(10 * 0.25));
        latency[CallStats.latencySlot(900)] += 20; // now the slow calls hold the 95th
        assertThat(CallStats.p95(latency, 120)).isCloseTo(900.0, within(900 * 0.25));
        assertThat(CallStats.p95(new long[CallStats.LATENCY_BUCKETS], 0)).isNull();
        assertThat(CallStats.latencySlot(0.01)).isZero();
        assertThat(CallStats.latencySlot(10_000_000)).isEqualTo(CallStats.LATENCY_BUCKETS - 1);
    }

    @Test
    void aWindowHasOnePointPerStepEndingWithTheCurrentMinute() {
        CallStats stats = new CallStats();
        stats.finished(5_000_000, false);
        stats.finished(7_000_000, true);
        stats.cacheLookup(true);
        stats.cacheLookup(false);
        Instant now = Instant.now();
        CallStats.Window hour = stats.window(Duration.ofHours(1), Duration.ofMinutes(1), now);
        assertThat(hour.points()).hasSize(60);
        assertThat(hour.to()).isAfter(now);
        assertThat(hour.from()).isEqualTo(hour.to().minus(Duration.ofHours(1)));
        CallStats.Point last = hour.points().get(59);
        assertThat(last.requests()).isEqualTo(2);
        assertThat(last.errors()).isEqualTo(1);
        assertThat(last.cacheHits()).isEqualTo(1);
        assertThat(last.cacheLookups()).isEqualTo(2);
        assertThat(last.p95Millis()).isBetween(5.0, 9.0);
        assertThat(hour.points().get(0).requests()).isZero();
        assertThat(hour.totals().requests()).isEqualTo(2);
        CallStats.Window day = stats.window(Duration.ofHours(24), Duration.ofMinutes(15), now);
        assertThat(day.points()).hasSize(96);
        assertThat(day.totals().requests()).isEqualTo(2);
        // a minute a day later reuses the slot: yesterday's calls are not counted again
        CallStats.Window tomorrow = stats.window(Duration.ofHours(1), Duration.ofMinutes(1), now.plus(Duration.ofDays(1)));
        assertThat(tomorrow.totals().requests()).isZero();
    }
}
