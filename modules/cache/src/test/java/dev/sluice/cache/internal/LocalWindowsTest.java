package dev.sluice.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.BackendHealth;
import dev.sluice.cache.RateLimit;
import dev.sluice.cache.RateLimitDecision;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-process sliding windows, through the limiter without Redis, on a clock the test moves. */
class LocalWindowsTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final MutableClock clock = new MutableClock();
    private final WindowLimiter limiter = new WindowLimiter(null, clock);
    private final RateLimit alice = new RateLimit("user", "user:alice", 100, MINUTE);

    private void spend(List<RateLimit> limits, int calls) {
        for (int i = 0; i < calls; i++) {
            RateLimitDecision d = limiter.acquire(limits);
            assertThat(d.allowed()).as("call %d of %d", i + 1, calls).isTrue();
        }
    }

    @Test
    void oneHundredCallsPassAndTheHundredAndFirstIsRefusedUntilTheOldestLeaves() {
        // one call every 100 ms: the oldest is at t0, the 100th at t0 + 9.9 s
        for (int i = 0; i < 100; i++) {
            RateLimitDecision d = limiter.acquire(List.of(alice));
            assertThat(d.allowed()).as("call %d", i + 1).isTrue();
            assertThat(d.exceeded()).isNull();
            assertThat(d.retryAfter()).isEqualTo(Duration.ZERO);
            clock.advance(Duration.ofMillis(100));
        }
        // now t0 + 10 s
        RateLimitDecision refused = limiter.acquire(List.of(alice));

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.exceeded()).isEqualTo(alice);
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(50));
        assertThat(refused.usages()).singleElement().satisfies(u -> {
            assertThat(u.used()).isEqualTo(100);
            assertThat(u.remaining()).isZero();
            assertThat(u.reset()).isEqualTo(Duration.ofSeconds(50));
        });
        assertThat(refused.tightest()).get().extracting(RateLimitDecision.Usage::limit).isEqualTo(alice);
    }

    @Test
    void aRefusedCallPassesOnceItsRetryAfterHasGoneBy() {
        spend(List.of(alice), 100);
        clock.advance(Duration.ofSeconds(20));
        RateLimitDecision refused = limiter.acquire(List.of(alice));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(40));

        clock.advance(refused.retryAfter().minusMillis(1));
        assertThat(limiter.acquire(List.of(alice)).allowed()).as("1 ms before retryAfter").isFalse();

        clock.advance(Duration.ofMillis(1));
        RateLimitDecision retried = limiter.acquire(List.of(alice));
        assertThat(retried.allowed()).as("at retryAfter").isTrue();
        // the 100 calls of t0 left together; only the retried call counts now
        assertThat(retried.usages().get(0).used()).isEqualTo(1);
        assertThat(retried.usages().get(0).remaining()).isEqualTo(99);
    }

    @Test
    void theWindowSlidesInsteadOfResettingEveryMinute() {
        spend(List.of(alice), 50); // at t0
        clock.advance(Duration.ofSeconds(30));
        spend(List.of(alice), 50); // at t0 + 30 s

        RateLimitDecision refused = limiter.acquire(List.of(alice));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(30));

        clock.advance(Duration.ofSeconds(31)); // t0 + 61 s: the first 50 left, the next 50 have not
        RateLimitDecision.Usage usage = limiter.peek(List.of(alice)).get(0);
        assertThat(usage.used()).isEqualTo(50);
        assertThat(usage.remaining()).isEqualTo(50);
        assertThat(usage.reset()).isEqualTo(Duration.ofSeconds(29));

        spend(List.of(alice), 50);
        RateLimitDecision again = limiter.acquire(List.of(alice));
        assertThat(again.allowed()).as("only 50 slots were free, not a fresh 100").isFalse();
        assertThat(again.retryAfter()).isEqualTo(Duration.ofSeconds(29));
    }

    @Test
    void anIdleBudgetIsWhollyFreeAfterAWindow() {
        spend(List.of(alice), 100);
        assertThat(limiter.acquire(List.of(alice)).allowed()).isFalse();

        clock.advance(Duration.ofSeconds(61));

        spend(List.of(alice), 100);
        assertThat(limiter.acquire(List.of(alice)).allowed()).isFalse();
    }

    @Test
    void aCallRefusedByOneBudgetSpendsNothingFromTheOther() {
        RateLimit tool = new RateLimit("tool", "tool:postgres/query:alice", 2, MINUTE);
        List<RateLimit> limits = List.of(alice, tool);
        spend(limits, 2);

        for (int i = 0; i < 5; i++) {
            RateLimitDecision refused = limiter.acquire(limits);
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.exceeded()).isEqualTo(tool);
        }

        RateLimitDecision.Usage user = limiter.peek(List.of(alice)).get(0);
        assertThat(user.used()).as("refused calls did not spend the user budget").isEqualTo(2);
        assertThat(user.remaining()).isEqualTo(98);
    }

    @Test
    void oneUsersRefusedCallsDoNotEatTheOrganisationBudgetOfOthers() {
        RateLimit org = new RateLimit("organisation", "org:acme", 5, MINUTE);
        RateLimit aliceUser = new RateLimit("user", "user:alice", 2, MINUTE);
        RateLimit bobUser = new RateLimit("user", "user:bob", 100, MINUTE);

        spend(List.of(aliceUser, org), 2);
        for (int i = 0; i < 10; i++) {
            RateLimitDecision refused = limiter.acquire(List.of(aliceUser, org));
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.exceeded()).isEqualTo(aliceUser);
        }

        spend(List.of(bobUser, org), 3);
        RateLimitDecision bobRefused = limiter.acquire(List.of(bobUser, org));
        assertThat(bobRefused.allowed()).isFalse();
        assertThat(bobRefused.exceeded()).isEqualTo(org);
        assertThat(bobRefused.tightest()).get().extracting(RateLimitDecision.Usage::limit).isEqualTo(org);
        // bob's own budget is untouched by the refused call
        assertThat(limiter.peek(List.of(bobUser)).get(0).used()).isEqualTo(3);
    }

    @Test
    void theDecisionReportsEveryBudgetAfterTheCall() {
        RateLimit org = new RateLimit("organisation", "org:acme", 1000, MINUTE);
        spend(List.of(alice, org), 9);

        RateLimitDecision d = limiter.acquire(List.of(alice, org));

        assertThat(d.allowed()).isTrue();
        assertThat(d.usages()).extracting(RateLimitDecision.Usage::limit).containsExactly(alice, org);
        assertThat(d.usages()).extracting(RateLimitDecision.Usage::used).containsExactly(10, 10);
        assertThat(d.usages()).extracting(RateLimitDecision.Usage::remaining).containsExactly(90, 990);
        assertThat(d.tightest()).get().extracting(RateLimitDecision.Usage::limit).isEqualTo(alice);
    }

    @Test
    void peekSpendsNothing() {
        spend(List.of(alice), 40);
        for (int i = 0; i < 200; i++) {
            List<RateLimitDecision.Usage> usages = limiter.peek(List.of(alice));
            assertThat(usages).singleElement().satisfies(u -> {
                assertThat(u.used()).isEqualTo(40);
                assertThat(u.remaining()).isEqualTo(60);
            });
        }
        spend(List.of(alice), 60);
        assertThat(limiter.acquire(List.of(alice)).allowed()).isFalse();
    }

    @Test
    void peekOnAFullBudgetSaysSoWithoutSpending() {
        spend(List.of(alice), 100);
        clock.advance(Duration.ofSeconds(15));

        assertThat(limiter.peek(List.of(alice))).singleElement().satisfies(u -> {
            assertThat(u.used()).isEqualTo(100);
            assertThat(u.remaining()).isZero();
            assertThat(u.reset()).isEqualTo(Duration.ofSeconds(45));
        });
    }

    @Test
    void anUnusedBudgetIsReportedFullWithAWholeWindowToReset() {
        assertThat(limiter.peek(List.of(alice))).singleElement().satisfies(u -> {
            assertThat(u.used()).isZero();
            assertThat(u.remaining()).isEqualTo(100);
            assertThat(u.reset()).isEqualTo(MINUTE);
        });
    }

    @Test
    void eachUserHasABudgetOfTheirOwn() {
        RateLimit bob = new RateLimit("user", "user:bob", 100, MINUTE);
        spend(List.of(alice), 100);
        assertThat(limiter.acquire(List.of(alice)).allowed()).isFalse();

        RateLimitDecision d = limiter.acquire(List.of(bob));
        assertThat(d.allowed()).isTrue();
        assertThat(d.usages().get(0).used()).isEqualTo(1);
    }

    @Test
    void aCallHeldToNoBudgetAlwaysPasses() {
        for (int i = 0; i < 1000; i++) {
            RateLimitDecision d = limiter.acquire(List.of());
            assertThat(d.allowed()).isTrue();
            assertThat(d.usages()).isEmpty();
        }
        assertThat(limiter.peek(List.of())).isEmpty();
    }

    @Test
    void withoutRedisTheLimiterReportsItselfInProcessAndHealthy() {
        BackendHealth health = limiter.health();

        assertThat(health.configured()).isEqualTo("in-process");
        assertThat(health.active()).isEqualTo("in-process");
        assertThat(health.degraded()).isFalse();
        assertThat(health.detail()).isNull();
    }

    @Test
    void theWindowsThemselvesSpendOnlyWhenAsked() {
        LocalWindows windows = new LocalWindows(clock);
        RateLimit two = new RateLimit("user", "user:carol", 2, MINUTE);

        assertThat(windows.acquire(List.of(two), false).allowed()).isTrue();
        assertThat(windows.acquire(List.of(two), false).allowed()).isTrue();
        assertThat(windows.acquire(List.of(two), false).usages().get(0).used()).isZero();
        assertThat(windows.acquire(List.of(two), true).allowed()).isTrue();
        assertThat(windows.acquire(List.of(two), true).allowed()).isTrue();
        RateLimitDecision third = windows.acquire(List.of(two), true);
        assertThat(third.allowed()).isFalse();
        assertThat(third.retryAfter()).isEqualTo(MINUTE);
    }
}
