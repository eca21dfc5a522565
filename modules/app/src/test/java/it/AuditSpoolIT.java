package it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import it.support.Gateway;
import it.support.McpSessionClient;
import it.support.PostgresCluster;
import it.support.SluiceNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The audit trail loses nothing when its database goes away: a node on a PostgreSQL server the test
 * owns keeps serving calls while that server is stopped for 30 seconds; afterwards the audit table
 * holds exactly one record per call made (counted by each call's own argument). A node stopped while
 * the database is away keeps its records in the on-disk spool and writes them when it starts again.
 * A node killed with SIGKILL under load has a record of every call it answered (the audit journal).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditSpoolIT {
    private static final int PORT = Integer.getInteger("sluice.it.spool.port", 9199);
    private static final int PG_PORT = Integer.getInteger("sluice.it.spool.pg.port", 5439);

    private static PostgresCluster pg;
    private static SluiceNode sluice;
    private static McpSessionClient mcp;
    private static int sequence;

    @BeforeAll
    static void start() throws IOException {
        pg = PostgresCluster.create(PG_PORT, Path.of(System.getProperty("java.io.tmpdir"), "sluice-it-pg-" + PG_PORT));
        Path catalog = Gateway.tmp().resolve("catalog-spool.yaml");
        Files.writeString(catalog, """
                servers:
                  - name: hanging
                    transport: stdio
                    command: node
                    args: ["%s"]
                    tools:
                      slow_echo: {cache: {enabled: false}}
                """.formatted(Gateway.mcpDir().resolve("hanging-server.mjs")));
        Map<String, String> env = new HashMap<>(pg.environment());
        env.put("SLUICE_REGISTRY_CATALOG_FILE", catalog.toString());
        // the caller's key is looked up once; a key cache longer than the outage keeps callers signed in
        env.put("SLUICE_SECURITY_API_KEYS_CACHE_TTL", "PT10M");
        env.put("SLUICE_AUDIT_RETRY_INTERVAL", "PT1S");
        env.put("SLUICE_RATE_LIMIT_ENABLED", "false"); // the kill test calls as fast as 16 clients can
        sluice = Gateway.start("sluice-spool", PORT, env);
        mcp = session();
    }

    @AfterAll
    static void stop() {
        Gateway.closeAll(sluice, pg);
    }

    private static McpSessionClient session() {
        McpSessionClient client = new McpSessionClient(sluice.http(), "/mcp");
        client.initialize();
        return client;
    }

    /** One call with an argument no other call has; returns that argument. */
    private static String call(String prefix) {
        String message = prefix + "-" + (++sequence);
        JsonNode answer = mcp.callTool("hanging__slow_echo", Json.object().put("message", message).put("delayMs", 0));
        assertThat(answer.path("result").path("content").path(0).path("text").asText())
                .as("the call succeeds whatever the database does: %s", answer).isEqualTo(message);
        return message;
    }

    /** The messages of the audit records of slow_echo calls whose message starts with {@code prefix}, sorted. */
    private static List<String> audited(String prefix) {
        List<String> found = new ArrayList<>();
        try (Connection c = pg.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT arguments_redacted FROM audit_records WHERE action = 'tools/call'"
                        + " AND target LIKE '%slow_echo'")) {
            while (rs.next()) {
                String message = Json.parse(rs.getString(1)).path("message").asText();
                if (message.startsWith(prefix + "-")) {
                    found.add(message);
                }
            }
        } catch (SQLException e) {
            return List.of("database not reachable: " + e.getMessage());
        }
        found.sort(null);
        return found;
    }

    private static double metric(String name) {
        return sluice.http().get("/metrics").body().lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static List<Path> spoolFiles() {
        Path dir = sluice.serverDir().resolve("audit-spool");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".jsonl")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void eventuallyAudited(String prefix, List<String> sent) {
        List<String> expected = new ArrayList<>(sent);
        expected.sort(null);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        List<String> found = audited(prefix);
        while (!found.equals(expected) && Instant.now().isBefore(deadline)) {
            it.support.Eventually.sleep(Duration.ofMillis(500));
            found = audited(prefix);
        }
        assertThat(found).as("one audit record per call, none lost, none doubled").isEqualTo(expected);
    }

    @Test
    @Order(1)
    void callsMadeWhilePostgresIsStoppedForThirtySecondsAreAllAuditedOnceItIsBack() {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(call("outage"));
        }
        pg.stop();
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        double mostSpooled = 0;
        int spoolFilesSeen = 0;
        while (Instant.now().isBefore(until)) {
            sent.add(call("outage"));
            if (sent.size() % 20 == 0) {
                mostSpooled = Math.max(mostSpooled, metric("mcp_audit_spooled_records"));
                spoolFilesSeen = Math.max(spoolFilesSeen, spoolFiles().size());
            }
            it.support.Eventually.sleep(Duration.ofMillis(50));
        }
        assertThat(mostSpooled).as("records wait on disk during the outage").isGreaterThan(0);
        assertThat(spoolFilesSeen).isGreaterThan(0);
        pg.start();
        for (int i = 0; i < 10; i++) {
            sent.add(call("outage"));
        }

        eventuallyAudited("outage", sent);
        assertThat(sent).hasSizeGreaterThan(100);
        assertThat(metric("mcp_audit_spooled_records")).isZero();
        assertThat(spoolFiles()).as("the spool is emptied once written").isEmpty();
        assertThat(metric("mcp_audit_dropped_total")).isZero();
    }

    @Test
    @Order(2)
    void aNodeStoppedDuringAnOutageKeepsItsRecordsOnDiskAndWritesThemWhenItStartsAgain() {
        pg.stop();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            sent.add(call("restart"));
        }
        sluice.stopGracefully();
        List<Path> kept = spoolFiles();
        assertThat(kept).as("the spool holds the records at shutdown").isNotEmpty();
        String spooled = kept.stream().map(f -> {
            try {
                return Files.readString(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).reduce("", String::concat);
        assertThat(sent).allSatisfy(m -> assertThat(spooled).contains(m));

        pg.start();
        sluice.startAgain();
        eventuallyAudited("restart", sent);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!spoolFiles().isEmpty() && Instant.now().isBefore(deadline)) {
            it.support.Eventually.sleep(Duration.ofMillis(200)); // the last file leaves after its records are stored
        }
        assertThat(spoolFiles()).isEmpty();
    }

    /**
     * Every answered call has its record after a SIGKILL: 16 clients call as fast as they can, the
     * node's JVM is killed mid-load (no shutdown hook, no drain), and after its restart the database
     * holds one record for each call whose answer a client received (calls cut by the kill may have
     * one or none). The record was in the node's audit journal before the answer left.
     */
    @Test
    @Order(3)
    void aNodeKilledUnderLoadHasOneRecordForEveryCallItAnswered() throws Exception {
        int clients = 16;
        Set<String> answered = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            running.add(pool.submit(() -> {
                McpSessionClient own = session();
                for (int i = 0; !stop.get(); i++) {
                    String message = "kill-" + client + "-" + i;
                    try {
                        JsonNode answer = own.callTool("hanging__slow_echo",
                                Json.object().put("message", message).put("delayMs", 0));
                        if (message.equals(answer.path("result").path("content").path(0).path("text").asText())) {
                            answered.add(message);
                        }
                    } catch (RuntimeException | AssertionError cut) {
                        return; // the node is gone
                    }
                }
            }));
        }
        Instant until = Instant.now().plus(Duration.ofSeconds(20));
        while (answered.size() < 1500 && Instant.now().isBefore(until)) {
            it.support.Eventually.sleep(Duration.ofMillis(100));
        }
        ProcessHandle jvm = sluice.process();
        assertThat(jvm.destroyForcibly()).as("SIGKILL sent").isTrue();
        jvm.onExit().get(30, TimeUnit.SECONDS);
        stop.set(true);
        for (Future<?> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(answered).as("calls answered before the kill").hasSizeGreaterThan(200);

        sluice.startAgain();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        List<String> found = audited("kill");
        while (!found.containsAll(answered) && Instant.now().isBefore(deadline)) {
            it.support.Eventually.sleep(Duration.ofMillis(500));
            found = audited("kill");
        }
        Set<String> missing = new TreeSet<>(answered);
        missing.removeAll(found);
        assertThat(missing).as("answered calls without an audit record, of %d answered", answered.size()).isEmpty();
        assertThat(found).as("no record twice").doesNotHaveDuplicates();
    }
}
