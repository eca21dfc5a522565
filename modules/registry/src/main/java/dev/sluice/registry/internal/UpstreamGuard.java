package dev.sluice.registry.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.Resilience;
import dev.sluice.registry.Resilience.Setting;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The fault tolerance of calls to one upstream on this node: a bulkhead (calls in flight at once),
 * a circuit breaker (open after a failure ratio, half-open probes after a delay) and, for idempotent
 * calls only, retries with exponential back-off and jitter. The timeout is the connection's own
 * request timeout. Only failures to reach the upstream count and are retried: an upstream that
 * answers with an error is working.
 *
 * <p>Order, outermost first: circuit breaker, retry, bulkhead, the call. The circuit judges whole
 * calls (a call that succeeded on its second attempt is a success), an open circuit refuses a call
 * before any attempt, a retry waits outside the bulkhead, and a call refused by a full bulkhead is
 * neither retried nor counted by the circuit.
 */
final class UpstreamGuard {
    private static final Logger LOG = Logger.getLogger(UpstreamGuard.class.getName());
    /** Failures that say the upstream could not be reached or did not answer. */
    private static final Set<ErrorKind> COUNTED = Set.of(ErrorKind.UPSTREAM_UNAVAILABLE, ErrorKind.UPSTREAM_TIMEOUT);

    private final String server;
    private final Resilience settings;
    private final Bulkhead bulkhead;
    private final CircuitBreaker breaker;
    private final Retry retry;
    private final LongAdder retries = new LongAdder();
    private volatile long openedAtNanos;
    private volatile String openedBecause = "";
    private volatile String lastFailure;

    /**
     * @param settings the effective settings (every value present or defaulted)
     * @param onRetry told the reason of each retry
     */
    UpstreamGuard(String server, Resilience settings, Consumer<String> onRetry) {
        this.server = server;
        this.settings = settings;
        this.bulkhead = Bulkhead.of(server, BulkheadConfig.custom()
                .maxConcurrentCalls(settings.integer(Setting.BULKHEAD_MAX_CONCURRENT))
                .maxWaitDuration(settings.duration(Setting.BULKHEAD_MAX_WAIT))
                .build());
        if (settings.flag(Setting.CIRCUIT_BREAKER_ENABLED)) {
            int volume = settings.integer(Setting.CIRCUIT_BREAKER_REQUEST_VOLUME);
            this.breaker = CircuitBreaker.of(server, CircuitBreakerConfig.custom()
                    .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .slidingWindowSize(volume)
                    .minimumNumberOfCalls(volume)
                    .failureRateThreshold((float) Math.max(1, 100 * settings.fraction(Setting.CIRCUIT_BREAKER_FAILURE_RATIO)))
                    .waitDurationInOpenState(positive(settings.duration(Setting.CIRCUIT_BREAKER_DELAY)))
                    .permittedNumberOfCallsInHalfOpenState(settings.integer(Setting.CIRCUIT_BREAKER_SUCCESS_THRESHOLD))
                    .recordException(UpstreamGuard::counted)
                    .ignoreException(e -> e instanceof SluiceException se && se.kind() == ErrorKind.UPSTREAM_BUSY)
                    .build());
            breaker.getEventPublisher().onStateTransition(e -> {
                CircuitBreaker.State to = e.getStateTransition().getToState();
                if (to == CircuitBreaker.State.OPEN) {
                    CircuitBreaker.Metrics m = breaker.getMetrics();
                    openedAtNanos = System.nanoTime();
                    openedBecause = e.getStateTransition().getFromState() == CircuitBreaker.State.HALF_OPEN
                            ? "a probe failed while it was half-open"
                            : m.getNumberOfFailedCalls() + " of its last " + m.getNumberOfBufferedCalls() + " calls failed";
                }
                LOG.warning(() -> "upstream " + server + ": circuit " + e.getStateTransition().getFromState() + " -> " + to
                        + (to == CircuitBreaker.State.OPEN ? " (" + openedBecause + ")" : ""));
            });
        } else {
            this.breaker = null;
        }
        int maxRetries = settings.integer(Setting.RETRY_MAX_RETRIES);
        this.retry = maxRetries == 0 ? null : Retry.of(server, RetryConfig.custom()
                .maxAttempts(maxRetries + 1)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                        positive(settings.duration(Setting.RETRY_DELAY)), 2.0,
                        Math.min(0.99, settings.fraction(Setting.RETRY_JITTER)),
                        positive(settings.duration(Setting.RETRY_MAX_DELAY))))
                .retryOnException(UpstreamGuard::retryable)
                .failAfterMaxAttempts(false)
                .build());
        if (retry != null) {
            retry.getEventPublisher().onRetry(e -> {
                retries.increment();
                String why = e.getLastThrowable() instanceof SluiceException se ? se.kind().slug() : "error";
                onRetry.accept(why);
                LOG.fine(() -> "retrying a call to " + server + " (attempt " + (e.getNumberOfRetryAttempts() + 1) + ")");
            });
        }
    }

    private static Duration positive(Duration d) {
        return d.isZero() ? Duration.ofMillis(1) : d;
    }

    /** A failure the circuit breaker counts: the upstream could not be reached or did not answer in time. */
    private static boolean counted(Throwable e) {
        return e instanceof SluiceException se && COUNTED.contains(se.kind());
    }

    /** A failure worth another attempt: the call never reached a working upstream (not a timeout: it may have run). */
    private static boolean retryable(Throwable e) {
        return e instanceof SluiceException se && se.kind() == ErrorKind.UPSTREAM_UNAVAILABLE;
    }

    /** The settings this guard was built with. */
    Resilience settings() {
        return settings;
    }

    /**
     * Runs one call to the upstream under the guard.
     *
     * @param idempotent whether the call may be retried
     * @throws SluiceException {@code upstream-unavailable} when the circuit is open (naming the server and
     *     when probes resume), {@code upstream-busy} when the bulkhead stays full, or the call's own failure
     */
    ObjectNode call(boolean idempotent, Supplier<ObjectNode> attempt) {
        Supplier<ObjectNode> limited = () -> {
            try {
                return Bulkhead.decorateSupplier(bulkhead, attempt).get();
            } catch (SluiceException e) {
                if (counted(e)) {
                    lastFailure = e.detail();
                }
                throw e;
            } catch (BulkheadFullException e) {
                throw new SluiceException(ErrorKind.UPSTREAM_BUSY, "upstream '" + server + "' already has "
                        + bulkhead.getBulkheadConfig().getMaxConcurrentCalls() + " calls in flight on this node (its"
                        + " bulkhead); none finished within " + bulkhead.getBulkheadConfig().getMaxWaitDuration().toMillis()
                        + " ms, try again shortly");
            }
        };
        Supplier<ObjectNode> retried = idempotent && retry != null ? Retry.decorateSupplier(retry, limited) : limited;
        try {
            return breaker == null ? retried.get() : CircuitBreaker.decorateSupplier(breaker, retried).get();
        } catch (CallNotPermittedException e) { // not retried: the open circuit answers at once
            long left = positive(settings.duration(Setting.CIRCUIT_BREAKER_DELAY)).toNanos()
                    - (System.nanoTime() - openedAtNanos);
            String when = breaker.getState() == CircuitBreaker.State.HALF_OPEN
                    ? "probes are under way"
                    : "probes resume in " + Math.max(1, TimeUnit.NANOSECONDS.toSeconds(left)) + " s";
            throw new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, "upstream '" + server
                    + "' is failing and its circuit is open (" + openedBecause + (lastFailure == null ? ""
                    : "; the last: " + lastFailure) + "); calls are refused at once, " + when);
        }
    }

    /** {@code closed}, {@code open}, {@code half-open} or {@code disabled}. */
    String circuit() {
        if (breaker == null) {
            return "disabled";
        }
        return switch (breaker.getState()) {
            case OPEN, FORCED_OPEN -> "open";
            case HALF_OPEN -> "half-open";
            case CLOSED, DISABLED, METRICS_ONLY -> "closed";
        };
    }

    /** Retries made so far. */
    long retries() {
        return retries.sum();
    }
}
