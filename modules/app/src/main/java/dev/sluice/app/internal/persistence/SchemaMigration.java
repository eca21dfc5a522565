package dev.sluice.app.internal.persistence;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.interceptor.Interceptor;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the schema migrations when the application starts. It observes {@link Startup} before
 * every other observer (platform priority), so nothing reads or writes the database before the
 * schema is current. A failed or invalid migration fails the start: Sluice never serves on a schema
 * it does not know.
 */
@ApplicationScoped
public class SchemaMigration {
    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    @Resource(lookup = "jdbc/sluice")
    DataSource dataSource;

    private volatile String schemaVersion;

    void migrate(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) Startup startup) {
        MigrateResult result = Migrations.configure(dataSource, SchemaMigration.class.getClassLoader())
                .load()
                .migrate();
        schemaVersion = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        LOG.info(() -> "database schema at version " + schemaVersion + " (" + result.migrationsExecuted
                + " migrations applied now, database " + result.database + ")");
    }

    /** The schema version after migration, or null before the migration has run. */
    public String schemaVersion() {
        return schemaVersion;
    }
}
