package dev.sluice.app.internal.health;

import dev.sluice.app.internal.persistence.SchemaMigration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/** Started once the schema migration has brought the database to the current version. */
@Startup
@ApplicationScoped
public class SchemaStartup implements HealthCheck {
    @Inject
    SchemaMigration migration;

    @Override
    public HealthCheckResponse call() {
        String version = migration.schemaVersion();
        return HealthCheckResponse.named("schema")
                .status(version != null)
                .withData("version", version == null ? "not migrated" : version)
                .build();
    }
}
