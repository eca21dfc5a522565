package dev.sluice.cache;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The answer to one call's request for budget.
 *
 * @param allowed whether the call may go on (it then spent one call of every budget)
 * @param usages every budget the call was held to, after the call
 * @param exceeded the budget that refused the call, or null
 * @param retryAfter when the refused call would pass, or {@link Duration#ZERO}
 */
public record RateLimitDecision(boolean allowed, List<Usage> usages, RateLimit exceeded, Duration retryAfter) {

    public RateLimitDecision {
        usages = List.copyOf(usages);
        retryAfter = retryAfter == null ? Duration.ZERO : retryAfter;
    }

    /** A call held to no budget (rate limits off, or none applies). */
    public static RateLimitDecision unlimited() {
        return new RateLimitDecision(true, List.of(), null, Duration.ZERO);
    }

    /** The budget closest to running out: the one RateLimit-* headers report. */
    public Optional<Usage> tightest() {
        if (exceeded != null) {
            return usages.stream().filter(u -> u.limit().equals(exceeded)).findFirst();
        }
        return usages.stream().min(Comparator.comparingInt(Usage::remaining));
    }

    /**
     * How much of one budget is spent.
     *
     * @param used calls counted in the present window
     * @param remaining calls left in it
     * @param reset when the oldest counted call leaves the window (a slot frees up)
     */
    public record Usage(RateLimit limit, int used, int remaining, Duration reset) {
    }
}
