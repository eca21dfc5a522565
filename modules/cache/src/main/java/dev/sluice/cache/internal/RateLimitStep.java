package dev.sluice.cache.internal;

import dev.sluice.cache.RateLimit;
import dev.sluice.cache.RateLimitDecision;
import dev.sluice.cache.RateLimitHeaders;
import dev.sluice.cache.RateLimitPolicy;
import dev.sluice.cache.RateLimiter;
import dev.sluice.core.Call;
import dev.sluice.core.CallKind;
import dev.sluice.core.CallResult;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.PipelineStep;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Step;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The rate-limit step, for every kind of call: one call spent from each budget that applies (the
 * caller's, the organisation's, and for a tool call the tool's per user), across nodes when Redis is
 * there. A spent budget refuses the call with a {@code rate-limited} error (HTTP 429 with
 * {@code Retry-After} and the budget's numbers in its data); an allowed call carries the
 * {@code RateLimit-*} headers of the budget closest to running out on its result.
 */
@ApplicationScoped
@Step(Step.Stage.RATE_LIMIT)
public class RateLimitStep implements PipelineStep {

    @Inject
    RateLimiter limiter;

    @Inject
    RateLimitPolicy policy;

    public RateLimitStep() {
    }

    RateLimitStep(RateLimiter limiter, RateLimitPolicy policy) {
        this.limiter = limiter;
        this.policy = policy;
    }

    @Override
    public CallResult apply(Call call, Next next) {
        // a task's polls and a completion's keystrokes spend the caller's budgets, not the tool's
        List<RateLimit> limits = policy.limitsFor(call.caller(), call.server(),
                call.kind() == CallKind.TOOL ? call.target() : null);
        if (limits.isEmpty()) {
            return next.proceed(call);
        }
        RateLimitDecision decision = limiter.acquire(limits);
        if (!decision.allowed()) {
            throw refusal(decision.exceeded(), decision);
        }
        return next.proceed(call).withHeaders(RateLimitHeaders.of(decision));
    }

    static SluiceException refusal(RateLimit spent, RateLimitDecision decision) {
        long retry = Math.max(1, (decision.retryAfter().toMillis() + 999) / 1000);
        long window = spent.window().toSeconds();
        String whose = switch (spent.scope()) {
            case "organisation" -> "the organisation '" + spent.key().substring("org:".length()) + "'";
            case "tool" -> "this tool for this user";
            default -> "this user";
        };
        return new SluiceException(ErrorKind.RATE_LIMITED, "rate limit of " + spent.limit() + " calls per " + window
                + " s for " + whose + " is spent; retry in " + retry + " s",
                Json.object().put("scope", spent.scope()).put("limit", spent.limit())
                        .put("windowSeconds", window).put("remaining", 0).put("retryAfterSeconds", retry),
                null);
    }
}
