package it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.app.RepositoryFiles;
import it.support.Command;
import it.support.DataStack;
import it.support.Gateway;
import it.support.Http;
import it.support.McpSessionClient;
import it.support.SluiceNode;
import it.support.TestKeys;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in catalog's data-stack servers, installed by scripts/install-mcp-servers.sh (the test
 * command runs it), on a node that uses the built-in catalog: a real call through Sluice to each of
 * the quick ones, with an asserted result from its backing service (the shipped sample warehouse in
 * DuckDB, a table in the local PostgreSQL, a key in the local Redis), and the catalog verification
 * over every entry, whose table goes to {@code target/catalog-verification.md}.
 */
class DataStackIT {
    private static final int PORT = Integer.getInteger("sluice.it.datastack.port", 9186);
    private static final int REDIS_DB = 14;

    private static final int ES_PORT = Integer.getInteger("sluice.it.datastack.es.port", 3931);
    private static final int GRAFANA_PORT = Integer.getInteger("sluice.it.datastack.grafana.port", 3932);
    private static final int DATAHUB_PORT = Integer.getInteger("sluice.it.datastack.datahub.port", 3933);

    private static SluiceNode sluice;
    private static DataStack services;
    private static McpSessionClient mcp;

    @BeforeAll
    static void start() throws SQLException {
        services = new DataStack(REDIS_DB, ES_PORT, GRAFANA_PORT, DATAHUB_PORT);
        sluice = Gateway.start("sluice-datastack", PORT, services.environment());
        mcp = new McpSessionClient(sluice.http(), "/mcp");
        mcp.initialize();
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
        if (services != null) {
            services.close();
        }
    }

    private static String text(JsonNode answer) {
        return McpSessionClient.text(answer);
    }

    private static JsonNode call(String tool, String arguments) {
        return mcp.callTool(tool, arguments);
    }

    @Test
    void motherduckQueriesTheShippedSampleWarehouse() {
        String answer = text(call("motherduck__execute_query",
                "{\"sql\": \"select count(*) as orders, sum(amount) as total from orders\"}"));
        assertThat(answer).contains("40").contains("10337.5");
        String joined = text(call("motherduck__execute_query", "{\"sql\": \"select c.name from orders o join customers c"
                + " using (customer_id) where o.order_id = 1001\"}"));
        assertThat(joined).contains("Cobalt Retail");
    }

    @Test
    void motherduckRefusesAWriteStatementInItsReadTool() {
        JsonNode refused = call("motherduck__execute_query", "{\"sql\": \"drop table orders\"}");
        assertThat(refused.path("error").path("data").path("type").asText()).as(refused.toString()).endsWith("/sql-refused");
        assertThat(text(call("motherduck__execute_query", "{\"sql\": \"select count(*) from orders\"}"))).contains("40");
    }

    @Test
    void postgresMcpReadsARowFromTheLocalPostgres() {
        String answer = text(call("postgres__execute_sql",
                "{\"sql\": \"select owner, schedule from pipelines where name = 'nightly-orders'\"}"));
        assertThat(answer).contains("data-eng").contains("0 2 * * *");
        assertThat(text(call("postgres__list_objects", "{\"schema_name\": \"public\"}"))).contains("pipelines");
    }

    @Test
    void redisMcpSetsAKeyThatIsInRedisAndReadsItBack() throws Exception {
        String key = "sluice-it-" + System.nanoTime();
        text(call("redis__set", "{\"key\": \"" + key + "\", \"value\": \"from-sluice\"}"));
        assertThat(text(call("redis__get", "{\"key\": \"" + key + "\"}"))).contains("from-sluice");
        Process cli = new ProcessBuilder("redis-cli", "-n", Integer.toString(REDIS_DB), "GET", key).start();
        assertThat(new String(cli.getInputStream().readAllBytes()).strip()).as("the key is in Redis itself")
                .isEqualTo("from-sluice");
        new ProcessBuilder("redis-cli", "-n", Integer.toString(REDIS_DB), "DEL", key).start().waitFor();
    }

    @Test
    void mcpAnalystListsAndQueriesTheSampleFiles() {
        assertThat(text(call("mcp-analyst__get_files_list", "{}"))).contains("orders.csv").contains("customers.csv");
    }

    @Test
    void neo4jDataModelingNeedsNoDatabase() {
        assertThat(text(call("neo4j-data-modeling__list_example_data_models", "{}"))).isNotBlank();
    }

    @Test
    void milvusStoresVectorsInMilvusLiteAndFindsTheNearest() {
        String collection = "sluice_it_pipelines";
        JsonNode created = call("milvus__milvus_create_collection",
                "{\"collection_name\": \"" + collection + "\", \"collection_schema\": {\"dimension\": 4}}");
        if (created.path("result").path("isError").asBoolean(false)) {
            // left by an earlier run: the rows go in again (Milvus keeps duplicate keys; the server's
            // milvus_delete_entities of 0.1.1.dev9 cannot delete: it passes the filter under a name pymilvus ignores)
            assertThat(created.toString()).contains("already exists");
        }
        text(call("milvus__milvus_insert_data", "{\"collection_name\": \"" + collection + "\", \"data\": ["
                + "{\"id\": 1, \"vector\": [0.1, 0.2, 0.3, 0.4], \"name\": \"nightly-orders\"},"
                + "{\"id\": 2, \"vector\": [0.9, 0.1, 0.1, 0.1], \"name\": \"hourly-clicks\"}]}"));
        // a collection of an earlier run is released when Milvus Lite opens its file again
        text(call("milvus__milvus_load_collection", "{\"collection_name\": \"" + collection + "\"}"));
        assertThat(text(call("milvus__milvus_query", "{\"collection_name\": \"" + collection
                + "\", \"filter_expr\": \"id == 1\", \"output_fields\": [\"id\", \"name\"]}")))
                .contains("nightly-orders").doesNotContain("hourly-clicks");
        assertThat(text(call("milvus__milvus_vector_search", "{\"collection_name\": \"" + collection
                + "\", \"vector\": [0.9, 0.1, 0.1, 0.1], \"limit\": 1, \"output_fields\": [\"name\"]}")))
                .contains("hourly-clicks").doesNotContain("nightly-orders");
    }

    @Test
    void qdrantRemembersTextAndFindsItByMeaning() {
        // the same fact each run: an earlier run's copy ranks as high, so the find does not depend on how many there are
        String fact = "The nightly-orders pipeline loads the orders table at two in the morning";
        assertThat(text(call("qdrant__qdrant-store", "{\"information\": \"" + fact + "\"}"))).contains("Remembered");
        assertThat(text(call("qdrant__qdrant-find", "{\"query\": \"when is the orders table loaded?\"}")))
                .contains(fact);
    }

    @Test
    void elasticsearchSearchesAnIndexOfItsStandIn() {
        assertThat(text(call("elasticsearch__list_indices", "{\"indexPattern\": \"*\"}"))).contains("orders");
        String hits = text(call("elasticsearch__search", "{\"index\": \"orders\", \"queryBody\":"
                + " {\"query\": {\"match\": {\"notes\": \"data platform\"}}}}"));
        assertThat(hits).contains("ORD-1001");
    }

    @Test
    void grafanaFindsTheDashboardsOfItsStandIn() {
        assertThat(text(call("grafana__search_dashboards", "{\"query\": \"\"}"))).contains("Data platform");
        assertThat(text(call("grafana__list_datasources", "{}"))).contains("Prometheus");
    }

    @Test
    void datahubSearchesTheCatalogOfItsStandIn() {
        assertThat(text(call("datahub__search", "{\"query\": \"orders\"}"))).contains("shop.public.orders");
    }

    @Test
    void theFederatedToolsAreListedWithTheirDefinitions() throws IOException {
        JsonNode tools = Http.json(sluice.http().get("/api/v1/tools"));
        assertThat(tools.path("tools").size()).isGreaterThan(200);
        // the definitions as agents' models would get them, for the token-overhead benchmark (bench/token-overhead)
        Files.writeString(Path.of("target", "federated-tools.json"), tools.toPrettyString());
    }

    @Test
    void datahubMutationToolsAreWritesAndItsSearchesReads() throws IOException {
        JsonNode tools = Http.json(sluice.http().get("/api/v1/tools?server=datahub"));
        Map<String, String> modes = new HashMap<>();
        tools.path("tools").forEach(t -> modes.put(t.path("tool").asText(), t.path("mode").asText()));
        assertThat(modes).containsEntry("search", "read").containsEntry("get_lineage", "read")
                .containsEntry("add_tags", "write").containsEntry("update_description", "write")
                .containsEntry("set_domains", "write");
    }

    @Test
    void theVerificationCoversEveryEntryAndSaysWhyAServerIsNotVerified() throws IOException {
        // every enabled server is started: allow for slow starters and ones that time out
        HttpResponse<String> r = sluice.http().send(sluice.http().request("/api/v1/catalog/verify")
                .POST(HttpRequest.BodyPublishers.noBody()), java.time.Duration.ofMinutes(5));
        Files.writeString(Path.of("target", "catalog-verification.json"), r.body());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode report = Http.json(r);
        Map<String, JsonNode> rows = new HashMap<>();
        report.path("rows").forEach(row -> rows.put(row.path("server").asText(), row));
        assertThat(rows.keySet()).contains("motherduck", "postgres", "redis", "airflow", "bigquery", "glue", "quick-data");
        for (String verified : new String[] {"motherduck", "postgres", "redis", "mcp-analyst", "neo4j-data-modeling",
                "milvus", "qdrant", "elasticsearch", "grafana", "datahub"}) {
            assertThat(rows.get(verified).path("status").asText()).as(rows.get(verified).toString()).isEqualTo("verified");
            assertThat(rows.get(verified).path("tools").asInt()).isPositive();
            assertThat(rows.get(verified).path("startSeconds").asDouble()).as("how long %s took to start", verified)
                    .isPositive();
        }
        assertThat(rows.get("bigquery").path("status").asText()).isEqualTo("disabled");
        JsonNode airflow = rows.get("airflow");
        assertThat(airflow.path("status").asText()).isEqualTo("unavailable");
        assertThat(airflow.path("reason").asText()).as(airflow.toString()).containsAnyOf("AIRFLOW_HOST", "install");
        assertThat(report.path("tools").asInt()).isGreaterThan(200);

        HttpResponse<String> table = sluice.http().send(sluice.http().request("/api/v1/catalog/verify?format=markdown")
                .POST(HttpRequest.BodyPublishers.noBody()), java.time.Duration.ofMinutes(5));
        assertThat(table.headers().firstValue("Content-Type").orElse("")).startsWith("text/markdown");
        assertThat(table.body()).contains("| motherduck | 1 | database | verified |").contains("tools reachable through Sluice");
        Path out = Path.of("target", "catalog-verification.md");
        Files.writeString(out, table.body());

        // the command-line face of the same endpoint
        Command cli = Command.run(java.util.List.of("bash", "scripts/verify-catalog.sh", "--url",
                "http://localhost:" + PORT, "--server", "motherduck"), RepositoryFiles.resolve("."),
                Map.of("SLUICE_API_KEY", TestKeys.OWNER), java.time.Duration.ofMinutes(3));
        assertThat(cli.exitCode()).as(cli.stderr()).isZero();
        assertThat(cli.stdout()).contains("| motherduck | 1 | database | verified |").doesNotContain("| redis |");
        Command refused = Command.run(java.util.List.of("bash", "scripts/verify-catalog.sh", "--url",
                "http://localhost:" + PORT), RepositoryFiles.resolve("."),
                Map.of("SLUICE_API_KEY", "sk-sluice-not0a0key0000000000000000000000"), java.time.Duration.ofMinutes(1));
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("HTTP 401").doesNotContain("not0a0key");

        HttpResponse<String> viewer = sluice.http().anonymous().send(sluice.http().anonymous()
                .request("/api/v1/catalog/verify").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(viewer.statusCode()).isEqualTo(401);
        HttpResponse<String> unknown = sluice.http().send(sluice.http().request("/api/v1/catalog/verify?server=nope")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("nope");
    }
}
