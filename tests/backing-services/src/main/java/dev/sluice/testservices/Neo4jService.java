package dev.sluice.testservices;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;

/**
 * A real, in-process Neo4j 5 (neo4j-harness) with the APOC core procedures, for the extended MCP-server tests.
 *
 * <pre>
 * java -cp target/classes:$(cat target/classpath-neo4j.txt) dev.sluice.testservices.Neo4jService \
 *      [--port 7687] [--http-port 0] [--dir target/backing-services/neo4j]
 * </pre>
 *
 * Bolt listens on localhost:--port without authentication (any user/password is accepted). HTTP is off unless
 * --http-port N (N &gt; 0) is given. The database files live in a fresh folder under --dir/data (removed again at
 * shutdown: the harness is for tests, nothing persists across restarts). APOC core is on the classpath and its jar
 * is also copied into --dir/plugins (the plugin directory), as a Neo4j server has it, with {@code apoc.*}
 * unrestricted. Prints exactly one line {@code READY bolt://localhost:<port>} on stdout once a Bolt client can run a
 * query; stops cleanly on SIGTERM/SIGINT.
 */
public final class Neo4jService {

    private Neo4jService() {
    }

    public static void main(String[] args) throws Exception {
        int port = 7687;
        int httpPort = 0;
        Path dir = Path.of("target", "backing-services", "neo4j");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--http-port" -> httpPort = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: Neo4jService [--port 7687] [--http-port 0] [--dir DIR]");
                    System.exit(64);
                }
            }
        }
        dir = dir.toAbsolutePath();
        Path data = dir.resolve("data");
        Path plugins = dir.resolve("plugins");
        Files.createDirectories(data);
        Files.createDirectories(plugins);
        copyApocJar(plugins);

        long t0 = System.nanoTime();
        Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder(data)
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("localhost", port))
                .withConfig(BoltConnector.advertised_address, new SocketAddress("localhost", port))
                .withConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .withConfig(GraphDatabaseSettings.auth_enabled, false)
                .withConfig(GraphDatabaseSettings.udc_enabled, false)
                .withConfig(GraphDatabaseSettings.pagecache_memory, 64L * 1024 * 1024)
                .withConfig(GraphDatabaseSettings.plugin_dir, plugins)
                .withConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*"))
                .withConfig(GraphDatabaseSettings.procedure_allowlist, List.of("*"));
        if (httpPort > 0) {
            builder = builder.withConfig(HttpConnector.enabled, true)
                    .withConfig(HttpConnector.listen_address, new SocketAddress("localhost", httpPort));
        } else {
            builder = builder.withDisabledServer().withConfig(HttpConnector.enabled, false);
        }
        Neo4j neo4j = builder.build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("Neo4jService: shutting down");
            try {
                neo4j.close();
            } catch (RuntimeException e) {
                System.err.println("Neo4jService: error during shutdown: " + e);
            }
            stopped.countDown();
            System.err.println("Neo4jService: stopped");
        }, "neo4j-shutdown"));

        String uri = "bolt://localhost:" + port;
        long apocProcedures = checkBolt(uri);
        if (apocProcedures == 0) {
            System.err.println("Neo4jService: WARNING apoc.meta.schema is not registered (APOC did not load)");
        }
        System.err.printf("Neo4jService: Neo4j %s up in %.1f s, %d apoc.meta procedures, data in %s%n",
                org.neo4j.kernel.internal.Version.getNeo4jVersion(), (System.nanoTime() - t0) / 1e9, apocProcedures,
                data);
        System.out.println("READY " + uri);
        System.out.flush();
        stopped.await();
    }

    /** Opens a real Bolt session (as the MCP servers do) and returns how many apoc.meta.schema procedures exist. */
    private static long checkBolt(String uri) throws InterruptedException {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 60; attempt++) {
            try (Driver driver = GraphDatabase.driver(uri, AuthTokens.none());
                 Session session = driver.session()) {
                return session.run("SHOW PROCEDURES YIELD name WHERE name = 'apoc.meta.schema' RETURN count(*) AS n")
                        .single().get("n").asLong();
            } catch (RuntimeException e) {
                last = e;
                TimeUnit.MILLISECONDS.sleep(500);
            }
        }
        throw new IllegalStateException("Bolt at " + uri + " does not answer", last);
    }

    /** Copies the APOC core jar (found through the classpath) into the plugin directory. */
    private static void copyApocJar(Path plugins) throws IOException, URISyntaxException {
        Class<?> apoc;
        try {
            apoc = Class.forName("apoc.ApocConfig");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("APOC core (org.neo4j.procedure:apoc-core:core) is not on the classpath");
        }
        Path jar = Path.of(apoc.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isRegularFile(jar)) {
            Files.copy(jar, plugins.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
