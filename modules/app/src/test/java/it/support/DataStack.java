package it.support;

import dev.sluice.app.RepositoryFiles;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The backing services of the built-in catalog's quick data-stack servers, for a node that uses the
 * built-in catalog: a PostgreSQL database with a {@code pipelines} table, a Redis database, and the
 * stand-ins of tests/standins (local HTTP servers that speak the Elasticsearch, Grafana and DataHub
 * APIs, because none of the three can run here), plus the environment that points the catalog at them.
 */
public final class DataStack implements AutoCloseable {
    private final PostgresDatabase database;
    private final List<UpstreamProcess> standIns = new ArrayList<>();
    private final Map<String, String> environment = new HashMap<>();
    private final int redisDb;

    /** Starts the stand-ins on {@code standInPorts[0..2]} (Elasticsearch, Grafana, DataHub). */
    public DataStack(int redisDb, int... standInPorts) throws SQLException {
        this.redisDb = redisDb;
        database = PostgresDatabase.create();
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE pipelines (name text PRIMARY KEY, owner text, schedule text)");
            s.execute("INSERT INTO pipelines VALUES ('nightly-orders', 'data-eng', '0 2 * * *'),"
                    + " ('hourly-clicks', 'analytics', '0 * * * *')");
        }
        try {
            standIn("elasticsearch-api.mjs", standInPorts[0]);
            standIn("grafana-api.mjs", standInPorts[1]);
            // 1.4: the version from which the DataHub server offers its mutation tools on OSS
            standIn("datahub-gms.mjs", standInPorts[2], "--version", "v1.4.0");
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        environment.put("ES_URL", "http://127.0.0.1:" + standInPorts[0]);
        environment.put("GRAFANA_URL", "http://127.0.0.1:" + standInPorts[1]);
        environment.put("DATAHUB_GMS_URL", "http://127.0.0.1:" + standInPorts[2]);
        environment.put("DATAHUB_MUTATIONS_ENABLED", "true");
        environment.put("SLUICE_REGISTRY_CATALOG_FILE", ""); // the built-in catalog
        environment.put("SLUICE_MCP_HOME", RepositoryFiles.resolve(".mcp-servers").toString());
        environment.put("SLUICE_POSTGRES_URI", "postgresql://" + PostgresDatabase.USER + ":" + PostgresDatabase.PASSWORD
                + "@" + PostgresDatabase.HOST + ":" + PostgresDatabase.PORT + "/" + database.name());
        environment.put("SLUICE_REDIS_URL", "redis://localhost:6379/" + redisDb);
    }

    private void standIn(String script, int port, String... options) {
        List<String> command = new ArrayList<>(List.of("node",
                RepositoryFiles.resolve("tests/standins/" + script).toString(), "--port", Integer.toString(port)));
        command.addAll(List.of(options));
        standIns.add(UpstreamProcess.listening(command, Map.of(), port, Gateway.tmp().resolve(script + ".log")));
    }

    /** The variables of the built-in catalog's entries for these services (a copy to add to). */
    public Map<String, String> environment() {
        return new HashMap<>(environment);
    }

    public int redisDb() {
        return redisDb;
    }

    @Override
    public void close() {
        standIns.forEach(UpstreamProcess::close);
        database.close();
    }
}
