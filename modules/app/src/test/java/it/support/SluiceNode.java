package it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A further Sluice node for a test: a second Open Liberty server in the runtime the build
 * installed, with the same configuration and WAR as the default server, its own ports and its own
 * environment (DB_TYPE=postgres, say). Started with Liberty's own {@code server} script, stopped on
 * {@link #close()}.
 */
public final class SluiceNode implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(150);

    private final String name;
    private final Path wlp;
    private final Path serverDir;
    private final int httpPort;
    private final Map<String, String> env;

    private SluiceNode(String name, Path wlp, int httpPort, Map<String, String> env) {
        this.name = name;
        this.wlp = wlp;
        this.serverDir = wlp.resolve("usr/servers").resolve(name);
        this.httpPort = httpPort;
        this.env = env;
    }

    /**
     * Creates the server from the default one and starts it; returns once {@code /health/ready}
     * answers 200.
     */
    public static SluiceNode start(String name, int httpPort, int httpsPort, Map<String, String> env) {
        Path wlp = Path.of(System.getProperty("sluice.wlp.dir", "target/liberty/wlp"));
        Path template = Path.of(System.getProperty("sluice.server.dir", wlp.resolve("usr/servers/sluice").toString()));
        Map<String, String> all = new HashMap<>(env);
        all.put("HTTP_PORT", Integer.toString(httpPort));
        all.put("HTTPS_PORT", Integer.toString(httpsPort));
        all.putIfAbsent("SLUICE_SECURITY_BOOTSTRAP_KEY", TestKeys.OWNER);
        // tests call a node far more often than a user would; a test of the limits sets its own
        all.putIfAbsent("SLUICE_RATE_LIMIT_PER_USER", "1000000");
        all.putIfAbsent("SLUICE_RATE_LIMIT_PER_ORGANISATION", "1000000");
        // tests refuse credentials on purpose, all from one address: AuthEdgesIT tests the throttle and
        // the audit summaries on a node of its own
        all.putIfAbsent("SLUICE_SECURITY_AUTH_FAILURES_LIMIT", "0");
        all.putIfAbsent("SLUICE_SECURITY_AUTH_FAILURES_AUDITED", "1000000");
        SluiceNode node = new SluiceNode(name, wlp, httpPort, Map.copyOf(all));
        node.stopQuietly();
        node.copyServer(template);
        node.run("start");
        node.awaitReady();
        return node;
    }

    public Http http() {
        return new Http("http://localhost:" + httpPort);
    }

    public Path messagesLog() {
        return serverDir.resolve("logs/messages.log");
    }

    public String name() {
        return name;
    }

    /** The node's JVM, from the pid file Liberty writes. */
    public ProcessHandle process() {
        try {
            long pid = Long.parseLong(Files.readString(wlp.resolve("usr/servers/.pid/" + name + ".pid")).strip());
            return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("node " + name + " is not running"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A process this node started (an stdio upstream) whose command line contains {@code marker}. */
    public java.util.Optional<ProcessHandle> child(String marker) {
        return process().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .findFirst();
    }

    @Override
    public void close() {
        run("stop");
    }

    /** Stops the node gracefully, as an operator would; {@link #startAgain()} starts it with its files as they are. */
    public void stopGracefully() {
        run("stop");
    }

    /** Starts a stopped node again without resetting its server directory; returns once it is ready. */
    public void startAgain() {
        run("start");
        awaitReady();
    }

    /** The node's server directory (its working directory: relative paths in its configuration start here). */
    public Path serverDir() {
        return serverDir;
    }

    private void stopQuietly() {
        if (Files.isDirectory(serverDir)) {
            try {
                run("stop");
            } catch (RuntimeException ignored) {
                // it was not running
            }
        }
    }

    private void copyServer(Path template) {
        try {
            if (Files.exists(serverDir)) {
                try (Stream<Path> old = Files.walk(serverDir)) {
                    old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            try (Stream<Path> files = Files.walk(template)) {
                for (Path source : files.toList()) {
                    Path relative = template.relativize(source);
                    String first = relative.getNameCount() > 0 ? relative.getName(0).toString() : "";
                    if (List.of("logs", "workarea", "data", "resources", "bootstrap-owner.key", "audit-spool", "audit-journal").contains(first)
                            || relative.startsWith(Path.of("apps", "expanded"))) {
                        continue;
                    }
                    Path target = serverDir.resolve(relative);
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else if (relative.equals(Path.of("server.env"))) {
                        // the server script lets server.env win over the process environment: drop the
                        // template's lines for the variables this node sets itself
                        List<String> lines = Files.readAllLines(source).stream()
                                .filter(l -> !env.containsKey(l.split("=", 2)[0].strip()))
                                .toList();
                        Files.write(target, lines);
                    } else {
                        Files.copy(source, target);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void run(String action) {
        ProcessBuilder pb = new ProcessBuilder(wlp.resolve("bin/server").toString(), action, name)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("server " + action + " " + name + " did not finish in 120 s");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> ready = http().get("/health/ready");
                if (ready.statusCode() == 200) {
                    return;
                }
                last = ready.statusCode() + " " + ready.body();
            } catch (UncheckedIOException e) {
                last = e.getMessage();
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("Sluice node " + name + " not ready within " + READY_TIMEOUT.toSeconds()
                + " s; last answer: " + last + "\n" + tail(messagesLog(), 40));
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no " + file + ")";
        }
    }
}
