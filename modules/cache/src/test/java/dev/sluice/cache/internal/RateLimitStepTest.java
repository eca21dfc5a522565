package dev.sluice.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.cache.RateLimitPolicy;
import dev.sluice.core.Call;
import dev.sluice.core.CallKind;
import dev.sluice.core.CallResult;
import dev.sluice.core.Caller;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.ServerPolicy;
import dev.sluice.core.SluiceException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimitStepTest {
    private static final Caller ADA = new Caller("ada", "engineer", "acme", Set.of(), null, Set.of());

    private static Call call(CallKind kind, String target) {
        return new Call("req-1", kind, ADA, "db", target, Json.object(), null, null, ServerPolicy.OPEN);
    }

    private final AtomicInteger reached = new AtomicInteger();

    private CallResult run(RateLimitStep step, Call call) {
        return step.apply(call, c -> {
            reached.incrementAndGet();
            return CallResult.of(Json.object());
        });
    }

    @Test
    void anAllowedCallCarriesTheHeadersOfTheTightestBudget() {
        RateLimitStep step = new RateLimitStep(new WindowLimiter(null, Clock.systemUTC()),
                new RateLimitPolicy(true, Duration.ofMinutes(1), 3, 100, List.of(), List.of()));
        CallResult result = run(step, call(CallKind.TOOL, "query"));
        assertThat(result.headers()).containsEntry("RateLimit-Limit", "3").containsEntry("RateLimit-Remaining", "2")
                .containsEntry("RateLimit-Policy", "3;w=60");
    }

    @Test
    void aSpentBudgetRefusesWithoutReachingTheUpstream_forEveryKindOfCall() {
        RateLimitStep step = new RateLimitStep(new WindowLimiter(null, Clock.systemUTC()),
                new RateLimitPolicy(true, Duration.ofMinutes(1), 2, 0, List.of(), List.of()));
        run(step, call(CallKind.TOOL, "query"));
        run(step, call(CallKind.SUBSCRIBE, "file:///a")); // a subscription spends from the same budget
        assertThatThrownBy(() -> run(step, call(CallKind.PROMPT_COMPLETION, "greet")))
                .isInstanceOfSatisfying(SluiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
                    assertThat(e.data().orElseThrow().path("scope").asText()).isEqualTo("user");
                    assertThat(e.data().orElseThrow().path("retryAfterSeconds").asLong()).isPositive();
                });
        assertThat(reached).hasValue(2);
    }

    @Test
    void aToolsOwnBudgetAppliesToCallsOfTheToolOnly_notToItsTasksPolls() {
        RateLimitStep step = new RateLimitStep(new WindowLimiter(null, Clock.systemUTC()),
                new RateLimitPolicy(true, Duration.ofMinutes(1), 100, 0, List.of(), List.of("db/slow=1")));
        run(step, call(CallKind.TOOL, "slow"));
        assertThatThrownBy(() -> run(step, call(CallKind.TOOL, "slow")))
                .isInstanceOfSatisfying(SluiceException.class, e ->
                        assertThat(e.data().orElseThrow().path("scope").asText()).isEqualTo("tool"));
        run(step, call(CallKind.TASK_GET, "slow"));
        run(step, call(CallKind.TASK_GET, "slow"));
        assertThat(reached).hasValue(3);
    }

    @Test
    void withRateLimitsOffNothingIsCountedOrAdded() {
        RateLimitStep step = new RateLimitStep(new WindowLimiter(null, Clock.systemUTC()),
                new RateLimitPolicy(false, Duration.ofMinutes(1), 1, 1, List.of(), List.of()));
        for (int i = 0; i < 3; i++) {
            assertThat(run(step, call(CallKind.TOOL, "query")).headers()).isEmpty();
        }
    }
}
