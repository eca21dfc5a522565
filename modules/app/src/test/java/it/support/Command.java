package it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs an external program (a client, the conformance suite) to its end and keeps what it printed. */
public record Command(int exitCode, String stdout, String stderr) {

    public static Command run(List<String> command, Path directory, Map<String, String> env, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(directory.toFile());
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            var out = p.getInputStream();
            var err = p.getErrorStream();
            var stdout = new java.util.concurrent.CompletableFuture<String>();
            var stderr = new java.util.concurrent.CompletableFuture<String>();
            Thread readOut = new Thread(() -> stdout.complete(read(out)));
            Thread readErr = new Thread(() -> stderr.complete(read(err)));
            readOut.setDaemon(true);
            readErr.setDaemon(true);
            readOut.start();
            readErr.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new Command(p.exitValue(), stdout.join(), stderr.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
