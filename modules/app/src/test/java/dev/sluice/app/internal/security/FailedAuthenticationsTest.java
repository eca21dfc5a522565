package dev.sluice.app.internal.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailedAuthenticationsTest {
    /** A clock the test moves. */
    private static final class Moving extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final Moving clock = new Moving();

    @Test
    void afterTheLimitAnAddressWaitsForTheEndOfItsWindow() {
        FailedAuthentications f = new FailedAuthentications(3, Duration.ofMinutes(1), 1, clock);
        for (int i = 0; i < 3; i++) {
            assertThat(f.throttled("10.0.0.1")).isZero();
            f.failed("10.0.0.1");
        }
        clock.now = clock.now.plusSeconds(20);
        assertThat(f.throttled("10.0.0.1")).isEqualTo(Duration.ofSeconds(40));
        assertThat(f.throttled("10.0.0.2")).as("another address").isZero();
        clock.now = clock.now.plusSeconds(40);
        assertThat(f.throttled("10.0.0.1")).as("a new window").isZero();
    }

    @Test
    void onlyTheFirstFailuresOfAWindowAreAuditedTheRestAreSummarisedOnce() {
        FailedAuthentications f = new FailedAuthentications(1000, Duration.ofMinutes(1), 2, clock);
        List<Boolean> audited = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            audited.add(f.failed("10.0.0.9"));
        }
        assertThat(audited.stream().filter(a -> a).count()).isEqualTo(2);
        assertThat(audited.subList(0, 2)).containsOnly(true);
        assertThat(f.drain()).as("the window goes on").isEmpty();
        clock.now = clock.now.plusSeconds(61);
        List<FailedAuthentications.Summary> summaries = f.drain();
        assertThat(summaries).singleElement().satisfies(s -> {
            assertThat(s.address()).isEqualTo("10.0.0.9");
            assertThat(s.failures()).isEqualTo(500);
            assertThat(s.unrecorded()).isEqualTo(498);
            assertThat(s.throttled()).isZero();
        });
        assertThat(f.drain()).as("summarised once").isEmpty();
    }

    @Test
    void throttledRequestsAreCountedInTheSummary() {
        FailedAuthentications f = new FailedAuthentications(2, Duration.ofMinutes(1), 1, clock);
        f.failed("10.0.0.3");
        f.failed("10.0.0.3");
        for (int i = 0; i < 7; i++) {
            assertThat(f.throttled("10.0.0.3")).isPositive();
        }
        List<FailedAuthentications.Summary> summaries = f.drain(Instant.MAX);
        assertThat(summaries).singleElement().satisfies(s -> {
            assertThat(s.failures()).isEqualTo(2);
            assertThat(s.unrecorded()).isEqualTo(1);
            assertThat(s.throttled()).isEqualTo(7);
        });
    }

    @Test
    void aWindowWithNothingUnrecordedNeedsNoSummary() {
        FailedAuthentications f = new FailedAuthentications(20, Duration.ofMinutes(1), 1, clock);
        assertThat(f.failed("10.0.0.4")).isTrue();
        assertThat(f.drain(Instant.MAX)).isEmpty();
    }

    @Test
    void aLimitOfZeroNeverThrottles() {
        FailedAuthentications f = new FailedAuthentications(0, Duration.ofMinutes(1), 1, clock);
        for (int i = 0; i < 100; i++) {
            f.failed("10.0.0.5");
        }
        assertThat(f.throttled("10.0.0.5")).isZero();
    }

    @Test
    void ipv6AddressesCountByTheirNetwork() {
        assertThat(FailedAuthentications.networkOf("2001:db8:1:2:aaaa::1"))
                .isEqualTo(FailedAuthentications.networkOf("2001:db8:1:2:bbbb::7")).isEqualTo("2001:0db8:0001:0002::/64");
        assertThat(FailedAuthentications.networkOf("[::1]")).isEqualTo("0000:0000:0000:0000::/64");
        assertThat(FailedAuthentications.networkOf("192.0.2.1")).isEqualTo("192.0.2.1");
    }

    @Test
    void pastTheTrackedAddressesFailuresAreCountedTogetherAndNeverThrottled() {
        FailedAuthentications f = new FailedAuthentications(1, Duration.ofMinutes(1), 1, clock);
        for (int i = 0; i < FailedAuthentications.MAX_ADDRESSES; i++) {
            f.failed("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
        }
        assertThat(f.failed("192.0.2.1")).as("the first of the many is audited").isTrue();
        assertThat(f.failed("192.0.2.2")).as("the rest are counted").isFalse();
        assertThat(f.throttled("192.0.2.2")).isZero();
        assertThat(f.drain(Instant.MAX)).anySatisfy(s -> {
            assertThat(s.address()).isEqualTo(FailedAuthentications.MANY);
            assertThat(s.failures()).isEqualTo(2);
        });
    }
}
