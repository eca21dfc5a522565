package it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waiting for a running system to get somewhere, with a deadline that fails the test. */
public final class Eventually {
    private Eventually() {
    }

    /** Reads until {@code done} holds (every 200 ms), failing with the last value read after {@code within}. */
    public static <T> T eventually(Duration within, Supplier<T> read, Predicate<T> done) {
        Instant deadline = Instant.now().plus(within);
        T last = read.get();
        while (!done.test(last) && Instant.now().isBefore(deadline)) {
            sleep(Duration.ofMillis(200));
            last = read.get();
        }
        assertThat(done.test(last)).as("within %s: %s", within, last).isTrue();
        return last;
    }

    public static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
