package it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server a test owns (its own data directory and port, from the Debian package the
 * test command installs), so that the test can stop it and start it again while Sluice runs on it.
 * The role {@code sluice} is its superuser (trust authentication on 127.0.0.1), with a database
 * {@code sluice}. As root, the server runs as the {@code postgres} user, as PostgreSQL requires.
 */
public final class PostgresCluster implements AutoCloseable {
    private final int port;
    private final Path dir;
    private final Path bin;
    private final boolean asRoot;

    private PostgresCluster(int port, Path dir) {
        this.port = port;
        this.dir = dir;
        this.bin = newestBin();
        this.asRoot = "root".equals(System.getProperty("user.name"));
    }

    public static PostgresCluster create(int port, Path dir) {
        PostgresCluster pg = new PostgresCluster(port, dir);
        pg.init();
        pg.start();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "sluice",
                "sluice"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE sluice");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database sluice on port " + port + ": " + e.getMessage(), e);
        }
        return pg;
    }

    private static Path newestBin() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))))
                    .map(v -> v.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL in /usr/lib/postgresql (scripts/test-services.sh installs it)"));
        } catch (IOException e) {
            throw new UncheckedIOException("no PostgreSQL in /usr/lib/postgresql (scripts/test-services.sh installs it)", e);
        }
    }

    public int port() {
        return port;
    }

    /** The environment that points a node at this server. */
    public Map<String, String> environment() {
        return Map.of("DB_TYPE", "postgres", "DB_HOST", "127.0.0.1", "DB_PORT", Integer.toString(port), "DB_NAME",
                "sluice", "DB_USER", "sluice", "DB_PASSWORD", "sluice");
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/sluice", "sluice", "sluice");
    }

    private void init() {
        try {
            if (Files.exists(dir)) {
                delete();
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (asRoot) {
            run(List.of("chown", "postgres:postgres", dir.toString()));
        }
        pg(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "sluice",
                "--auth=trust", "-E", "UTF8", "--no-sync"));
    }

    /** Starts the server and waits until it accepts connections. */
    public void start() {
        pg(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
    }

    /** Stops the server (fast shutdown: open connections are cut, as in an outage). */
    public void stop() {
        pg(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"));
    }

    private void pg(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asRoot) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    private void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("commands.log").toFile())).start();
            if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed; see " + dir.resolve("commands.log"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void delete() throws IOException {
        try (Stream<Path> old = Files.walk(dir)) {
            old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (RuntimeException ignored) {
            // not running
        }
        try {
            delete();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
