package it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import it.support.Http;
import it.support.Migrations;
import it.support.PostgresDatabase;
import it.support.SluiceNode;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same build on a real PostgreSQL (DB_TYPE=postgres): a second Sluice node in a fresh database,
 * which Flyway migrates, which reports ready, and whose own row the application writes and reads
 * back. The README's test command starts PostgreSQL and creates the role this test connects as.
 */
class PostgresIT {
    private static final int HTTP_PORT = Integer.getInteger("sluice.it.pg.http.port", 9181);

    private static PostgresDatabase database;
    private static SluiceNode node;

    @BeforeAll
    static void startANodeOnPostgres() {
        database = PostgresDatabase.create();
        java.util.Map<String, String> env = new java.util.HashMap<>(database.environment());
        // audit records are kept 30 days here, checked every second (defaults: a year, hourly)
        env.put("SLUICE_AUDIT_RETENTION", "P30D");
        env.put("SLUICE_AUDIT_RETENTION_CHECK_INTERVAL", "PT1S");
        node = SluiceNode.start("sluice-pg", HTTP_PORT, HTTP_PORT + 363, env);
    }

    @AfterAll
    static void stopAndDrop() {
        if (node != null) {
            node.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void readinessIsUpWithPostgresql() {
        HttpResponse<String> ready = node.http().get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        JsonNode database = null;
        for (JsonNode check : Http.json(ready).path("checks")) {
            if (check.path("name").asText().equals("database")) {
                database = check;
            }
        }
        assertThat(database).as("the database check in %s", ready.body()).isNotNull();
        assertThat(database.path("name").asText()).isEqualTo("database");
        assertThat(database.path("data").path("product").asText()).isEqualTo("PostgreSQL");
    }

    @Test
    void flywayAppliedEveryMigrationToTheFreshDatabase() throws SQLException {
        try (Connection db = database.connect();
                ResultSet rs = db.createStatement().executeQuery(
                        "SELECT max(version::int), bool_and(success) FROM flyway_schema_history WHERE version IS NOT NULL")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(Migrations.latestVersion());
            assertThat(rs.getBoolean(2)).isTrue();
        }
    }

    @Test
    void theNodesRowIsWrittenByTheApplicationAndReadBackThroughIt() throws SQLException {
        JsonNode info = Http.json(node.http().get("/api/v1/system/info"));
        String self = info.path("nodeId").asText();
        assertThat(self).endsWith(":" + HTTP_PORT);

        try (Connection db = database.connect();
                PreparedStatement q = db.prepareStatement("SELECT version, last_seen_at FROM sluice_nodes WHERE node_id = ?")) {
            q.setString(1, self);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).as("row of %s in sluice_nodes", self).isTrue();
                assertThat(rs.getString("version")).isEqualTo(info.path("version").asText());
            }
        }

        // a row the test writes straight into PostgreSQL comes back through the application
        String visitor = "visitor-" + UUID.randomUUID().toString().substring(0, 6).toLowerCase(Locale.ROOT);
        try (Connection db = database.connect();
                PreparedStatement insert = db.prepareStatement("INSERT INTO sluice_nodes (node_id, host, version, "
                        + "started_at, last_seen_at) VALUES (?, 'elsewhere', '9.9.9', now() - interval '1 hour', "
                        + "now() - interval '1 hour')")) {
            insert.setString(1, visitor);
            insert.executeUpdate();
        }
        JsonNode nodes = Http.json(node.http().get("/api/v1/system/nodes"));
        boolean seenSelf = false;
        boolean seenVisitor = false;
        for (JsonNode n : nodes) {
            if (n.path("nodeId").asText().equals(self)) {
                seenSelf = n.path("alive").asBoolean();
            }
            if (n.path("nodeId").asText().equals(visitor)) {
                seenVisitor = true;
                assertThat(n.path("alive").asBoolean()).as("a node silent for an hour is not alive").isFalse();
                assertThat(n.path("version").asText()).isEqualTo("9.9.9");
            }
        }
        assertThat(seenSelf).as("this node alive in %s", nodes).isTrue();
        assertThat(seenVisitor).as("the visitor in %s", nodes).isTrue();
    }

    @Test
    void auditRecordsOlderThanTheRetentionAreDeletedAndNewerOnesKept() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (Connection db = database.connect();
                PreparedStatement insert = db.prepareStatement("INSERT INTO audit_records (record_id, request_id, "
                        + "occurred_at, subject, channel, action, outcome, duration_micros) VALUES (?, ?, now() - "
                        + "CAST(? AS interval), ?, 'rest', 'tools/call', 'ok', 1)")) {
            for (String age : new String[] {"40 days", "10 days"}) {
                insert.setString(1, UUID.randomUUID().toString());
                insert.setString(2, "retention-" + run);
                insert.setString(3, age);
                insert.setString(4, "retention-" + run + "-" + age.replace(' ', '-'));
                insert.executeUpdate();
            }
        }
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(20);
        java.util.List<String> left = subjects("retention-" + run);
        while (left.size() > 1 && java.time.Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            left = subjects("retention-" + run);
        }
        assertThat(left).containsExactly("retention-" + run + "-10-days");
    }

    private static java.util.List<String> subjects(String requestId) throws SQLException {
        try (Connection db = database.connect();
                PreparedStatement q = db.prepareStatement("SELECT subject FROM audit_records WHERE request_id = ?")) {
            q.setString(1, requestId);
            java.util.List<String> out = new java.util.ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }
}
