package dev.sluice.agents.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.agents.ToolSpec;
import dev.sluice.core.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolDefinitionsTest {
    /** A definition as a FastMCP server lists it: titles, anyOf-with-null optionals, a long description. */
    private static final String QUERY = """
            {"name": "postgres__execute_sql",
             "description": "Execute any SQL query.\\n\\nExamples:\\n  select 1;\\n  select * from t;",
             "inputSchema": {"$schema": "http://json-schema.org/draft-07/schema#", "title": "execute_sqlArguments",
               "type": "object", "additionalProperties": true,
               "properties": {
                 "sql": {"title": "Sql", "type": "string", "description": "SQL to run"},
                 "limit": {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "null"}], "default": null,
                           "title": "Limit"},
                 "mode": {"title": "Mode", "type": "string", "enum": ["read", "explain"]},
                 "title": {"type": "string", "description": "a property that happens to be called title"}},
               "required": ["sql"]}}
            """;

    private static ToolSpec compacted(String json) {
        return new ToolDefinitions(List.of((ObjectNode) Json.parse(json)), true, 300).specs().get(0);
    }

    @Test
    void compactingDropsSchemaNoiseAndKeepsWhatAModelNeeds() {
        ToolSpec spec = compacted(QUERY);
        ObjectNode schema = spec.inputSchema();
        assertThat(schema.has("$schema")).isFalse();
        assertThat(schema.has("title")).isFalse();
        assertThat(schema.has("additionalProperties")).isFalse();
        assertThat(schema.path("required").toString()).isEqualTo("[\"sql\"]");
        assertThat(schema.path("properties").path("sql").toString())
                .isEqualTo("{\"type\":\"string\",\"description\":\"SQL to run\"}");
        assertThat(schema.path("properties").path("limit").toString()).isEqualTo("{\"type\":\"integer\",\"minimum\":1}");
        assertThat(schema.path("properties").path("mode").path("enum").toString()).isEqualTo("[\"read\",\"explain\"]");
        assertThat(schema.path("properties").has("title")).as("a property named title is kept").isTrue();
        assertThat(spec.description()).isEqualTo("Execute any SQL query.");
        assertThat(Json.write(schema).length()).isLessThan(Json.write(Json.parse(QUERY).path("inputSchema")).length());
    }

    @Test
    void withoutCompactionTheDefinitionIsSentAsListed() {
        ToolSpec spec = new ToolDefinitions(List.of((ObjectNode) Json.parse(QUERY)), false, 300).specs().get(0);
        assertThat(spec.inputSchema()).isEqualTo(Json.parse(QUERY).path("inputSchema"));
        assertThat(spec.description()).contains("Examples");
    }

    @Test
    void longArgumentDescriptionsAreCutTooButKeepTheirFirstSentence() {
        String tool = """
                {"name": "analyst__execute_sql", "inputSchema": {"type": "object", "properties": {"query": {"type": "string",
                  "description": "The SQL query to run over the files. Supported functions:\\n\\nabs, acos, acosh, array_agg ..."},
                  "description": {"type": "string", "description": "a property named description"}}}}
                """;
        ObjectNode props = (ObjectNode) compacted(tool).inputSchema().path("properties");
        assertThat(props.path("query").path("description").asText()).isEqualTo("The SQL query to run over the files."
                + " Supported functions:");
        assertThat(props.path("description").path("description").asText()).isEqualTo("a property named description");
    }

    @Test
    void aLongDescriptionIsCutAtASentence() {
        String longText = "First sentence here. " + "More words follow in this second sentence. ".repeat(20);
        assertThat(ToolDefinitions.shorten(longText, 100)).endsWith(".").hasSizeLessThanOrEqualTo(100);
    }

    @Test
    void namesAProviderWouldRefuseGetAliasesThatMapBack() {
        ToolDefinitions defs = new ToolDefinitions(List.of(
                (ObjectNode) Json.parse("{\"name\": \"files__read.file\", \"inputSchema\": {\"type\": \"object\"}}"),
                (ObjectNode) Json.parse("{\"name\": \"files__read_file\", \"inputSchema\": {\"type\": \"object\"}}")),
                true, 300);
        List<String> names = defs.specs().stream().map(ToolSpec::name).toList();
        assertThat(names).allMatch(n -> n.matches("[a-zA-Z0-9_-]{1,64}")).doesNotHaveDuplicates();
        assertThat(defs.federatedName(names.get(0))).isEqualTo("files__read.file");
        assertThat(defs.federatedName(names.get(1))).isEqualTo("files__read_file");
        assertThat(defs.specs().get(0).inputSchema().has("properties")).as("OpenAI wants properties").isTrue();
    }
}
