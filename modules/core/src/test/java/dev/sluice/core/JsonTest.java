package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Bad JSON is always a parse error naming where it breaks, never a crash. */
class JsonTest {

    private static void isParseError(String text, String contains) {
        assertThatThrownBy(() -> Json.parse(text))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PARSE_ERROR))
                .hasMessageContaining(contains);
    }

    @Test
    void aBrokenDocumentNamesItsLineAndColumn() {
        isParseError("{\"jsonrpc\": \"2.0\",\n \"id\": }", "line 2");
    }

    @Test
    void anEmptyBodyIsNamedAsSuch() {
        isParseError("", "empty");
    }

    @Test
    void nestingDeeperThanTheParserAllowsIsAParseErrorToo() {
        isParseError("[".repeat(5000) + "]".repeat(5000), "invalid JSON");
    }

    @Test
    void trailingGarbageIsRefused() {
        isParseError("{} {}", "invalid JSON");
    }

    @Test
    void unknownFieldsSurviveARoundTrip() {
        String text = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"_meta\":{\"x/y\":[1,{\"z\":null}]},\"extra\":true}}";
        assertThat(Json.write(Json.parse(text))).isEqualTo(text);
    }
}
