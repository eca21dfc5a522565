package it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An upstream MCP server a test runs itself (an HTTP one Sluice connects to, say). */
public final class UpstreamProcess implements AutoCloseable {
    private final Process process;

    private UpstreamProcess(Process process) {
        this.process = process;
    }

    /** Starts a command and waits until it listens on {@code port}. */
    public static UpstreamProcess listening(List<String> command, Map<String, String> env, int port, Path log) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (Instant.now().isBefore(deadline)) {
                if (!p.isAlive()) {
                    throw new AssertionError(command + " exited with " + p.exitValue() + "; see " + log);
                }
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return new UpstreamProcess(p);
                } catch (IOException notYet) {
                    Thread.sleep(200);
                }
            }
            p.destroyForcibly();
            throw new AssertionError(command + " did not listen on " + port + " within 30 s; see " + log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
    }
}
