package dev.sluice.app.internal.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Version 5 of the schema: {@code audit_records.record_id} loses its unique constraint (and with it
 * its index). Checking it was a fifth index search on every audit insert, the costliest (issue 24:
 * about a tenth of an embedded node's CPU under load); the one reader that needs it, the replay of
 * records that may be stored already, finds them through the time index instead (a record keeps its
 * time), and one writer per node never races itself.
 *
 * <p>A Java migration because the constraint was declared inline in V1: PostgreSQL and H2 named it
 * differently, and only the catalog ({@code information_schema}, the same on both) says how.
 */
public class V5__AuditRecordIdNotUnique extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT tc.constraint_name FROM information_schema.table_constraints tc"
                        + " JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name"
                        + " AND k.table_schema = tc.table_schema AND k.table_name = tc.table_name"
                        + " WHERE lower(tc.table_name) = 'audit_records' AND tc.constraint_type = 'UNIQUE'"
                        + " AND lower(tc.table_schema) = lower(current_schema) AND lower(k.column_name) = 'record_id'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        try (Statement s = c.createStatement()) {
            for (String name : names) {
                s.execute("ALTER TABLE audit_records DROP CONSTRAINT \"" + name.replace("\"", "\"\"") + "\"");
            }
        }
    }
}
