package dev.sluice.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import dev.sluice.core.SecretValues;
import dev.sluice.registry.Transport;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An upstream process speaking newline-delimited JSON-RPC on stdin and stdout. Started with
 * {@link ProcessBuilder} and never through a shell, so no argument is interpreted by one. Its stderr
 * goes to Sluice's log, line by line, under the server's name.
 */
final class StdioTransport implements MessageTransport {
    private static final Logger LOG = Logger.getLogger(StdioTransport.class.getName());

    private final String server;
    private final Transport.Stdio spec;
    private final List<String> resolvedArgs;
    private final Map<String, String> resolvedEnv;
    private final ReaderThreads readers;
    private final Object writeLock = new Object();
    private volatile Process process;
    private volatile boolean closing;

    /**
     * @param resolvedEnv the whole environment of the process: the variables inherited from Sluice's
     *     own environment by name ({@link #environment}) and the catalog entry's, nothing else
     * @param readers where the process's stdout and stderr are read
     */
    StdioTransport(String server, Transport.Stdio spec, List<String> resolvedArgs, Map<String, String> resolvedEnv,
            ReaderThreads readers) {
        this.server = server;
        this.spec = spec;
        this.resolvedArgs = List.copyOf(resolvedArgs);
        this.resolvedEnv = resolvedEnv;
        this.readers = readers;
    }

    /**
     * The environment an upstream process starts with: the variables {@code names} lists, taken from
     * {@code own} (Sluice's environment) where set, then the catalog entry's {@code declared} ones on
     * top. Nothing else of Sluice's environment (its database settings, key material, model-provider
     * keys, other upstreams' tokens) reaches a third-party process.
     */
    static Map<String, String> environment(Collection<String> names, Map<String, String> own,
            Map<String, String> declared) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : names) {
            String value = own.get(name.strip());
            if (value != null) {
                env.put(name.strip(), value);
            }
        }
        env.putAll(declared);
        return env;
    }

    @Override
    public void start(Listener listener) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(spec.command());
        command.addAll(resolvedArgs);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear(); // never Sluice's own environment: only what environment() chose
        pb.environment().putAll(resolvedEnv);
        if (spec.workingDirectory() != null) {
            pb.directory(new File(spec.workingDirectory()));
        }
        process = pb.start();
        Process p = process;
        try {
            readers.start("sluice-stdio-" + server, () -> read(p, listener));
            readers.start("sluice-stderr-" + server, () -> drainErrors(p));
        } catch (IllegalStateException e) { // no thread to read it: the process must not outlive the attempt
            closing = true;
            p.destroyForcibly();
            throw new IOException(e.getMessage());
        }
    }

    private void read(Process p, Listener listener) {
        Throwable cause = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = Json.mapper().readTree(line);
                } catch (IOException e) {
                    LOG.warning(() -> "upstream " + server + " wrote a line that is not JSON-RPC; ignored");
                    continue;
                }
                if (node instanceof ObjectNode message) {
                    listener.onMessage(message, null);
                }
            }
        } catch (IOException e) {
            cause = e;
        }
        if (!closing) {
            int exit = waitForExit(p);
            cause = cause != null ? cause : new IOException("process exited with status " + exit);
        }
        listener.onClosed(closing ? null : cause);
    }

    private static int waitForExit(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void drainErrors(Process p) {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                String text = line;
                LOG.info(() -> SecretValues.mask("[" + server + " stderr] " + text));
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "stderr of " + server + " closed", e);
        }
    }

    @Override
    public void send(ObjectNode message) throws IOException {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IOException("the process of " + server + " is not running");
        }
        byte[] bytes = Json.bytes(message);
        synchronized (writeLock) {
            OutputStream out = p.getOutputStream();
            out.write(bytes);
            out.write('\n');
            out.flush();
        }
    }

    @Override
    public void close() {
        closing = true;
        Process p = process;
        if (p == null) {
            return;
        }
        try {
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // the process may already be gone
        }
        try {
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroy();
                if (!p.waitFor(3, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    /** The operating-system process id, for status pages and tests. */
    long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    @Override
    public String describe() {
        return "stdio: " + spec.command() + " " + String.join(" ", spec.args());
    }
}
