package dev.sluice.cache;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code RateLimit-*} headers of a REST call (IETF draft "RateLimit header fields for HTTP"):
 * {@code RateLimit-Limit}, {@code RateLimit-Remaining}, {@code RateLimit-Reset} (seconds) and
 * {@code RateLimit-Policy} of the budget closest to running out, plus {@code Retry-After} when
 * refused. The rate-limit step puts them on the call's result; a refusal carries the same facts in
 * its error data, which {@link #ofRefusal} turns back into headers.
 */
public final class RateLimitHeaders {

    private RateLimitHeaders() {
    }

    /** The headers of a decision; empty when no budget applied. */
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

    /**
     * The headers of a {@code rate-limited} refusal, from its error data ({@code limit},
     * {@code windowSeconds}, {@code retryAfterSeconds}); empty when the data says none of it.
     */
    public static Map<String, String> ofRefusal(JsonNode data) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (data == null || !data.has("retryAfterSeconds")) {
            return headers;
        }
        long retry = Math.max(1, data.path("retryAfterSeconds").asLong(1));
        if (data.has("limit") && data.has("windowSeconds")) {
            headers.put("RateLimit-Limit", data.path("limit").asText());
            headers.put("RateLimit-Remaining", "0");
            headers.put("RateLimit-Reset", Long.toString(retry));
            headers.put("RateLimit-Policy", data.path("limit").asText() + ";w=" + data.path("windowSeconds").asText());
        }
        headers.put("Retry-After", Long.toString(retry));
        return headers;
    }
}
