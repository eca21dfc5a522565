package dev.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import dev.sluice.core.ToolMode;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlPolicyTest {

    private final SqlPolicy policy = SqlPolicy.defaults();

    private void passes(String sql, ToolMode mode) {
        assertThatCode(() -> policy.check("sql", sql, mode, Set.of())).as(sql).doesNotThrowAnyException();
    }

    /** Checks the refusal names the argument and returns the machine-readable reason. */
    private String refusedReason(String sql, ToolMode mode, Set<String> toolDenied) {
        SluiceException e = catchThrowableOfType(SluiceException.class,
                () -> policy.check("query", sql, mode, toolDenied));
        assertThat(e).as("refusal of %s", sql).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.SQL_REFUSED);
        assertThat(e.detail()).contains("'query'");
        assertThat(e.data()).as("data of the refusal of %s", sql).isPresent();
        assertThat(e.data().get().path("field").asText()).isEqualTo("query");
        return e.data().get().path("reason").asText();
    }

    /** A read tool refuses {@code sql} for {@code reason}. */
    private void assertRefused(String sql, String reason) {
        assertThat(refusedReason(sql, ToolMode.READ, Set.of())).as(sql).isEqualTo(reason);
    }

    @Nested
    class ReadTools {
        @ParameterizedTest
        @ValueSource(strings = {
            "SELECT id, name FROM users WHERE id = 1",
            "select count(*) from orders o join users u on u.id = o.user_id group by u.id",
            "WITH recent AS (SELECT * FROM orders WHERE created > now() - interval '1 day') SELECT * FROM recent",
            "SELECT id FROM a UNION SELECT id FROM b",
            "SELECT 1 /* ; drop table x */",
            "SELECT * FROM t -- ; DELETE FROM t",
            "SELECT 1;",
        })
        void queriesPass(String sql) {
            passes(sql, ToolMode.READ);
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "INSERT INTO t (a) VALUES (1)",
            "UPDATE t SET a = 2 WHERE id = 1",
            "DELETE FROM t WHERE id = 1",
            "CREATE TABLE t2 (a int)",
        })
        void dataChangingStatementsAreNotReadOnly(String sql) {
            assertThat(refusedReason(sql, ToolMode.READ, Set.of())).isEqualTo("not-read-only");
        }

        @ParameterizedTest
        @ValueSource(strings = {"DROP TABLE users", "TRUNCATE TABLE users", "TRUNCATE users",
            "ALTER TABLE users ADD COLUMN x int", "GRANT SELECT ON users TO bob"})
        void globallyDeniedStatementsAreRefused(String sql) {
            assertThat(refusedReason(sql, ToolMode.READ, Set.of())).isEqualTo("denied-statement");
        }

        @Test
        void aSecondStatementIsRefusedWhateverItIs() {
            assertThat(refusedReason("SELECT 1; DROP TABLE users", ToolMode.READ, Set.of()))
                    .isEqualTo("multiple-statements");
            assertThat(refusedReason("SELECT 1; SELECT 2", ToolMode.READ, Set.of()))
                    .isEqualTo("multiple-statements");
        }

        @Test
        void aStatementAfterALineCommentIsStillSeen() {
            assertThat(refusedReason("SELECT 1; -- comment\nDELETE FROM t", ToolMode.READ, Set.of()))
                    .isEqualTo("multiple-statements");
        }

        @Test
        void aDataChangingWithPartIsRefused() {
            assertThat(refusedReason("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", ToolMode.READ,
                    Set.of())).isEqualTo("not-read-only");
            assertThat(refusedReason("WITH i AS (INSERT INTO t (a) VALUES (1) RETURNING a) SELECT * FROM i",
                    ToolMode.READ, Set.of())).isEqualTo("not-read-only");
            assertThat(refusedReason("WITH u AS (UPDATE t SET a = 1 RETURNING a) SELECT * FROM u",
                    ToolMode.READ, Set.of())).isEqualTo("not-read-only");
        }

        @Test
        void aDataChangingWithPartBehindAReadOnlyOneIsRefused() {
            assertThat(refusedReason("WITH a AS (SELECT 1), d AS (DELETE FROM t RETURNING *) SELECT * FROM d",
                    ToolMode.READ, Set.of())).isEqualTo("not-read-only");
        }

        @Test
        void selectIntoIsRefused() {
            assertThat(refusedReason("SELECT * INTO newtable FROM t", ToolMode.READ, Set.of()))
                    .isEqualTo("not-read-only");
        }

        @Test
        void rowLocksAreRefused() {
            assertThat(refusedReason("SELECT * FROM t FOR UPDATE", ToolMode.READ, Set.of()))
                    .isEqualTo("not-read-only");
            assertThat(refusedReason("SELECT * FROM t FOR SHARE", ToolMode.READ, Set.of()))
                    .isEqualTo("not-read-only");
        }

        @Test
        void rowLocksInAUnionPartAreRefused() {
            assertThat(refusedReason("SELECT id FROM a UNION (SELECT id FROM b FOR UPDATE)", ToolMode.READ,
                    Set.of())).isEqualTo("not-read-only");
        }

        @Test
        void serverSideFunctionsAreRefused() {
            assertThat(refusedReason("SELECT pg_terminate_backend(1)", ToolMode.READ, Set.of()))
                    .isEqualTo("denied-function");
            assertThat(refusedReason("SELECT pg_read_file('/etc/passwd')", ToolMode.READ, Set.of()))
                    .isEqualTo("denied-function");
        }

        @Test
        void serverSideFunctionsAreFoundWhereverTheyAppear() {
            assertThat(refusedReason("SELECT * FROM users WHERE id = 1 AND pg_sleep(10) IS NOT NULL",
                    ToolMode.READ, Set.of())).isEqualTo("denied-function");
            assertThat(refusedReason("SELECT PG_CATALOG.PG_READ_FILE('/etc/passwd')", ToolMode.READ, Set.of()))
                    .isEqualTo("denied-function");
            assertThat(refusedReason("SELECT id FROM a UNION SELECT pg_terminate_backend(pid) FROM b",
                    ToolMode.READ, Set.of())).isEqualTo("denied-function");
        }

        @Test
        void theRefusalNamesTheFunction() {
            SluiceException e = catchThrowableOfType(SluiceException.class,
                    () -> policy.check("sql", "SELECT pg_read_file('/etc/passwd')", ToolMode.READ, Set.of()));
            assertThat(e.detail()).contains("pg_read_file");
        }

        @Test
        void theReviewsFindingsAreRefused() {
            assertRefused("SELECT $x$ ' $x$; DROP TABLE t; --'", "multiple-statements");
            assertRefused("SELECT \"pg_read_file\"('/etc/passwd')", "denied-function");
            assertRefused("SELECT pg_catalog.\"pg_sleep\"(600)", "denied-function");
            assertRefused("SELECT U&\"pg\\005fsleep\"(1)", "denied-function");
            assertRefused("SELECT 1 ORDER BY pg_sleep(600)", "denied-function");
            for (String f : List.of("pg_sleep_for('1 min')", "dblink_connect('x')", "dblink_send_query('c', 'x')",
                    "lo_from_bytea(0, 'x')", "pg_notify('c', 'x')", "pg_advisory_lock(1)")) {
                assertRefused("SELECT " + f, "denied-function");
            }
        }

        @Test
        void aFunctionOffTheAllowListIsRefusedByName() {
            SluiceException e = catchThrowableOfType(SluiceException.class,
                    () -> policy.check("sql", "SELECT a FROM t ORDER BY my_fn(a)", ToolMode.READ, Set.of()));
            assertThat(e.data().get().path("reason").asText()).isEqualTo("unknown-function");
            assertThat(e.detail()).contains("calls my_fn, which is not on the read-only allow-list");
        }

        @Test
        void aFunctionOfAnotherSchemaIsUnknownEvenWithABuiltInName() {
            assertRefused("SELECT public.lower('A')", "unknown-function");
            assertThatCode(() -> policy.check("sql", "SELECT pg_catalog.lower('A')", ToolMode.READ, Set.of()))
                    .doesNotThrowAnyException();
        }

        @Test
        void configurationAddsToTheAllowListButNeverOverTheDenyList() {
            SqlPolicy configured = new SqlPolicy(SqlPolicy.DEFAULT_DENIED, SqlPolicy.DEFAULT_DENIED_FUNCTIONS,
                    Set.of("My_Fn", "pg_catalog.other_fn", "pg_sleep"));
            assertThatCode(() -> configured.check("sql", "SELECT my_fn(1), other_fn(2), lower('x')", ToolMode.READ,
                    Set.of())).doesNotThrowAnyException();
            SluiceException e = catchThrowableOfType(SluiceException.class,
                    () -> configured.check("sql", "SELECT pg_sleep(1)", ToolMode.READ, Set.of()));
            assertThat(e.data().get().path("reason").asText()).isEqualTo("denied-function");
            assertThat(configured.allowedFunctions()).contains("my_fn", "other_fn", "count").doesNotContain("pg_sleep");
        }

        @Test
        void aFunctionOfAnotherSchemaCannotBeAllowed() {
            assertThatThrownBy(() -> new SqlPolicy(Set.of(), Set.of(), Set.of("public.f")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("public.f");
        }

        @Test
        void aStatementReadDifferentlyWithoutStandardConformingStringsIsCheckedBothWays() {
            // standard_conforming_strings = on: 'x\' ends the string and pg_sleep is called
            assertRefused("SELECT 'x\\', pg_sleep(1) --'", "denied-function");
            // off: 'a\' …' is one string, on: a second statement
            assertRefused("SELECT 'a\\'; DROP TABLE t; --'", "multiple-statements");
        }

        @Test
        void ordinaryFunctionsPass() {
            passes("SELECT lower(name), count(*), now() FROM users GROUP BY lower(name)", ToolMode.READ);
        }
    }

    @Nested
    class WriteTools {
        @ParameterizedTest
        @ValueSource(strings = {
            "INSERT INTO t (a) VALUES (1)",
            "UPDATE t SET a = 2 WHERE id = 1",
            "DELETE FROM t WHERE id = 1",
            "SELECT * FROM t FOR UPDATE",
            "SELECT nextval('s')",
        })
        void changesPass(String sql) {
            passes(sql, ToolMode.WRITE);
        }

        @Test
        void theDollarQuoteSmuggleIsTwoStatementsForWriteToolsToo() {
            assertThat(refusedReason("SELECT $x$ ' $x$; DROP TABLE t; --'", ToolMode.WRITE, Set.of()))
                    .isEqualTo("multiple-statements");
            assertThat(refusedReason("INSERT INTO t VALUES (E'\\\\'); DROP TABLE t; --')", ToolMode.WRITE, Set.of()))
                    .isEqualTo("multiple-statements");
            passes("INSERT INTO t VALUES ($$;$$), (E'it\\'s; one string')", ToolMode.WRITE);
        }

        @Test
        void dropAndTruncateAreRefusedByTheDefaultList() {
            assertThat(refusedReason("DROP TABLE users", ToolMode.WRITE, Set.of())).isEqualTo("denied-statement");
            assertThat(refusedReason("TRUNCATE TABLE users", ToolMode.WRITE, Set.of()))
                    .isEqualTo("denied-statement");
        }

        @Test
        void theRefusalNamesTheStatementKind() {
            SluiceException e = catchThrowableOfType(SluiceException.class,
                    () -> policy.check("sql", "DROP TABLE users", ToolMode.WRITE, Set.of()));
            assertThat(e.detail()).contains("'sql'").contains("DROP");
        }

        @Test
        void aToolsOwnDeniedKindsAreRefusedToo() {
            assertThat(refusedReason("DELETE FROM t WHERE id = 1", ToolMode.WRITE, Set.of("DELETE")))
                    .isEqualTo("denied-statement");
            assertThat(refusedReason("DELETE FROM t WHERE id = 1", ToolMode.WRITE, Set.of("delete")))
                    .as("the tool's list ignores case").isEqualTo("denied-statement");
            assertThatCode(() -> policy.check("sql", "UPDATE t SET a = 1", ToolMode.WRITE, Set.of("DELETE")))
                    .doesNotThrowAnyException();
        }

        @Test
        void aToolCanDenyQueriesByTheNameSelect() {
            assertThat(refusedReason("SELECT * FROM t", ToolMode.WRITE, Set.of("SELECT")))
                    .isEqualTo("denied-statement");
            assertThat(refusedReason("SELECT 1 UNION SELECT 2", ToolMode.WRITE, Set.of("SELECT")))
                    .isEqualTo("denied-statement");
        }

        @Test
        void aDeniedKindCoversItsVariants() {
            // CREATE covers CREATETABLE, CREATEVIEW, CREATEINDEX …
            assertThat(refusedReason("CREATE TABLE t (a int)", ToolMode.WRITE, Set.of("CREATE")))
                    .isEqualTo("denied-statement");
            assertThat(refusedReason("CREATE INDEX i ON t (a)", ToolMode.WRITE, Set.of("CREATE")))
                    .isEqualTo("denied-statement");
        }

        @Test
        void aConfiguredListReplacesTheDefault() {
            SqlPolicy lenient = new SqlPolicy(Set.of(), Set.of());
            assertThatCode(() -> lenient.check("sql", "TRUNCATE TABLE t", ToolMode.WRITE, Set.of()))
                    .doesNotThrowAnyException();
        }
    }

    @Nested
    class BadInput {
        @Test
        void aParseErrorIsRefusedNamingTheArgument() {
            SluiceException e = catchThrowableOfType(SluiceException.class,
                    () -> policy.check("query", "SELEC * FROM", ToolMode.READ, Set.of()));
            assertThat(e.kind()).isEqualTo(ErrorKind.SQL_REFUSED);
            assertThat(e.detail()).contains("'query'").contains("not valid SQL");
            assertThat(e.data()).isPresent();
            assertThat(e.data().get().get("reason").asText()).isEqualTo("parse-error");
        }

        @Test
        void aParseErrorIsRefusedForWriteToolsToo() {
            assertThat(refusedReason("UPDATE SET WHERE", ToolMode.WRITE, Set.of())).isEqualTo("parse-error");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "\n\t"})
        void emptySqlIsRefused(String sql) {
            assertThat(refusedReason(sql, ToolMode.READ, Set.of())).isEqualTo("empty");
        }

        @Test
        void nullSqlIsRefused() {
            assertThat(refusedReason(null, ToolMode.WRITE, Set.of())).isEqualTo("empty");
        }

        @Test
        void onlyACommentIsRefused() {
            SluiceException e = catchThrowableOfType(SluiceException.class,
                    () -> policy.check("query", "/* nothing */", ToolMode.READ, Set.of()));
            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(ErrorKind.SQL_REFUSED);
            assertThat(e.detail()).contains("'query'");
        }
    }

    @Test
    void kindNamesStatementsAsPoliciesDo() throws Exception {
        assertThat(SqlPolicy.kind(CCJSqlParserUtil.parse("DELETE FROM t"))).isEqualTo("DELETE");
        assertThat(SqlPolicy.kind(CCJSqlParserUtil.parse("CREATE TABLE t (a int)"))).isEqualTo("CREATETABLE");
        assertThat(SqlPolicy.kind(CCJSqlParserUtil.parse("SELECT 1"))).isEqualTo("SELECT");
        assertThat(SqlPolicy.kind(CCJSqlParserUtil.parse("SELECT 1 UNION SELECT 2"))).isEqualTo("SELECT");
        assertThat(SqlPolicy.kind(CCJSqlParserUtil.parse("WITH a AS (SELECT 1) SELECT * FROM a")))
                .isEqualTo("SELECT");
    }
}
