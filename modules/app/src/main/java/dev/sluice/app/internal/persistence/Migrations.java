package dev.sluice.app.internal.persistence;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * How Sluice configures Flyway, in one place so that the application and its tests migrate the same
 * way: validation on (an applied migration that was edited stops the start), no clean, no baseline
 * of a foreign schema, out-of-order migrations refused. The SQL files are the schema; the one Java
 * migration ({@link V5__AuditRecordIdNotUnique}) is there because the catalog must be read first.
 */
public final class Migrations {
    /** Where the WAR carries the files of {@code db-migrations/}. */
    public static final String LOCATION = "classpath:db/migration";

    private Migrations() {
    }

    public static FluentConfiguration configure(DataSource dataSource, ClassLoader loader, String... locations) {
        return Flyway.configure(loader)
                .dataSource(dataSource)
                .locations(locations.length == 0 ? new String[] {LOCATION} : locations)
                .validateOnMigrate(true)
                .cleanDisabled(true)
                .baselineOnMigrate(false)
                .outOfOrder(false)
                .ignoreMigrationPatterns("*:future")
                .javaMigrations(new V5__AuditRecordIdNotUnique())
                .table("flyway_schema_history");
    }
}
