package dev.sluice.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class QualifiedNameTest {

    @Nested
    class Rendering {
        @Test
        void joinsServerAndNameWithTheSeparator() {
            assertThat(new QualifiedName("postgres", "execute_sql").render("__")).isEqualTo("postgres__execute_sql");
            assertThat(new QualifiedName("server-everything", "echo").render(".")).isEqualTo("server-everything.echo");
        }

        @Test
        void reportsNamesLongerThanMcpRecommends() {
            assertThat(new QualifiedName("s", "x".repeat(125)).tooLong("__")).isFalse();
            assertThat(new QualifiedName("s", "x".repeat(126)).tooLong("__")).isTrue();
        }
    }

    @Nested
    class Parsing {
        @Test
        void splitsAtTheFirstSeparatorSoToolNamesMayContainIt() {
            assertThat(QualifiedName.parse("redis__hash__get", "__"))
                    .contains(new QualifiedName("redis", "hash__get"));
        }

        @Test
        void aNameWithoutServerPartIsNotQualified() {
            assertThat(QualifiedName.parse("echo", "__")).isEmpty();
            assertThat(QualifiedName.parse("__echo", "__")).isEmpty();
            assertThat(QualifiedName.parse("pg__", "__")).isEmpty();
            assertThat(QualifiedName.parse("Bad Server__echo", "__")).isEmpty();
        }
    }

    @Test
    void serverNamesCannotContainTheSeparator() {
        assertThatThrownBy(() -> new QualifiedName("my__server", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'my__server'");
        assertThat(QualifiedName.isValidServerName("a-b-1")).isTrue();
        assertThat(QualifiedName.isValidServerName("-a")).isFalse();
        assertThat(QualifiedName.isValidServerName("a--b")).isFalse();
    }
}
