package it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.RepositoryFiles;
import dev.sluice.core.Json;
import it.support.Command;
import it.support.DataStack;
import it.support.Gateway;
import it.support.Http;
import it.support.McpSessionClient;
import it.support.SluiceNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The extended suite (scripts/test-extended.sh): the data-stack servers whose backing services are heavy,
 * each against the real service — Neo4j 5.26 with APOC (neo4j-harness from Maven Central) for neo4j-cypher
 * and neo4j-memory, a Kafka 4.4 KRaft broker (Maven Central) for the Kafka tools of mcp-confluent, Apache
 * Airflow 2 from PyPI (webserver, SQLite) for mcp-server-apache-airflow — beside everything DataStackIT
 * runs, so that the federated tools/list holds the whole verified catalog.
 */
class DataStackExtendedIT {
    private static final int PORT = Integer.getInteger("sluice.it.extended.port", 9187);
    private static final int NEO4J_PORT = Integer.getInteger("sluice.it.extended.neo4j.port", 7697);
    private static final int KAFKA_PORT = Integer.getInteger("sluice.it.extended.kafka.port", 9192);
    private static final int AIRFLOW_PORT = Integer.getInteger("sluice.it.extended.airflow.port", 8797);
    private static final int REDIS_DB = 13;

    private static Path services;
    private static DataStack dataStack;
    private static SluiceNode sluice;
    private static McpSessionClient mcp;

    /** Runs one of the repository's service scripts and answers what it printed on stdout. */
    private static String script(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("bash"));
        command.addAll(List.of(args));
        Command run = Command.run(command, RepositoryFiles.resolve("."),
                Map.of("SLUICE_SERVICES_DIR", services.toString()), timeout);
        assertThat(run.exitCode()).as("%s\n%s", command, run.stderr()).isZero();
        return run.stdout().strip();
    }

    @BeforeAll
    static void start() throws SQLException, IOException {
        services = Files.createDirectories(Gateway.tmp().resolve("services"));
        String neo4j = script(Duration.ofMinutes(6), "scripts/backing-services.sh", "start", "neo4j",
                "--port", Integer.toString(NEO4J_PORT));
        String kafka = script(Duration.ofMinutes(4), "scripts/backing-services.sh", "start", "kafka",
                "--port", Integer.toString(KAFKA_PORT));
        script(Duration.ofMinutes(10), "scripts/airflow-service.sh", "start", "--port", Integer.toString(AIRFLOW_PORT),
                "--home", services.resolve("airflow-home").toString());
        dataStack = new DataStack(REDIS_DB, 3941, 3942, 3943);
        Map<String, String> env = dataStack.environment();
        env.put("NEO4J_URI", neo4j);
        env.put("NEO4J_USERNAME", "neo4j");
        env.put("NEO4J_PASSWORD", "not-checked-by-the-test-server");
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
        env.put("AIRFLOW_HOST", "http://localhost:" + AIRFLOW_PORT);
        env.put("AIRFLOW_USERNAME", "admin");
        env.put("AIRFLOW_PASSWORD", "admin");
        sluice = Gateway.start("sluice-extended", PORT, env);
        mcp = new McpSessionClient(sluice.http(), "/mcp");
        mcp.initialize();
    }

    @AfterAll
    static void stop() {
        Gateway.closeAll(sluice, dataStack);
        if (services != null) {
            Command.run(List.of("bash", "scripts/airflow-service.sh", "stop", "--home",
                    services.resolve("airflow-home").toString()), RepositoryFiles.resolve("."), Map.of(),
                    Duration.ofMinutes(2));
            Command.run(List.of("bash", "scripts/backing-services.sh", "stop", "all"), RepositoryFiles.resolve("."),
                    Map.of("SLUICE_SERVICES_DIR", services.toString()), Duration.ofMinutes(3));
        }
    }

    private static String text(JsonNode answer) {
        return McpSessionClient.text(answer);
    }

    private static JsonNode call(String tool, String arguments) {
        return mcp.callTool(tool, arguments);
    }

    @Test
    void neo4jCypherWritesANodeReadsItBackAndSeesItInTheSchema() {
        String name = "nightly-orders-" + System.nanoTime();
        assertThat(text(call("neo4j-cypher__write_neo4j_cypher", "{\"query\": \"CREATE (p:Pipeline {name: $name,"
                + " owner: 'data-eng'}) RETURN p.name AS name\", \"params\": {\"name\": \"" + name + "\"}}")))
                .contains("nodes_created");
        assertThat(text(call("neo4j-cypher__read_neo4j_cypher", "{\"query\": \"MATCH (p:Pipeline {name: $name})"
                + " RETURN p.owner AS owner\", \"params\": {\"name\": \"" + name + "\"}}"))).contains("data-eng");
        assertThat(text(call("neo4j-cypher__get_neo4j_schema", "{}"))).contains("Pipeline").contains("owner");
    }

    @Test
    void neo4jCypherRefusesAWriteInItsReadTool() {
        JsonNode refused = call("neo4j-cypher__read_neo4j_cypher", "{\"query\": \"CREATE (x:Intruder) RETURN x\"}");
        String outcome = refused.toString();
        assertThat(refused.path("error").isMissingNode() ? refused.path("result").path("isError").asBoolean() : true)
                .as(outcome).isTrue();
        assertThat(text(call("neo4j-cypher__read_neo4j_cypher", "{\"query\": \"MATCH (x:Intruder) RETURN count(x) AS n\"}")))
                .as("nothing was written").contains("\"n\": 0");
    }

    @Test
    void neo4jMemoryRemembersAnEntityAndFindsIt() {
        String entity = "Warehouse-" + System.nanoTime();
        text(call("neo4j-memory__create_entities", "{\"entities\": [{\"name\": \"" + entity + "\", \"type\": \"System\","
                + " \"observations\": [\"holds the orders mart for the analytics team\"]}]}"));
        assertThat(text(call("neo4j-memory__find_memories_by_name", "{\"names\": [\"" + entity + "\"]}")))
                .contains("orders mart");
        assertThat(text(call("neo4j-memory__search_memories", "{\"query\": \"" + entity + "\"}"))).contains(entity);
    }

    @Test
    void confluentProducesToAKafkaTopicAndConsumesTheMessage() {
        String topic = "sluice-orders-" + System.nanoTime();
        assertThat(text(call("confluent__create-topics", "{\"topics\": [{\"topic\": \"" + topic
                + "\", \"numPartitions\": 1, \"replicationFactor\": 1}]}"))).contains(topic);
        text(call("confluent__produce-message", "{\"topicName\": \"" + topic + "\", \"key\": {\"message\": \"ORD-1001\"},"
                + " \"value\": {\"message\": \"order 1001 shipped\"}}"));
        assertThat(text(call("confluent__list-topics", "{}"))).contains(topic);
        assertThat(text(call("confluent__consume-messages", "{\"topics\": [{\"name\": \"" + topic + "\"}],"
                + " \"maxMessages\": 1, \"timeoutMs\": 15000}"))).contains("order 1001 shipped").contains("ORD-1001");
    }

    @Test
    void airflowListsTheSampleDagAndTriggersARun() {
        assertThat(text(call("airflow__fetch_dags", "{}"))).contains("sluice_sample_pipeline");
        assertThat(text(call("airflow__get_dag_tasks", "{\"dag_id\": \"sluice_sample_pipeline\"}")))
                .contains("extract_orders");
        String runId = "sluice-it-" + System.nanoTime();
        assertThat(text(call("airflow__post_dag_run", "{\"dag_id\": \"sluice_sample_pipeline\", \"dag_run_id\": \""
                + runId + "\"}"))).contains(runId);
        assertThat(text(call("airflow__get_dag_runs", "{\"dag_id\": \"sluice_sample_pipeline\"}"))).contains(runId);
    }

    @Test
    void airflowTriggersAndDeletesAreWritesAndItsListingsReads() {
        JsonNode tools = Http.json(sluice.http().get("/api/v1/tools?server=airflow"));
        Map<String, String> modes = new HashMap<>();
        tools.path("tools").forEach(t -> modes.put(t.path("tool").asText(), t.path("mode").asText()));
        assertThat(modes).hasSize(68).containsEntry("fetch_dags", "read").containsEntry("get_log", "read")
                .containsEntry("post_dag_run", "write").containsEntry("delete_dag", "write")
                .containsEntry("pause_dag", "write").containsEntry("create_variable", "write");
        assertThat(modes.values().stream().filter("read"::equals).count()).isEqualTo(41);
    }

    @Test
    void theFederatedToolListHoldsThreeHundredToolsWithoutACollision() throws IOException {
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            ObjectNode params = Json.object();
            if (cursor != null) {
                params.put("cursor", cursor);
            }
            JsonNode page = mcp.request("tools/list", params);
            page.path("result").path("tools").forEach(t -> names.add(t.path("name").asText()));
            cursor = page.path("result").path("nextCursor").asText(null);
        } while (cursor != null);
        // every definition, as agents' models would get them, for the token-overhead benchmark (bench/token-overhead.sh)
        Files.writeString(Path.of("target", "federated-tools-extended.json"),
                Http.json(sluice.http().get("/api/v1/tools")).toPrettyString());
        Set<String> distinct = new HashSet<>(names);
        assertThat(distinct).as("no two tools share a name").hasSameSizeAs(names);
        assertThat(names.size()).as("tools through Sluice").isGreaterThanOrEqualTo(300);
        for (String server : new String[] {"neo4j-cypher", "neo4j-memory", "confluent", "airflow", "motherduck",
                "postgres", "redis", "milvus", "qdrant", "datahub"}) {
            assertThat(names).as(server).anyMatch(n -> n.startsWith(server + "__"));
        }
    }

    @Test
    void theVerificationVerifiesTheWholeRunnableCatalog() throws IOException {
        HttpResponse<String> r = sluice.http().send(sluice.http().request("/api/v1/catalog/verify")
                .POST(HttpRequest.BodyPublishers.noBody()), Duration.ofMinutes(6));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode report = Http.json(r);
        Map<String, JsonNode> rows = new HashMap<>();
        report.path("rows").forEach(row -> rows.put(row.path("server").asText(), row));
        for (String verified : new String[] {"motherduck", "postgres", "redis", "mcp-analyst", "neo4j-data-modeling",
                "neo4j-cypher", "neo4j-memory", "airflow", "confluent", "milvus", "qdrant", "elasticsearch", "grafana",
                "datahub"}) {
            assertThat(rows.get(verified).path("status").asText()).as(rows.get(verified).toString()).isEqualTo("verified");
        }
        assertThat(report.path("tools").asInt()).isGreaterThanOrEqualTo(300);

        HttpResponse<String> table = sluice.http().send(sluice.http().request("/api/v1/catalog/verify?format=markdown")
                .POST(HttpRequest.BodyPublishers.noBody()), Duration.ofMinutes(6));
        assertThat(table.statusCode()).isEqualTo(200);
        Files.writeString(Path.of("target", "catalog-verification-extended.md"), table.body());
    }
}
