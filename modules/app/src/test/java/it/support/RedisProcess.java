package it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A Redis server a test owns (the Debian {@code redis-server} the test command installs), on its own
 * port and without persistence, so that the test can stop it and start it again.
 */
public final class RedisProcess implements AutoCloseable {
    private final int port;
    private final Path log;
    private Process process;

    private RedisProcess(int port, Path log) {
        this.port = port;
        this.log = log;
    }

    public static RedisProcess start(int port, Path log) {
        RedisProcess redis = new RedisProcess(port, log);
        redis.start();
        return redis;
    }

    public int port() {
        return port;
    }

    public synchronized void start() {
        ProcessBuilder pb = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server did not start (is it installed? scripts/test-services.sh"
                    + " installs it)", e);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                pause(100);
            }
        }
        throw new AssertionError("redis-server did not listen on " + port + " within 15 s; see " + log);
    }

    /** Stops the server and waits until its port is closed. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
