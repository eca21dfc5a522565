package dev.sluice.registry.internal;

import dev.sluice.registry.UpstreamStatus.State;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Everything this node knows about one upstream server's connection: the live client, the state it
 * is in and since when, the last error, how often it was restarted, and the back-off of failed
 * attempts to start it.
 */
final class UpstreamSlot {
    /** The longest wait between two attempts of calls to start a server that keeps failing. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    final String name;
    volatile UpstreamClient client;
    volatile State state = State.IDLE;
    volatile Instant since = Instant.now();
    volatile String lastError;
    volatile int restarts;
    volatile int failures;
    volatile long nextAttemptNanos;
    volatile long connectedAtNanos;
    /** How long the last successful start took (launch or connect + initialize). */
    volatile long startMillis;

    UpstreamSlot(String name) {
        this.name = name;
    }

    void enter(State s) {
        state = s;
        since = Instant.now();
    }

    /** The client when there is one that is still open, else null. */
    UpstreamClient live() {
        UpstreamClient c = client;
        return c != null && !c.isClosed() ? c : null;
    }

    /**
     * An attempt failed or the connection was given up: the server is down and the next attempt of a
     * call waits 500 ms, doubled with each failure in a row, at most {@link #MAX_BACKOFF}.
     */
    void failed(String why) {
        lastError = why;
        failures++;
        long backoff = Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(failures - 1, 10));
        nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff);
        enter(State.DOWN);
    }

    /** How long the next attempt of a call must still wait, in nanoseconds (zero or less: it may try now). */
    long waitNanos() {
        return nextAttemptNanos - System.nanoTime();
    }

    /** Forgets the failures in a row: the next attempt may start at once. */
    void forgetFailures() {
        failures = 0;
        nextAttemptNanos = 0;
    }
}
