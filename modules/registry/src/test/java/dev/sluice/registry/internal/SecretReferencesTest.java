package dev.sluice.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.SluiceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretReferencesTest {

    private static final Map<String, String> ENVIRONMENT = Map.of(
            "PG_PASSWORD", "s3cret-pg",
            "API_TOKEN", "tok-12345",
            "ODD", "a$1\\b${env:PG_PASSWORD}");

    private final SecretReferences secrets = new SecretReferences(ENVIRONMENT::get);

    @TempDir
    Path dir;

    @Nested
    class Resolving {

        @Test
        void anEnvironmentReferenceBecomesTheVariablesValue() {
            assertThat(secrets.resolve("${env:PG_PASSWORD}", "servers[0] 'pg' env PGPASSWORD"))
                    .isEqualTo("s3cret-pg");
        }

        @Test
        void aFallbackStandsInForAnUnsetVariableOnly() {
            assertThat(secrets.resolve("${env:ES_API_KEY:-}", "servers[0] 'es' env ES_API_KEY")).isEmpty();
            assertThat(secrets.resolve("http://${env:ES_HOST:-localhost}:9200", "url")).isEqualTo("http://localhost:9200");
            assertThat(secrets.resolve("${env:PG_PASSWORD:-none}", "env")).isEqualTo("s3cret-pg");
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> secrets.resolve("${env:ES_HOST}", "url")))
                    .hasMessageContaining("ES_HOST").hasMessageContaining("not set");
        }

        @Test
        void anOptionalEntryThatResolvesToNothingIsLeftOut() {
            Map<String, String> env = secrets.resolveAll(new java.util.LinkedHashMap<>(Map.of(
                    "ES_API_KEY", "${env:ES_API_KEY:-}", "PGPASSWORD", "${env:PG_PASSWORD:-}", "EMPTY", "")), "env");
            assertThat(env).containsOnlyKeys("PGPASSWORD", "EMPTY").containsEntry("PGPASSWORD", "s3cret-pg");
        }

        @Test
        void aFileReferenceBecomesTheFileContentWithoutItsTrailingNewline() throws IOException {
            Path file = Files.writeString(dir.resolve("token"), "file-secret\n");

            assertThat(secrets.resolve("${file:" + file + "}", "header Authorization")).isEqualTo("file-secret");
        }

        @Test
        void aFileSavedWithWindowsLineEndingsLosesTheWholeLineEnding() throws IOException {
            Path file = Files.writeString(dir.resolve("token"), "tok\r\n");

            assertThat(secrets.resolve("${file:" + file + "}", "header Authorization")).isEqualTo("tok");
        }

        @Test
        void aFileWithoutTrailingNewlineIsTakenWhole() throws IOException {
            Path file = Files.writeString(dir.resolve("token"), "line one\nline two");

            assertThat(secrets.resolve("${file:" + file + "}", "w")).isEqualTo("line one\nline two");
        }

        @Test
        void severalReferencesAndTheTextAroundThemAreAllKept() throws IOException {
            Path file = Files.writeString(dir.resolve("user"), "alice\n");

            assertThat(secrets.resolve("postgres://${file:" + file + "}:${env:PG_PASSWORD}@db/app?t=${env:API_TOKEN}",
                    "args[0]"))
                    .isEqualTo("postgres://alice:s3cret-pg@db/app?t=tok-12345");
        }

        @Test
        void aResolvedValueIsTakenLiterallyAndNotResolvedAgain() {
            assertThat(secrets.resolve("Bearer ${env:ODD}", "w")).isEqualTo("Bearer a$1\\b${env:PG_PASSWORD}");
        }

        @Test
        void plainValuesPassUnchanged() {
            assertThat(secrets.resolve("plain value", "w")).isEqualTo("plain value");
            assertThat(secrets.resolve("cost: $5 {braces}", "w")).isEqualTo("cost: $5 {braces}");
            assertThat(secrets.resolve("", "w")).isEmpty();
            assertThat(secrets.resolve(null, "w")).isNull();
        }

        @Test
        void somethingThatOnlyLooksLikeAReferenceIsLeftAlone() {
            assertThat(secrets.resolve("${vault:secret/pg}", "w")).isEqualTo("${vault:secret/pg}");
            assertThat(secrets.resolve("${env:PG_PASSWORD", "w")).isEqualTo("${env:PG_PASSWORD");
        }

        @Test
        void resolveAllResolvesEveryValueAndKeepsTheKeys() {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("Authorization", "Bearer ${env:API_TOKEN}");
            values.put("X-Plain", "plain");

            assertThat(secrets.resolveAll(values, "headers"))
                    .containsExactly(Map.entry("Authorization", "Bearer tok-12345"), Map.entry("X-Plain", "plain"));
        }
    }

    @Nested
    class Failures {

        @Test
        void aMissingVariableIsNamedWithWhereItWasUsedButNoValueIsShown() {
            SluiceException e = catchThrowableOfType(SluiceException.class,
                    () -> secrets.resolve("${env:PG_PASSWORD}:${env:MISSING_VAR}", "servers[0] 'pg' env DSN"));

            assertThat(e).isNotNull();
            assertThat(e.getMessage())
                    .contains("MISSING_VAR")
                    .contains("servers[0] 'pg' env DSN")
                    .doesNotContain("s3cret-pg");
        }

        @Test
        void anUnreadableFileIsNamedWithWhereItWasUsedButNoValueIsShown() {
            Path missing = dir.resolve("no-such-secret");

            SluiceException e = catchThrowableOfType(SluiceException.class,
                    () -> secrets.resolve("${env:API_TOKEN}/${file:" + missing + "}", "header X-Key"));

            assertThat(e).isNotNull();
            assertThat(e.getMessage())
                    .contains(missing.toString())
                    .contains("header X-Key")
                    .doesNotContain("tok-12345");
        }

        @Test
        void aDirectoryIsNotReadableAsASecret() {
            SluiceException e = catchThrowableOfType(SluiceException.class,
                    () -> secrets.resolve("${file:" + dir + "}", "env KEY"));

            assertThat(e).isNotNull();
            assertThat(e.getMessage()).contains(dir.toString()).contains("env KEY");
        }

        @Test
        void resolveAllNamesTheKeyWhoseReferenceFailed() {
            SluiceException e = catchThrowableOfType(SluiceException.class,
                    () -> secrets.resolveAll(Map.of("X-Token", "${env:NOT_SET}"), "servers[2] 'web' headers"));

            assertThat(e).isNotNull();
            assertThat(e.getMessage()).contains("servers[2] 'web' headers X-Token").contains("NOT_SET");
        }
    }

    @Nested
    class RecognisingReferences {

        @Test
        void valuesHoldingAReferenceAreRecognised() {
            assertThat(SecretReferences.isReference("${env:API_TOKEN}")).isTrue();
            assertThat(SecretReferences.isReference("Bearer ${file:/run/secrets/token}")).isTrue();
        }

        @Test
        void plainOrMalformedValuesAreNotReferences() {
            assertThat(SecretReferences.isReference("plain")).isFalse();
            assertThat(SecretReferences.isReference("$env:API_TOKEN")).isFalse();
            assertThat(SecretReferences.isReference("${vault:x}")).isFalse();
            assertThat(SecretReferences.isReference("${env:}")).isFalse();
            assertThat(SecretReferences.isReference(null)).isFalse();
        }
    }
}
