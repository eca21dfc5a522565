package dev.sluice.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.registry.UpstreamStatus.State;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The back-off of failed attempts: 500 ms, doubled with each failure in a row, at most a minute. */
class UpstreamSlotTest {

    private static long backoffMillis(UpstreamSlot slot) {
        return TimeUnit.NANOSECONDS.toMillis(slot.waitNanos());
    }

    @Test
    void eachFailureInARowDoublesTheWait() {
        UpstreamSlot slot = new UpstreamSlot("pg");

        slot.failed("refused");
        assertThat(backoffMillis(slot)).isBetween(250L, 500L);
        slot.failed("refused");
        assertThat(backoffMillis(slot)).isBetween(750L, 1000L);
        slot.failed("refused again");
        assertThat(backoffMillis(slot)).isBetween(1750L, 2000L);

        assertThat(slot.state).isEqualTo(State.DOWN);
        assertThat(slot.lastError).isEqualTo("refused again");
        assertThat(slot.failures).isEqualTo(3);
    }

    @Test
    void theWaitStopsGrowingAtAMinute() {
        UpstreamSlot slot = new UpstreamSlot("pg");

        for (int i = 0; i < 20; i++) {
            slot.failed("refused");
        }

        assertThat(backoffMillis(slot)).isBetween(55_000L, UpstreamSlot.MAX_BACKOFF.toMillis());
    }

    @Test
    void forgettingTheFailuresLetsTheNextAttemptStartAtOnce() {
        UpstreamSlot slot = new UpstreamSlot("pg");
        slot.failed("refused");
        slot.failed("refused");

        slot.forgetFailures();

        assertThat(slot.waitNanos()).isNotPositive();
        slot.failed("refused");
        assertThat(backoffMillis(slot)).as("from the start again").isBetween(250L, 500L);
    }

    @Test
    void enteringAStateNotesWhen() throws InterruptedException {
        UpstreamSlot slot = new UpstreamSlot("pg");
        Instant created = slot.since;
        Thread.sleep(5);

        slot.enter(State.STARTING);

        assertThat(slot.state).isEqualTo(State.STARTING);
        assertThat(slot.since).isAfter(created);
        assertThat(slot.live()).as("no client yet").isNull();
    }
}
