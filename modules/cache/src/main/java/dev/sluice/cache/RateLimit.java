package dev.sluice.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * One budget a call spends from: at most {@code limit} calls in any {@code window} (a sliding
 * window: the calls of the last minute, not of the current clock minute).
 *
 * @param scope what the budget belongs to: {@code user}, {@code organisation} or {@code tool}
 * @param key the counter's identity, e.g. {@code user:alice} or {@code tool:postgres/query:alice}
 * @param limit calls allowed in a window
 * @param window the window's length
 */
public record RateLimit(String scope, String key, int limit, Duration window) {
    public RateLimit {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(window, "window");
        if (limit <= 0) {
            throw new IllegalArgumentException("a rate limit must be positive, not " + limit);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a rate-limit window must be positive");
        }
    }
}
