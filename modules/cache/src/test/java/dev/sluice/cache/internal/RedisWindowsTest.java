package dev.sluice.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.BackendHealth;
import dev.sluice.cache.RateLimit;
import dev.sluice.cache.RateLimitDecision;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sliding windows in the shared Redis (localhost:6379): two limiters on two connections stand
 * for two Sluice nodes.
 */
class RedisWindowsTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private String namespace;
    private RedisConnection connectionA;
    private RedisConnection connectionB;
    private WindowLimiter nodeA;
    private WindowLimiter nodeB;

    @BeforeEach
    void connect() {
        namespace = TestRedis.namespace();
        connectionA = TestRedis.connect(namespace);
        connectionB = TestRedis.connect(namespace);
        // the local clock is far off: Redis's own clock must be the one that counts
        MutableClock stopped = new MutableClock();
        nodeA = new WindowLimiter(connectionA, stopped);
        nodeB = new WindowLimiter(connectionB, Clock.systemUTC());
    }

    @AfterEach
    void cleanUp() {
        try {
            TestRedis.deleteNamespace(namespace);
        } finally {
            connectionA.close();
            connectionB.close();
        }
    }

    private static void spend(WindowLimiter node, List<RateLimit> limits, int calls) {
        for (int i = 0; i < calls; i++) {
            RateLimitDecision d = node.acquire(limits);
            assertThat(d.allowed()).as("call %d of %d", i + 1, calls).isTrue();
        }
    }

    @Test
    void twoNodesSpendFromOneBudget() {
        RateLimit alice = new RateLimit("user", "user:alice", 100, MINUTE);

        spend(nodeA, List.of(alice), 60);
        RateLimitDecision sixtyFirst = nodeB.acquire(List.of(alice));
        assertThat(sixtyFirst.allowed()).isTrue();
        assertThat(sixtyFirst.usages().get(0).used()).as("node B sees node A's calls").isEqualTo(61);
        spend(nodeB, List.of(alice), 39);

        RateLimitDecision onA = nodeA.acquire(List.of(alice));
        RateLimitDecision onB = nodeB.acquire(List.of(alice));

        for (RateLimitDecision refused : List.of(onA, onB)) {
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.exceeded()).isEqualTo(alice);
            assertThat(refused.retryAfter()).isGreaterThan(Duration.ofSeconds(45)).isLessThanOrEqualTo(MINUTE);
            assertThat(refused.usages().get(0).used()).isEqualTo(100);
            assertThat(refused.usages().get(0).remaining()).isZero();
        }
        long members = TestRedis.withJedis(j -> j.zcard(namespace + ":rl:user:alice"));
        assertThat(members)
                .as("the window lives in Redis, one member per call that passed").isEqualTo(100L);
    }

    @Test
    void anotherUsersBudgetIsUnaffected() {
        RateLimit alice = new RateLimit("user", "user:alice", 10, MINUTE);
        RateLimit bob = new RateLimit("user", "user:bob", 10, MINUTE);
        spend(nodeA, List.of(alice), 10);
        assertThat(nodeB.acquire(List.of(alice)).allowed()).isFalse();

        RateLimitDecision d = nodeB.acquire(List.of(bob));

        assertThat(d.allowed()).isTrue();
        assertThat(d.usages().get(0).used()).isEqualTo(1);
        assertThat(d.usages().get(0).remaining()).isEqualTo(9);
    }

    @Test
    void anotherNamespaceIsAnotherCluster() {
        RateLimit alice = new RateLimit("user", "user:alice", 3, MINUTE);
        spend(nodeA, List.of(alice), 3);
        assertThat(nodeA.acquire(List.of(alice)).allowed()).isFalse();

        String otherNamespace = TestRedis.namespace();
        try (RedisConnection other = TestRedis.connect(otherNamespace)) {
            WindowLimiter otherCluster = new WindowLimiter(other, Clock.systemUTC());
            assertThat(otherCluster.acquire(List.of(alice)).allowed()).isTrue();
        } finally {
            TestRedis.deleteNamespace(otherNamespace);
        }
    }

    @Test
    void aCallRefusedByOneBudgetSpendsNothingFromTheOtherOnAnyNode() {
        RateLimit user = new RateLimit("user", "user:alice", 10, MINUTE);
        RateLimit tool = new RateLimit("tool", "tool:postgres/query:alice", 2, MINUTE);
        spend(nodeA, List.of(user, tool), 2);

        for (int i = 0; i < 3; i++) {
            RateLimitDecision refused = (i % 2 == 0 ? nodeB : nodeA).acquire(List.of(user, tool));
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.exceeded()).isEqualTo(tool);
            assertThat(refused.tightest()).get().extracting(RateLimitDecision.Usage::limit).isEqualTo(tool);
        }

        assertThat(nodeB.peek(List.of(user))).singleElement().satisfies(u -> {
            assertThat(u.used()).isEqualTo(2);
            assertThat(u.remaining()).isEqualTo(8);
        });
        spend(nodeB, List.of(user), 8);
        assertThat(nodeA.acquire(List.of(user)).allowed()).isFalse();
    }

    @Test
    void usagesReportUsedAndRemainingAndPeekSpendsNothing() {
        RateLimit alice = new RateLimit("user", "user:alice", 10, MINUTE);
        RateLimit org = new RateLimit("organisation", "org:acme", 50, MINUTE);

        assertThat(nodeA.peek(List.of(alice))).singleElement().satisfies(u -> {
            assertThat(u.used()).isZero();
            assertThat(u.remaining()).isEqualTo(10);
            assertThat(u.reset()).isEqualTo(MINUTE);
        });
        spend(nodeA, List.of(alice, org), 2);
        RateLimitDecision third = nodeB.acquire(List.of(alice, org));

        assertThat(third.usages()).extracting(RateLimitDecision.Usage::used).containsExactly(3, 3);
        assertThat(third.usages()).extracting(RateLimitDecision.Usage::remaining).containsExactly(7, 47);
        assertThat(third.usages().get(0).reset()).isGreaterThan(Duration.ofSeconds(50)).isLessThanOrEqualTo(MINUTE);
        for (int i = 0; i < 20; i++) {
            assertThat(nodeA.peek(List.of(alice, org))).extracting(RateLimitDecision.Usage::used)
                    .containsExactly(3, 3);
        }
    }

    @Test
    void theWindowSlidesByRedisTime() throws InterruptedException {
        RateLimit alice = new RateLimit("user", "user:alice", 3, Duration.ofSeconds(2));
        spend(nodeA, List.of(alice), 2); // at t0
        Thread.sleep(1000);
        spend(nodeB, List.of(alice), 1); // at t0 + 1 s

        RateLimitDecision refused = nodeA.acquire(List.of(alice));
        assertThat(refused.allowed()).isFalse();
        // the calls of t0 leave the window at t0 + 2 s, about a second from now
        assertThat(refused.retryAfter()).isGreaterThan(Duration.ofMillis(300)).isLessThanOrEqualTo(Duration.ofSeconds(1));

        Thread.sleep(refused.retryAfter().toMillis() + 100);

        RateLimitDecision retried = nodeB.acquire(List.of(alice));
        assertThat(retried.allowed()).as("retryAfter was truthful").isTrue();
        assertThat(retried.usages().get(0).used()).as("the call of t0 + 1 s still counts").isEqualTo(2);
        assertThat(nodeA.acquire(List.of(alice)).allowed()).isTrue();
        assertThat(nodeA.acquire(List.of(alice)).allowed()).as("a sliding window, not a fresh bucket").isFalse();
    }

    @Test
    void theLimiterReportsRedisAsItsBackend() {
        BackendHealth health = nodeA.health();

        assertThat(health.configured()).isEqualTo("redis");
        assertThat(health.active()).isEqualTo("redis");
        assertThat(health.degraded()).isFalse();
        assertThat(health.detail()).isNull();
    }
}
