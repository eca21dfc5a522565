package dev.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.SluiceException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandArgumentsTest {

    private static ObjectNode args(String field, String value) {
        ObjectNode node = Json.object();
        node.put(field, value);
        return node;
    }

    private static void refused(String field, ObjectNode arguments) {
        SluiceException e = catchThrowableOfType(SluiceException.class,
                () -> CommandArguments.check(List.of("path", field), arguments));
        assertThat(e).as("refusal of %s", arguments).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.COMMAND_ARGUMENT_REFUSED);
        assertThat(e.detail()).contains("'" + field + "'");
        assertThat(e.data()).isPresent();
        assertThat(e.data().get().path("field").asText()).isEqualTo(field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"report.txt", "src/main/java", "feature_branch-2", "v1.2.3", "a=b", "été", "x-y",
        "user@host", "C:file", "a,b", "100%"})
    void plainWordsPass(String value) {
        assertThatCode(() -> CommandArguments.check(List.of("path"), args("path", value)))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a;rm -rf /", "$(id)", "`id`", "a|b", "a\nb", "a\rb", "a && b", "a > /etc/passwd",
        "<in", "${HOME}", "a\u0000b", "~root", "*", "it's", "\"quoted\"", "a\\b", "a\tb", "a\u001bb", "!1"})
    void shellMetacharactersAreRefused(String value) {
        refused("path", args("path", value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-rf", "--output=/etc/passwd", "-"})
    void aLeadingDashIsRefused(String value) {
        refused("path", args("path", value));
        SluiceException e = catchThrowableOfType(SluiceException.class,
                () -> CommandArguments.check(List.of("path"), args("path", value)));
        assertThat(e.detail()).contains("'-'");
    }

    @Test
    void aDashInsideAWordIsFine() {
        assertThatCode(() -> CommandArguments.check(List.of("path"), args("path", "my-file--v2")))
                .doesNotThrowAnyException();
    }

    @Test
    void theRefusalDescribesAControlCharacterWithoutPrintingIt() {
        SluiceException e = catchThrowableOfType(SluiceException.class,
                () -> CommandArguments.check(List.of("path"), args("path", "a\nb")));
        assertThat(e.detail()).contains("U+000A").doesNotContain("\n");
    }

    @Test
    void arraysAreCheckedItemByItem() {
        ObjectNode ok = Json.object();
        ok.putArray("files").add("a.txt").add("b.txt");
        assertThatCode(() -> CommandArguments.check(List.of("files"), ok)).doesNotThrowAnyException();

        ObjectNode bad = Json.object();
        bad.putArray("files").add("a.txt").add("b.txt; rm -rf /");
        refused("files", bad);

        ObjectNode option = Json.object();
        option.putArray("files").add("a.txt").add("--delete");
        refused("files", option);
    }

    @Test
    void nestedStructuresAreRefused() {
        ObjectNode object = Json.object();
        object.putObject("path").put("x", "y");
        refused("path", object);

        ObjectNode nestedArray = Json.object();
        nestedArray.putArray("path").addArray().add("y");
        refused("path", nestedArray);
    }

    @Test
    void numbersAndBooleansPass() {
        ObjectNode node = Json.object().put("count", 3).put("force", true).put("ratio", 0.5);
        assertThatCode(() -> CommandArguments.check(List.of("count", "force", "ratio"), node))
                .doesNotThrowAnyException();
    }

    @Test
    void aNegativeNumberIsAnOptionToo() {
        refused("count", Json.object().put("count", -1));
    }

    @Test
    void argumentsNotListedAreNotChecked() {
        ObjectNode node = Json.object().put("path", "ok").put("query", "a;rm -rf /").put("flag", "-rf");
        assertThatCode(() -> CommandArguments.check(List.of("path"), node)).doesNotThrowAnyException();
    }

    @Test
    void absentAndNullArgumentsAreSkipped() {
        ObjectNode node = Json.object();
        node.putNull("path");
        assertThatCode(() -> CommandArguments.check(List.of("path", "missing"), node)).doesNotThrowAnyException();
    }
}
