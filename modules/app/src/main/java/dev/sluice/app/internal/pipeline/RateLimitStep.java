package dev.sluice.app.internal.pipeline;

import dev.sluice.cache.RateLimit;
import dev.sluice.cache.RateLimitDecision;
import dev.sluice.cache.RateLimitPolicy;
import dev.sluice.cache.RateLimiter;
import dev.sluice.core.Call;
import dev.sluice.core.CallKind;
import dev.sluice.core.CallResult;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.PipelineStep;
import dev.sluice.core.SluiceException;
import java.util.List;

/**
 * The rate-limit step, after authorisation: every call spends one call from the caller's user
 * budget, its organisation's, and a matching tool budget, all or none. A refused call gets a
 * {@code rate-limited} error (HTTP 429 with {@code Retry-After} and {@code RateLimit-*} headers on
 * REST, JSON-RPC error -32012 on MCP) whose data says which budget is spent and when to retry.
 */
final class RateLimitStep implements PipelineStep {
    private final RateLimiter limiter;
    private final RateLimitPolicy policy;
    private final PipelineMetrics metrics;

    RateLimitStep(RateLimiter limiter, RateLimitPolicy policy, PipelineMetrics metrics) {
        this.limiter = limiter;
        this.policy = policy;
        this.metrics = metrics;
    }

    @Override
    public CallResult apply(Call call, Next next) {
        List<RateLimit> limits = policy.limitsFor(call.caller(), call.server(),
                call.kind() == CallKind.TOOL ? call.target() : null); // a task's polls: the caller's limits only
        if (limits.isEmpty()) {
            return next.proceed(call);
        }
        RateLimitDecision decision = limiter.acquire(limits);
        RateLimitHeaders.remember(decision);
        if (!decision.allowed()) {
            RateLimit spent = decision.exceeded();
            metrics.rateLimited(spent.scope(), call.server());
            throw refusal(spent, decision);
        }
        return next.proceed(call);
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
