package dev.sluice.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log retention job on a log directory laid out as Liberty leaves it. */
class LogRetentionTest {
    @TempDir
    Path logs;

    private Path file(String name, Duration age) throws IOException {
        Path f = logs.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "x");
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().minus(age)));
        return f;
    }

    @Test
    void deletesRolledOverLogsAndFfdcReportsOlderThanTheRetentionOnly() throws IOException {
        Path oldRolled = file("messages_26.08.01_00.00.00.0.log", Duration.ofDays(120));
        Path oldTrace = file("trace_26.08.01_00.00.00.0.log", Duration.ofDays(100));
        Path oldFfdc = file("ffdc/ffdc_26.08.01_00.00.00.0.log", Duration.ofDays(95));
        Path oldIncident = file("ffdc/incident_summary_26.08.01.txt", Duration.ofDays(95));
        Path recentRolled = file("messages_26.11.30_00.00.00.0.log", Duration.ofDays(2));
        Path live = file("messages.log", Duration.ofDays(200)); // an idle node's current file may be old
        Path console = file("console.log", Duration.ofDays(200));
        Path notALog = file("state.json", Duration.ofDays(200));

        var deleted = LogRetention.deleteOlderThan(logs, Instant.now().minus(Duration.ofDays(90)));

        assertThat(deleted).containsExactlyInAnyOrder(oldRolled, oldTrace, oldFfdc, oldIncident);
        assertThat(oldRolled).doesNotExist();
        assertThat(oldFfdc).doesNotExist();
        assertThat(recentRolled).exists();
        assertThat(live).exists();
        assertThat(console).exists();
        assertThat(notALog).exists();
    }

    @Test
    void aMissingLogDirectoryIsNotAnError() throws IOException {
        assertThat(LogRetention.deleteOlderThan(logs.resolve("nowhere"), Instant.now())).isEmpty();
    }
}
