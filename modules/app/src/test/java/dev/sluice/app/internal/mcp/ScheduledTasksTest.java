package dev.sluice.app.internal.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The beans that repeat a task schedule it on the scheduler they are given (the container's managed
 * one when deployed, which the application cannot shut down) and cancel it when they are destroyed.
 */
class ScheduledTasksTest {
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

    ScheduledTasksTest() {
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

    @Test
    void theKeepAliveEndsWithTheNotifier() {
        McpNotifier notifier = new McpNotifier();
        notifier.keepAliveOn(scheduler);
        assertThat(scheduler.getQueue()).hasSize(1);

        notifier.stop();

        assertThat(scheduler.getQueue()).isEmpty();
    }
}
