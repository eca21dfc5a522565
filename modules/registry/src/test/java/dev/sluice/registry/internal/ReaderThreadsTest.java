package dev.sluice.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Reader threads come from the factory given, named after what they read, as daemons. */
class ReaderThreadsTest {

    @Test
    void aReaderRunsOnANamedDaemonThreadOfTheFactory() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        int[] made = {0};
        ReaderThreads readers = new ReaderThreads(task -> {
            made[0]++;
            return new Thread(task, "from-the-factory");
        });

        Thread thread = readers.start("sluice-stdio-pg", () -> ranOn.complete(Thread.currentThread()));

        assertThat(ranOn.get(5, TimeUnit.SECONDS)).isSameAs(thread);
        assertThat(made[0]).isEqualTo(1);
        assertThat(thread.getName()).isEqualTo("sluice-stdio-pg");
        assertThat(thread.isDaemon()).isTrue();
    }

    @Test
    void aFactoryThatGivesNoThreadIsAnError() {
        ReaderThreads stopping = new ReaderThreads(task -> null);

        IllegalStateException e = catchThrowableOfType(IllegalStateException.class,
                () -> stopping.start("sluice-sse-web", () -> { }));

        assertThat(e).hasMessageContaining("sluice-sse-web").hasMessageContaining("stopping");
    }
}
