package dev.sluice.app.internal.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The notifier keeps streams alive on the scheduler it is given (the container's managed one when
 * deployed, which the application cannot shut down) and cancels that when it is destroyed.
 */
class McpNotifierTest {
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

    McpNotifierTest() {
        scheduler.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void shutDown() {
        scheduler.shutdownNow();
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
