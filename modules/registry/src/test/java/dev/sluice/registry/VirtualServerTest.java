package dev.sluice.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class VirtualServerTest {

    private static VirtualServer including(String... patterns) {
        return new VirtualServer("v", "", List.of(), List.of(patterns), true);
    }

    private static VirtualServer drawingFrom(String... servers) {
        return new VirtualServer("v", "", List.of(servers), List.of(), true);
    }

    @Nested
    class Includes {

        @Test
        void noPatternsExposesEveryName() {
            VirtualServer all = including();

            assertThat(all.includes("postgres__query")).isTrue();
            assertThat(all.includes("anything")).isTrue();
        }

        @Test
        void anExactNameExposesOnlyThatName() {
            VirtualServer echoOnly = including("everything__echo");

            assertThat(echoOnly.includes("everything__echo")).isTrue();
            assertThat(echoOnly.includes("everything__echo2")).isFalse();
            assertThat(echoOnly.includes("xeverything__echo")).isFalse();
            assertThat(echoOnly.includes("everything__add")).isFalse();
        }

        @Test
        void aStarMatchesAnyRunOfCharactersIncludingNone() {
            VirtualServer readers = including("memory__read_*");

            assertThat(readers.includes("memory__read_graph")).isTrue();
            assertThat(readers.includes("memory__read_")).isTrue();
            assertThat(readers.includes("memory__create_entities")).isFalse();
            assertThat(readers.includes("other__read_graph")).isFalse();
        }

        @Test
        void aLoneStarExposesEverything() {
            assertThat(including("*").includes("postgres__query")).isTrue();
        }

        @Test
        void aQuestionMarkMatchesExactlyOneCharacter() {
            VirtualServer versions = including("api__v?_list");

            assertThat(versions.includes("api__v1_list")).isTrue();
            assertThat(versions.includes("api__v2_list")).isTrue();
            assertThat(versions.includes("api__v_list")).isFalse();
            assertThat(versions.includes("api__v10_list")).isFalse();
        }

        @Test
        void aNameMatchingAnyOfSeveralPatternsIsExposed() {
            VirtualServer mixed = including("everything__echo", "memory__read_*", "memory__search_*");

            assertThat(mixed.includes("everything__echo")).isTrue();
            assertThat(mixed.includes("memory__read_graph")).isTrue();
            assertThat(mixed.includes("memory__search_nodes")).isTrue();
            assertThat(mixed.includes("memory__delete_entities")).isFalse();
            assertThat(mixed.includes("everything__add")).isFalse();
        }

        @Test
        void otherCharactersInAPatternAreLiteral() {
            VirtualServer dotted = including("pg.query", "a+b", "x[1]");

            assertThat(dotted.includes("pg.query")).isTrue();
            assertThat(dotted.includes("pgXquery")).isFalse();
            assertThat(dotted.includes("a+b")).isTrue();
            assertThat(dotted.includes("aab")).isFalse();
            assertThat(dotted.includes("x[1]")).isTrue();
            assertThat(dotted.includes("x1")).isFalse();
        }
    }

    @Nested
    class DrawsFrom {

        @Test
        void noServersMeansEveryServer() {
            assertThat(drawingFrom().drawsFrom("postgres")).isTrue();
            assertThat(VirtualServer.everything().drawsFrom("any-server")).isTrue();
        }

        @Test
        void listedServersOnly() {
            VirtualServer web = drawingFrom("everything-http", "everything-sse");

            assertThat(web.drawsFrom("everything-http")).isTrue();
            assertThat(web.drawsFrom("everything-sse")).isTrue();
            assertThat(web.drawsFrom("everything")).isFalse();
            assertThat(web.drawsFrom("postgres")).isFalse();
        }
    }

    @Test
    void theDefaultVirtualServerExposesEverythingPrefixed() {
        VirtualServer everything = VirtualServer.everything();

        assertThat(everything.name()).isEqualTo(VirtualServer.DEFAULT_NAME);
        assertThat(everything.prefixed()).isTrue();
        assertThat(everything.includes("postgres__query")).isTrue();
    }
}
