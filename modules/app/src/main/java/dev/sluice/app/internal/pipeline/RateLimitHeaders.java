package dev.sluice.app.internal.pipeline;

import dev.sluice.cache.RateLimitDecision;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code RateLimit-*} headers of a REST call. The rate-limit step runs on the request's own
 * thread for REST calls; it leaves its decision here and the REST response filter, which clears the
 * slot when the request starts, turns it into headers when the response leaves.
 */
public final class RateLimitHeaders {
    private static final ThreadLocal<RateLimitDecision> LAST = new ThreadLocal<>();

    private RateLimitHeaders() {
    }

    static void remember(RateLimitDecision decision) {
        LAST.set(decision);
    }

    /** Forgets what an earlier request on this thread left. */
    public static void reset() {
        LAST.remove();
    }

    /**
     * The headers of the decision this thread's request produced, and forgets it: {@code RateLimit-Limit},
     * {@code RateLimit-Remaining}, {@code RateLimit-Reset} (seconds) and {@code RateLimit-Policy}
     * of the budget closest to running out, plus {@code Retry-After} when refused. Empty when no
     * budget applied.
     */
    public static Map<String, String> take() {
        RateLimitDecision decision = LAST.get();
        LAST.remove();
        return decision == null ? Map.of() : of(decision);
    }

    public static Map<String, String> of(RateLimitDecision decision) {
        Map<String, String> headers = new LinkedHashMap<>();
        decision.tightest().ifPresent(u -> {
            headers.put("RateLimit-Limit", Integer.toString(u.limit().limit()));
            headers.put("RateLimit-Remaining", Integer.toString(decision.allowed() ? u.remaining() : 0));
            headers.put("RateLimit-Reset", Long.toString(Math.max(decision.allowed() ? 0 : 1,
                    ((decision.allowed() ? u.reset() : decision.retryAfter()).toMillis() + 999) / 1000)));
            headers.put("RateLimit-Policy", u.limit().limit() + ";w=" + u.limit().window().toSeconds());
        });
        if (!decision.allowed()) {
            headers.put("Retry-After", Long.toString(Math.max(1, (decision.retryAfter().toMillis() + 999) / 1000)));
        }
        return headers;
    }
}
