package dev.sluice.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.SluiceException;
import dev.sluice.core.UpstreamErrorException;
import dev.sluice.registry.Resilience;
import dev.sluice.registry.Resilience.Setting;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The guard of one upstream, with calls that fail the way upstreams do. */
class UpstreamGuardTest {
    private final List<String> retried = new ArrayList<>();

    private UpstreamGuard guard(Map<Setting, String> settings) {
        Map<Setting, String> fast = new EnumMap<>(Setting.class);
        fast.put(Setting.RETRY_DELAY, "PT0.001S");
        fast.put(Setting.RETRY_MAX_DELAY, "PT0.005S");
        fast.putAll(settings);
        return new UpstreamGuard("pg", new Resilience(fast).over(Resilience.DEFAULTS), retried::add);
    }

    private static Supplier<ObjectNode> failing(AtomicInteger attempts, int failures, ErrorKind kind) {
        return () -> {
            if (attempts.incrementAndGet() <= failures) {
                throw new SluiceException(kind, "upstream 'pg' answered HTTP 503");
            }
            return Json.object().put("attempt", attempts.get());
        };
    }

    @Test
    void anIdempotentCallThatCouldNotReachTheUpstreamIsRetried() {
        UpstreamGuard guard = guard(Map.of());
        AtomicInteger attempts = new AtomicInteger();

        ObjectNode answer = guard.call(true, failing(attempts, 2, ErrorKind.UPSTREAM_UNAVAILABLE));

        assertThat(answer.path("attempt").asInt()).isEqualTo(3);
        assertThat(retried).containsExactly("upstream-unavailable", "upstream-unavailable");
        assertThat(guard.retries()).isEqualTo(2);
    }

    @Test
    void aWriteATimeoutAndAnUpstreamErrorAreNotRetried() {
        UpstreamGuard guard = guard(Map.of());
        AtomicInteger write = new AtomicInteger();
        assertThat(catchThrowableOfType(SluiceException.class,
                () -> guard.call(false, failing(write, 1, ErrorKind.UPSTREAM_UNAVAILABLE))).kind())
                .isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
        assertThat(write).hasValue(1);

        AtomicInteger timedOut = new AtomicInteger();
        assertThat(catchThrowableOfType(SluiceException.class,
                () -> guard.call(true, failing(timedOut, 1, ErrorKind.UPSTREAM_TIMEOUT))).kind())
                .isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
        assertThat(timedOut).hasValue(1);

        AtomicInteger answeredWithError = new AtomicInteger();
        catchThrowableOfType(UpstreamErrorException.class, () -> guard.call(true, () -> {
            answeredWithError.incrementAndGet();
            throw new UpstreamErrorException("pg", Json.object().put("code", -32602).put("message", "bad table"));
        }));
        assertThat(answeredWithError).hasValue(1);
        assertThat(retried).isEmpty();
    }

    @Test
    void theRetriesStopAtMaxRetries() {
        UpstreamGuard guard = guard(Map.of(Setting.RETRY_MAX_RETRIES, "3"));
        AtomicInteger attempts = new AtomicInteger();
        catchThrowableOfType(SluiceException.class,
                () -> guard.call(true, failing(attempts, 100, ErrorKind.UPSTREAM_UNAVAILABLE)));
        assertThat(attempts).hasValue(4);
    }

    @Test
    void failuresOpenTheCircuitWhichFailsFastNamingTheServerThenAProbeClosesIt() throws InterruptedException {
        UpstreamGuard guard = guard(Map.of(Setting.RETRY_MAX_RETRIES, "0", Setting.CIRCUIT_BREAKER_REQUEST_VOLUME, "4",
                Setting.CIRCUIT_BREAKER_DELAY, "PT0.3S", Setting.CIRCUIT_BREAKER_SUCCESS_THRESHOLD, "1"));
        AtomicInteger attempts = new AtomicInteger();
        guard.call(true, () -> Json.object());
        guard.call(true, () -> Json.object());
        for (int i = 0; i < 2; i++) {
            catchThrowableOfType(SluiceException.class, () -> guard.call(true, failing(attempts, 100,
                    ErrorKind.UPSTREAM_UNAVAILABLE)));
        }
        assertThat(guard.circuit()).as("2 of 4 failed: ratio 0.5 reached").isEqualTo("open");

        SluiceException open = catchThrowableOfType(SluiceException.class, () -> guard.call(true,
                failing(attempts, 100, ErrorKind.UPSTREAM_UNAVAILABLE)));
        assertThat(open.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
        assertThat(open.detail()).contains("'pg'").contains("circuit is open").contains("2 of its last 4 calls failed")
                .contains("the last: upstream 'pg' answered HTTP 503").contains("probes resume in");
        assertThat(attempts).as("an open circuit does not call the upstream").hasValue(2);

        TimeUnit.MILLISECONDS.sleep(400);
        assertThat(guard.call(true, () -> Json.object().put("probe", true)).path("probe").asBoolean()).isTrue();
        assertThat(guard.circuit()).isEqualTo("closed");
    }

    @Test
    void theCircuitJudgesWholeCallsNotAttempts() {
        UpstreamGuard guard = guard(Map.of(Setting.CIRCUIT_BREAKER_REQUEST_VOLUME, "2"));
        for (int i = 0; i < 3; i++) {
            AtomicInteger attempts = new AtomicInteger();
            guard.call(true, failing(attempts, 2, ErrorKind.UPSTREAM_UNAVAILABLE)); // third attempt answers
        }
        assertThat(guard.retries()).isEqualTo(6);
        assertThat(guard.circuit()).as("three calls that succeeded after retries").isEqualTo("closed");

        AtomicInteger attempts = new AtomicInteger();
        catchThrowableOfType(SluiceException.class, () -> guard.call(true, failing(attempts, 100,
                ErrorKind.UPSTREAM_UNAVAILABLE)));
        assertThat(attempts).as("retried before the call counts as failed").hasValue(3);
    }

    @Test
    void answersWithErrorsDoNotOpenTheCircuit() {
        UpstreamGuard guard = guard(Map.of(Setting.CIRCUIT_BREAKER_REQUEST_VOLUME, "2"));
        for (int i = 0; i < 5; i++) {
            catchThrowableOfType(UpstreamErrorException.class, () -> guard.call(false, () -> {
                throw new UpstreamErrorException("pg", Json.object().put("code", -32603).put("message", "boom"));
            }));
        }
        assertThat(guard.circuit()).isEqualTo("closed");
    }

    @Test
    void theBulkheadRefusesACallBeyondItsLimitWithUpstreamBusy() throws Exception {
        UpstreamGuard guard = guard(Map.of(Setting.BULKHEAD_MAX_CONCURRENT, "1", Setting.BULKHEAD_MAX_WAIT, "PT0S"));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<ObjectNode> first = CompletableFuture.supplyAsync(() -> guard.call(true, () -> {
            inside.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Json.object().put("first", true);
        }));
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();

        SluiceException busy = catchThrowableOfType(SluiceException.class, () -> guard.call(true, () -> Json.object()));
        assertThat(busy.kind()).isEqualTo(ErrorKind.UPSTREAM_BUSY);
        assertThat(busy.detail()).contains("'pg'").contains("1 calls in flight");
        assertThat(retried).as("a full bulkhead is not retried").isEmpty();

        release.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS).path("first").asBoolean()).isTrue();
        assertThat(guard.call(true, () -> Json.object().put("after", true)).path("after").asBoolean()).isTrue();
    }

    @Test
    void configurationForTheServerWinsOverTheCatalogWhichWinsOverConfigurationForAll() {
        Map<String, String> config = Map.of(
                "sluice.resilience.servers.pg.retry.max-retries", "5",
                "sluice.resilience.retry.max-retries", "1",
                "sluice.resilience.bulkhead.max-concurrent", "7",
                "sluice.resilience.circuit-breaker.delay", "PT1M");
        java.util.function.Function<String, java.util.Optional<String>> source = k -> java.util.Optional.ofNullable(config.get(k));
        Resilience catalog = new Resilience(Map.of(Setting.RETRY_MAX_RETRIES, "3", Setting.CIRCUIT_BREAKER_DELAY, "PT10S"));

        Resilience effective = Resilience.from("sluice.resilience.servers.pg.", source).over(catalog)
                .over(Resilience.from("sluice.resilience.", source)).over(Resilience.DEFAULTS);

        assertThat(effective.integer(Setting.RETRY_MAX_RETRIES)).isEqualTo(5);
        assertThat(effective.duration(Setting.CIRCUIT_BREAKER_DELAY)).hasSeconds(10);
        assertThat(effective.integer(Setting.BULKHEAD_MAX_CONCURRENT)).isEqualTo(7);
        assertThat(effective.fraction(Setting.CIRCUIT_BREAKER_FAILURE_RATIO)).isEqualTo(0.5);

        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> Resilience.from("sluice.resilience.",
                k -> k.endsWith("bulkhead.max-wait") ? java.util.Optional.of("-PT1S") : java.util.Optional.empty()))
                .getMessage()).contains("sluice.resilience.bulkhead.max-wait").contains("must not be negative");
    }
}
