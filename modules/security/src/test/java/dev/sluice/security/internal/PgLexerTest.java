package dev.sluice.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.security.internal.PgToken.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgLexerTest {

    private static List<PgToken> lex(String sql) {
        return PgLexer.lex(sql, false);
    }

    private static List<String> values(String sql) {
        return lex(sql).stream().map(PgToken::value).toList();
    }

    @Test
    void identifiersAreResolvedAsPostgresqlResolvesThem() {
        assertThat(values("SELECT PG_Sleep, \"PG_Sleep\", \"a\"\"b\", U&\"d\\0061t\\+000061\", U&\"d!0061t\" UESCAPE '!'"))
                .containsExactly("select", "pg_sleep", ",", "PG_Sleep", ",", "a\"b", ",", "data", ",", "dat");
        assertThat(lex("SELECT \"x\"").get(1).quoted()).isTrue();
    }

    @Test
    void onlyAsciiLettersAreFoldedAndNonAsciiIsPartOfAName() {
        assertThat(values("SELECT ÄB\u00a0pg_sleep(1)")).containsExactly("select", "Äb\u00a0pg_sleep", "(", "1", ")");
    }

    @Test
    void longNamesAreTruncatedTo63Bytes() {
        assertThat(values("SELECT " + "a".repeat(70)).get(1)).hasSize(63);
        assertThat(values("SELECT \"" + "é".repeat(40) + "\"").get(1)).hasSize(31); // 2 bytes each
    }

    @Test
    void dollarQuotesEndOnlyAtTheirOwnTag() {
        List<PgToken> tokens = lex("SELECT $x$ ' $y$ ; $x$, $1, a$b$c");
        assertThat(tokens).extracting(PgToken::type)
                .containsExactly(Type.IDENT, Type.STRING, Type.COMMA, Type.PARAM, Type.COMMA, Type.IDENT);
        assertThat(tokens.get(5).value()).isEqualTo("a$b$c");
    }

    @Test
    void commentsNestAndEndOperators() {
        assertThat(values("SELECT 1 /* a /* b */ ; */ +--x\n2")).containsExactly("select", "1", "+", "2");
    }

    @Test
    void stringsEndAsPostgresqlEndsThem() {
        assertThat(lex("SELECT 'a''b', E'c\\'d', 'e\\', B'1', X'f', N'g'")).extracting(PgToken::type)
                .containsExactly(Type.IDENT, Type.STRING, Type.COMMA, Type.STRING, Type.COMMA, Type.STRING,
                        Type.COMMA, Type.STRING, Type.COMMA, Type.STRING, Type.COMMA, Type.STRING);
        // with standard_conforming_strings = off, 'e\', … is still open
        assertThatThrownBy(() -> PgLexer.lex("SELECT 'e\\', 1", true)).isInstanceOf(SqlRefusal.class)
                .hasMessageContaining("unterminated quoted string");
    }

    @Test
    void whatPostgresqlWouldRejectIsRefused() {
        for (String sql : List.of("SELECT 'open", "SELECT \"open", "SELECT $$ open", "SELECT 1 /* open",
                "SELECT \"\"", "SELECT 1\u0000", "SELECT 1pg_sleep(1)", "SELECT $ 1", "SELECT 1 \\g",
                "SELECT U&\"\\d800\"", "SELECT U&\"x\" UESCAPE '+'", "SELECT \ud800")) {
            assertThatThrownBy(() -> lex(sql)).as(sql).isInstanceOf(SqlRefusal.class)
                    .extracting(e -> ((SqlRefusal) e).reason()).isEqualTo("parse-error");
        }
    }
}
