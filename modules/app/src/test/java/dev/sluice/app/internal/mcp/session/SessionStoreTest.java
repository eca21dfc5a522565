package dev.sluice.app.internal.mcp.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The store sweeps idle sessions on the scheduler it is given (the container's managed one when
 * deployed, which the application cannot shut down) and cancels the sweep when it is destroyed.
 */
class SessionStoreTest {
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

    SessionStoreTest() {
        scheduler.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void shutDown() {
        scheduler.shutdownNow();
    }

    @Test
    void theSessionSweepEndsWithTheStore() {
        SessionStore store = new SessionStore();
        store.sweepOn(scheduler);
        assertThat(scheduler.getQueue()).hasSize(1);

        store.stop();

        assertThat(scheduler.getQueue()).isEmpty();
    }
}
