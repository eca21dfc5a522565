package dev.sluice.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Which upstream's resource template a {@code resources/read} URI is routed by. */
class FederationServiceTest {

    @Nested
    class SimpleExpansion {

        @Test
        void fillsOnePathSegment() {
            assertThat(FederationService.matches("postgres://db/{table}/schema", "postgres://db/users/schema")).isTrue();
            assertThat(FederationService.matches("test://static/resource/{id}", "test://static/resource/42")).isTrue();
        }

        @Test
        void doesNotCrossASlash() {
            assertThat(FederationService.matches("test://static/resource/{id}", "test://static/resource/4/2")).isFalse();
            assertThat(FederationService.matches("postgres://db/{table}/schema", "postgres://db/a/b/schema")).isFalse();
        }

        @Test
        void severalVariablesEachFillTheirOwnSegment() {
            assertThat(FederationService.matches("repo://{owner}/{name}/readme", "repo://sluice/gateway/readme")).isTrue();
            assertThat(FederationService.matches("repo://{owner}/{name}/readme", "repo://sluice/readme")).isFalse();
        }
    }

    @Nested
    class ReservedExpansion {

        @Test
        void crossesSlashes() {
            assertThat(FederationService.matches("file:///{+path}", "file:///home/user/notes/todo.md")).isTrue();
            assertThat(FederationService.matches("docs://{+path}/index", "docs://a/b/c/index")).isTrue();
        }

        @Test
        void stillNeedsTheLiteralPartsAroundIt() {
            assertThat(FederationService.matches("docs://{+path}/index", "docs://a/b/c/readme")).isFalse();
            assertThat(FederationService.matches("file:///{+path}", "http://home/user")).isFalse();
        }
    }

    @Nested
    class LiteralParts {

        @Test
        void mustMatchExactly() {
            assertThat(FederationService.matches("memory://graph", "memory://graph")).isTrue();
            assertThat(FederationService.matches("memory://graph", "memory://graph2")).isFalse();
            assertThat(FederationService.matches("memory://graph", "xmemory://graph")).isFalse();
            assertThat(FederationService.matches("test://static/resource/{id}", "test://other/resource/1")).isFalse();
            assertThat(FederationService.matches("test://static/resource/{id}.json", "test://static/resource/1.txt"))
                    .isFalse();
        }

        @Test
        void regexMetacharactersInTheTemplateAreTakenLiterally() {
            assertThat(FederationService.matches("db://t.able/{id}", "db://tXable/1")).isFalse();
            assertThat(FederationService.matches("db://t.able/{id}", "db://t.able/1")).isTrue();
            assertThat(FederationService.matches("x://a/(b|c)+/{id}", "x://a/bc/1")).isFalse();
            assertThat(FederationService.matches("x://a/(b|c)+/{id}", "x://a/(b|c)+/1")).isTrue();
            assertThat(FederationService.matches("q://search?q=[a-z]*&{x}", "q://search?q=abc&1")).isFalse();
            assertThat(FederationService.matches("q://search?q=[a-z]*&{x}", "q://search?q=[a-z]*&1")).isTrue();
            assertThat(FederationService.matches("odd://\\E.*{id}", "odd://anything")).isFalse();
            assertThat(FederationService.matches("odd://\\E.*{id}", "odd://\\E.*1")).isTrue();
        }

        @Test
        void anUnclosedExpressionMatchesNothing() {
            assertThat(FederationService.matches("test://resource/{id", "test://resource/{id")).isFalse();
            assertThat(FederationService.matches("test://resource/{id", "test://resource/1")).isFalse();
        }
    }
}
