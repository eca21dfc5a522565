package dev.sluice.app.internal.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.app.RepositoryFiles;
import dev.sluice.core.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.flywaydb.core.api.FlywayException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migrations of db-migrations/ as Sluice applies them, on the embedded database in PostgreSQL mode. */
class MigrationsTest {

    private static JdbcDataSource freshEmbeddedDatabase() {
        JdbcDataSource ds = new JdbcDataSource();
        // the same URL options as liberty/config/datasource-h2.xml, in memory
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        return ds;
    }

    private static String filesystem(Path dir) {
        return "filesystem:" + dir.toAbsolutePath();
    }

    @Nested
    class OnAnEmptyDatabase {
        @Test
        void theWarCarriesTheMigrationsOfTheRepository() throws IOException {
            Path packaged = Path.of("target/classes/db/migration");
            try (Stream<Path> sources = Files.list(RepositoryFiles.resolve("db-migrations"))) {
                for (Path source : sources.filter(p -> p.toString().endsWith(".sql")).toList()) {
                    assertThat(packaged.resolve(source.getFileName()))
                            .as("packaged copy of %s", source.getFileName())
                            .hasSameBinaryContentAs(source);
                }
            }
        }

        @Test
        void createsEveryTableTheLaterCapabilitiesFill() throws SQLException {
            JdbcDataSource ds = freshEmbeddedDatabase();
            Migrations.configure(ds, getClass().getClassLoader()).load().migrate();

            try (Connection c = ds.getConnection();
                    ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
                List<String> tables = new ArrayList<>();
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
                assertThat(tables).contains("roles", "users", "api_keys", "audit_records", "token_usage",
                        "catalog_changes", "agent_runs", "agent_run_steps", "sluice_nodes", "flyway_schema_history");
            }
        }

        @Test
        void seedsTheFiveRolesInTheirOrder() throws SQLException {
            JdbcDataSource ds = freshEmbeddedDatabase();
            Migrations.configure(ds, getClass().getClassLoader()).load().migrate();

            List<String> seeded = new ArrayList<>();
            try (Connection c = ds.getConnection();
                    ResultSet rs = c.createStatement().executeQuery("select name, rank from roles order by rank")) {
                while (rs.next()) {
                    seeded.add(rs.getString(1) + "=" + rs.getInt(2));
                }
            }
            assertThat(seeded).containsExactlyElementsOf(
                    Stream.of(Role.values()).map(r -> r.id() + "=" + r.rank()).toList());
        }

        @Test
        void theAuditTableKeepsOnlyTheIndexesItsApiUses() throws SQLException {
            JdbcDataSource ds = freshEmbeddedDatabase();
            Migrations.configure(ds, getClass().getClassLoader()).load().migrate();

            List<String> indexed = new ArrayList<>();
            try (Connection c = ds.getConnection();
                    ResultSet rs = c.getMetaData().getIndexInfo(null, "public", "audit_records", false, false)) {
                while (rs.next()) {
                    indexed.add(rs.getString("INDEX_NAME").toLowerCase() + ":" + rs.getString("COLUMN_NAME"));
                }
            }
            assertThat(indexed).as("every index of audit_records (name:column)")
                    .anySatisfy(i -> assertThat(i).endsWith(":occurred_at"))
                    .anySatisfy(i -> assertThat(i).endsWith(":subject"))
                    .anySatisfy(i -> assertThat(i).endsWith(":server_name"))
                    .noneSatisfy(i -> assertThat(i).endsWith(":record_id"))
                    .noneSatisfy(i -> assertThat(i).endsWith(":request_id"));
        }
    }

    @Nested
    class WhenAnAppliedMigrationIsEdited {
        @Test
        void theNextStartRefusesToMigrate(@TempDir Path dir) throws IOException {
            Path copy = Files.createDirectories(dir.resolve("migrations"));
            try (Stream<Path> sources = Files.list(RepositoryFiles.resolve("db-migrations"))) {
                for (Path source : sources.toList()) {
                    Files.copy(source, copy.resolve(source.getFileName()));
                }
            }
            JdbcDataSource ds = freshEmbeddedDatabase();
            Migrations.configure(ds, getClass().getClassLoader(), filesystem(copy)).load().migrate();

            Path baseline = copy.resolve("V1__baseline.sql");
            Files.writeString(baseline, Files.readString(baseline).replace("Calls read-only tools", "Calls any tool"));

            assertThatThrownBy(() -> Migrations.configure(ds, getClass().getClassLoader(), filesystem(copy))
                            .load().migrate())
                    .isInstanceOf(FlywayException.class)
                    .hasMessageContaining("checksum mismatch")
                    .hasMessageContaining("1");
        }

        @Test
        void anUneditedSecondStartAppliesNothing() {
            JdbcDataSource ds = freshEmbeddedDatabase();
            Migrations.configure(ds, getClass().getClassLoader()).load().migrate();
            assertThat(Migrations.configure(ds, getClass().getClassLoader()).load().migrate().migrationsExecuted)
                    .isZero();
        }
    }
}
