package dev.sluice.agents.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agents.ToolSpec;
import dev.sluice.core.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolFinderTest {
    private static ToolSpec tool(String name, String description) {
        return new ToolSpec(name, description, Json.object().put("type", "object"));
    }

    private static final List<ToolSpec> ROLE = List.of(
            tool("kafka__list_topics", "Lists the Kafka topics of the cluster."),
            tool("kafka__produce_message", "Sends a message to a topic."),
            tool("kafka__consume_messages", "Reads messages from a topic."),
            tool("airflow__list_dags", "Lists the DAGs."),
            tool("airflow__trigger_dag", "Starts a DAG run."),
            tool("postgres__execute_sql", "Runs SQL on PostgreSQL."),
            tool("postgres__list_objects", "Lists schemas, tables and views."));

    private static List<String> names(List<ToolSpec> specs) {
        return specs.stream().map(ToolSpec::name).toList();
    }

    @Test
    void theLookupsDescriptionNamesEveryToolWithoutSchemas() {
        ToolSpec spec = new ToolFinder(ROLE).spec();
        assertThat(spec.name()).isEqualTo("sluice_find_tools");
        for (ToolSpec t : ROLE) {
            assertThat(spec.description()).contains(t.name());
        }
        assertThat(spec.description()).doesNotContain("Lists the Kafka topics");
        assertThat(spec.inputSchema().path("required").toString()).isEqualTo("[\"query\"]");
    }

    @Test
    void exactNamesAreWhatIsAskedForElseTheBestWordMatches() {
        ToolFinder finder = new ToolFinder(ROLE);
        assertThat(names(finder.find("postgres__execute_sql, airflow__list_dags")))
                .containsExactly("airflow__list_dags", "postgres__execute_sql");
        assertThat(names(finder.find("kafka topics")).get(0)).isEqualTo("kafka__list_topics");
        assertThat(names(finder.find("trigger a dag"))).first().isEqualTo("airflow__trigger_dag");
        // a name inside another word is not an exact name: the words match, and other tools may come first
        assertThat(names(finder.find("xpostgres__list_objectsx tables"))).first().isEqualTo("postgres__list_objects");
        assertThat(names(finder.find("xkafka__list_topicsx"))).hasSizeGreaterThan(1);
    }

    @Test
    void aLookupOffersAtMostFiveAndSaysSoWhenNothingMatches() {
        ToolFinder finder = new ToolFinder(ROLE);
        assertThat(finder.find("lists topic message dag sql postgres kafka airflow")).hasSize(ToolFinder.LIMIT);
        assertThat(finder.find("weather in Paris")).isEmpty();
        assertThat(ToolFinder.answer(List.of())).contains("No tool").contains("sluice_find_tools");
        assertThat(ToolFinder.answer(finder.find("kafka__list_topics")))
                .isEqualTo("You can call these tools now:\n- kafka__list_topics: Lists the Kafka topics of the cluster.");
    }
}
