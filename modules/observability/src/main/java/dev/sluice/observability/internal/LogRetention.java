package dev.sluice.observability.internal;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperties;

/**
 * Keeps the node's log files for {@code sluice.logs.retention} (90 days): Liberty rolls its logs
 * over daily (and at 100 MB, see {@code server.xml}); this job deletes the rolled-over files and FFDC
 * reports older than that. The files being written ({@code messages.log}, {@code trace.log},
 * {@code console.log}, {@code http_access.log}) are never touched. Logs sent to the console are kept
 * by whatever collects them.
 */
@ApplicationScoped
public class LogRetention {
    private static final Logger LOG = Logger.getLogger(LogRetention.class.getName());
    private static final Set<String> LIVE = Set.of("messages.log", "trace.log", "console.log", "http_access.log");

    @Inject
    @ConfigProperties
    ObservabilitySettings settings;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> task;

    @PostConstruct
    void start() {
        long every = Math.max(1000, settings.logsRetentionCheck.toMillis());
        task = scheduler.scheduleWithFixedDelay(this::enforceQuietly, Math.min(every, 60_000), every, TimeUnit.MILLISECONDS);
    }

    /** Starts with the application. */
    void boot(@Observes Startup startup) {
        // observing the event makes the container create this bean, which schedules the job
    }

    private void enforceQuietly() {
        try {
            List<Path> deleted = deleteOlderThan(logDirectory(), Instant.now().minus(settings.logsRetention));
            if (!deleted.isEmpty()) {
                LOG.info(() -> "log retention: deleted " + deleted.size() + " log files older than " + settings.logsRetention);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "log retention could not run (retrying at the next check): " + e.getMessage());
        }
    }

    /** Liberty's log directory: {@code sluice.logs.dir}, else {@code LOG_DIR}, else {@code logs} in the server's directory. */
    private Path logDirectory() {
        String env = System.getenv("LOG_DIR");
        return Path.of("logs".equals(settings.logsDir) && env != null && !env.isBlank() ? env : settings.logsDir);
    }

    /**
     * Deletes the rolled-over log files and FFDC reports in {@code logs} (and its {@code ffdc}
     * folder) last written before {@code before}.
     *
     * @return the files deleted
     */
    static List<Path> deleteOlderThan(Path logs, Instant before) throws IOException {
        List<Path> deleted = new ArrayList<>();
        for (Path folder : List.of(logs, logs.resolve("ffdc"))) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String name = file.getFileName().toString();
                    boolean log = name.endsWith(".log") || (folder.endsWith("ffdc") && name.endsWith(".txt"));
                    if (!log || LIVE.contains(name)) {
                        continue;
                    }
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(before)) {
                        Files.deleteIfExists(file);
                        deleted.add(file);
                    }
                }
            }
        }
        return deleted;
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
