package dev.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.SluiceException;
import dev.sluice.security.internal.TinyHttpServer;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ArgumentValidatorTest {

    private static final JsonNode QUERY_SCHEMA = Json.parse("""
            {
              "type": "object",
              "properties": {
                "sql": {"type": "string"},
                "limit": {"type": "integer"}
              },
              "required": ["sql"],
              "additionalProperties": false
            }
            """);

    private final ArgumentValidator validator = new ArgumentValidator();

    private static ObjectNode args(String json) {
        return (ObjectNode) Json.parse(json);
    }

    private SluiceException refusal(JsonNode schema, String arguments) {
        SluiceException e = catchThrowableOfType(SluiceException.class,
                () -> validator.validate("pg__query", schema, args(arguments)));
        assertThat(e).as("refusal of %s", arguments).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENTS);
        assertThat(e.detail()).contains("'pg__query'");
        assertThat(e.data()).isPresent();
        return e;
    }

    private static String firstField(SluiceException e) {
        return e.data().get().path("errors").path(0).path("field").asText(null);
    }

    @Nested
    class FlatSchema {
        @Test
        void validArgumentsPass() {
            assertThatCode(() -> validator.validate("q", QUERY_SCHEMA, args("{\"sql\":\"SELECT 1\",\"limit\":5}")))
                    .doesNotThrowAnyException();
            assertThatCode(() -> validator.validate("q", QUERY_SCHEMA, args("{\"sql\":\"SELECT 1\"}")))
                    .doesNotThrowAnyException();
        }

        @Test
        void aWrongTypeNamesTheField() {
            SluiceException e = refusal(QUERY_SCHEMA, "{\"sql\":\"SELECT 1\",\"limit\":\"ten\"}");
            assertThat(e.detail()).contains("'limit'");
            assertThat(firstField(e)).isEqualTo("limit");
            assertThat(e.data().get().path("errors").path(0).path("keyword").asText()).isEqualTo("type");
        }

        @Test
        void theMessageIsNotPrefixedWithTheLocationAgain() {
            SluiceException e = refusal(QUERY_SCHEMA, "{\"sql\":\"SELECT 1\",\"limit\":\"ten\"}");
            String message = e.data().get().path("errors").path(0).path("message").asText();
            assertThat(message).isNotBlank().doesNotStartWith("$").doesNotStartWith("/");
            assertThat(message).contains("integer");
        }

        @Test
        void aMissingRequiredFieldIsNamed() {
            SluiceException e = refusal(QUERY_SCHEMA, "{\"limit\":5}");
            assertThat(e.detail()).contains("'sql'");
            assertThat(firstField(e)).isEqualTo("sql");
        }

        @Test
        void anExtraFieldIsNamed() {
            SluiceException e = refusal(QUERY_SCHEMA, "{\"sql\":\"SELECT 1\",\"dryRun\":true}");
            assertThat(e.detail()).contains("'dryRun'");
            assertThat(firstField(e)).isEqualTo("dryRun");
        }

        @Test
        void everyFailingFieldIsReported() {
            SluiceException e = refusal(QUERY_SCHEMA, "{\"limit\":\"ten\",\"extra\":1}");
            assertThat(e.data().get().path("errors")).hasSize(3);
            assertThat(e.detail()).contains("'sql'", "'limit'", "'extra'");
        }

        @Test
        void theArgumentValuesAreNotEchoed() {
            SluiceException e = refusal(QUERY_SCHEMA, "{\"sql\":\"SELECT 1\",\"limit\":\"hunter2-secret\"}");
            assertThat(e.detail()).doesNotContain("hunter2-secret");
        }
    }

    @Nested
    class NestedSchema {
        private final JsonNode schema = Json.parse("""
                {
                  "type": "object",
                  "properties": {
                    "filter": {
                      "type": "object",
                      "properties": {"limit": {"type": "integer", "maximum": 100}},
                      "required": ["limit"]
                    },
                    "ids": {"type": "array", "items": {"type": "integer"}}
                  }
                }
                """);

        @Test
        void aNestedFieldIsNamedByItsDottedPath() {
            SluiceException e = refusal(schema, "{\"filter\":{\"limit\":\"many\"}}");
            assertThat(firstField(e)).isEqualTo("filter.limit");
            assertThat(e.detail()).contains("'filter.limit'");
        }

        @Test
        void aMissingNestedFieldIsNamedByItsDottedPath() {
            SluiceException e = refusal(schema, "{\"filter\":{}}");
            assertThat(firstField(e)).isEqualTo("filter.limit");
        }

        @Test
        void anArrayItemIsNamedByItsIndex() {
            SluiceException e = refusal(schema, "{\"ids\":[1,2,\"three\"]}");
            assertThat(firstField(e)).isEqualTo("ids[2]");
        }

        @Test
        void validNestedArgumentsPass() {
            assertThatCode(() -> validator.validate("q", schema, args("{\"filter\":{\"limit\":10},\"ids\":[1,2]}")))
                    .doesNotThrowAnyException();
        }
    }

    @Nested
    class Dialects {
        @Test
        void aDraft07SchemaIsHonoured() {
            JsonNode draft7 = Json.parse("""
                    {
                      "$schema": "http://json-schema.org/draft-07/schema#",
                      "type": "object",
                      "properties": {"n": {"type": "integer", "exclusiveMaximum": 10}},
                      "required": ["n"]
                    }
                    """);
            assertThatCode(() -> validator.validate("t", draft7, args("{\"n\":9}"))).doesNotThrowAnyException();
            SluiceException e = refusal(draft7, "{\"n\":10}");
            assertThat(firstField(e)).isEqualTo("n");
        }

        @Test
        void aSchemaWithoutDialectIs2020_12() {
            // prefixItems exists only from 2020-12 on
            JsonNode schema = Json.parse("""
                    {"type": "object", "properties": {"pair": {"type": "array", "prefixItems": [{"type": "string"}]}}}
                    """);
            SluiceException e = refusal(schema, "{\"pair\":[1]}");
            assertThat(firstField(e)).isEqualTo("pair[0]");
        }

        @Test
        void aRemoteRefToALocalServerIsNeverRequested() throws Exception {
            try (TinyHttpServer server = new TinyHttpServer("{\"type\":\"string\"}", "application/schema+json")) {
                JsonNode schema = Json.parse("{\"type\":\"object\",\"properties\":{\"x\":{\"$ref\":\""
                        + server.url("/x.json") + "\"}}}");
                assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                    try {
                        validator.validate("t", schema, args("{\"x\":1}"));
                    } catch (SluiceException e) {
                        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENTS);
                    }
                });
                assertThat(server.requests()).as("requests to the $ref URL").isZero();
            }
        }

        @Test
        void aRemoteRefIsNotFetched() {
            JsonNode schema = Json.parse("""
                    {
                      "type": "object",
                      "properties": {"x": {"$ref": "https://example.invalid/x.json"}}
                    }
                    """);
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                try {
                    validator.validate("t", schema, args("{\"x\":1}"));
                } catch (SluiceException e) {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENTS);
                }
            });
        }
    }

    @Nested
    class NoSchema {
        @Test
        void nullOrEmptySchemaAcceptsAnything() {
            ObjectNode anything = args("{\"a\":1,\"b\":[true,null],\"c\":{\"d\":\"e\"}}");
            assertThatCode(() -> validator.validate("t", null, anything)).doesNotThrowAnyException();
            assertThatCode(() -> validator.validate("t", Json.object(), anything)).doesNotThrowAnyException();
            assertThatCode(() -> validator.validate("t", Json.parse("true"), anything)).doesNotThrowAnyException();
        }

        @Test
        void aBrokenSchemaDoesNotMakeTheToolUncallable() {
            JsonNode broken = Json.parse("{\"type\": 12, \"properties\": \"nope\"}");
            assertThatCode(() -> validator.validate("t", broken, args("{\"a\":1}"))).doesNotThrowAnyException();
        }
    }

    @Test
    void aCompiledSchemaIsReusedAndStillValidates() {
        for (int i = 0; i < 3; i++) {
            SluiceException e = refusal(QUERY_SCHEMA, "{\"limit\":5}");
            assertThat(firstField(e)).isEqualTo("sql");
        }
    }
}
