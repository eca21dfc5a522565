package dev.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import dev.sluice.core.ToolMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the adversarial corpus (src/test/resources/sql-guard/corpus.jsonl) through the SQL guard:
 * every pinned expectation must hold, and every statement the guard accepts for a read tool, and
 * every accepted mutant of those, is re-read by PostgreSQL's own parser (tests/sql-guard/oracle.py
 * with pglast, installed by scripts/install-sql-oracle.sh), which must find one read-only query
 * calling only allow-listed functions.
 */
class SqlGuardOracleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SqlPolicy POLICY = SqlPolicy.defaults();

    record Case(int line, String expect, String reason, ToolMode mode, String sql) {
    }

    record Outcome(Case c, SluiceException refusal) {
        boolean accepted() {
            return refusal == null;
        }
    }

    private static List<Outcome> outcomes;

    @BeforeAll
    static void runCorpus() throws IOException {
        outcomes = new ArrayList<>();
        for (Case c : corpus()) {
            SluiceException refusal = null;
            try {
                POLICY.check("sql", c.sql(), c.mode(), Set.of());
            } catch (SluiceException e) {
                refusal = e;
            }
            outcomes.add(new Outcome(c, refusal));
        }
    }

    static List<Case> corpus() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = SqlGuardOracleTest.class.getResourceAsStream("/sql-guard/corpus.jsonl")) {
            assertThat(in).as("sql-guard/corpus.jsonl on the test class path").isNotNull();
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int k = 0; k < lines.length; k++) {
                if (lines[k].isBlank()) {
                    continue;
                }
                JsonNode row = JSON.readTree(lines[k]);
                cases.add(new Case(k + 1, row.path("expect").asText("any"),
                        row.hasNonNull("reason") ? row.get("reason").asText() : null,
                        ToolMode.parse(row.path("mode").asText("read")), row.get("sql").asText()));
            }
        }
        return cases;
    }

    @Test
    void theCorpusIsLargeAndMixed() {
        assertThat(outcomes).hasSizeGreaterThanOrEqualTo(200);
        assertThat(outcomes).filteredOn(o -> o.c().expect().equals("refuse")).hasSizeGreaterThanOrEqualTo(150);
        assertThat(outcomes).filteredOn(o -> o.c().expect().equals("accept")).hasSizeGreaterThanOrEqualTo(50);
    }

    @Test
    void everyPinnedExpectationHolds() {
        List<String> wrong = new ArrayList<>();
        for (Outcome o : outcomes) {
            Case c = o.c();
            String where = "line " + c.line() + " (" + c.mode().id() + ") " + c.sql();
            switch (c.expect()) {
                case "accept" -> {
                    if (!o.accepted()) {
                        wrong.add(where + "\n    should pass but was refused: " + o.refusal().detail());
                    }
                }
                case "refuse" -> {
                    if (o.accepted()) {
                        wrong.add(where + "\n    should be refused but passed");
                    } else if (c.reason() != null && !c.reason().equals(reason(o.refusal()))) {
                        wrong.add(where + "\n    should be refused as " + c.reason() + " but was refused as "
                                + reason(o.refusal()) + ": " + o.refusal().detail());
                    }
                }
                default -> {
                    // "any": PostgreSQL reads it as harmless; the oracle checks it if the guard accepts it
                }
            }
            if (!o.accepted()) {
                SluiceException e = o.refusal();
                if (e.kind() != ErrorKind.SQL_REFUSED || !e.detail().contains("'sql'") || e.data().isEmpty()
                        || !"sql".equals(e.data().get().path("field").asText())) {
                    wrong.add(where + "\n    refusal has the wrong shape: " + e.kind() + " " + e.detail());
                }
            }
        }
        if (!wrong.isEmpty()) {
            fail(wrong.size() + " corpus expectations do not hold:\n" + String.join("\n", wrong));
        }
    }

    @Test
    void postgresqlsOwnParserAgreesWithEveryAcceptance(@TempDir Path tmp) throws Exception {
        List<String> accepted = outcomes.stream().filter(o -> o.accepted() && o.c().mode() == ToolMode.READ)
                .map(o -> o.c().sql()).toList();
        assertThat(accepted.size()).as("statements the guard accepted").isGreaterThan(50);
        oracle(accepted, false, tmp);
    }

    /**
     * Mutants of the accepted queries, each with one fragment (a call, a second statement, a lock, a
     * quote …) put between two words: whatever the guard accepts of them, PostgreSQL must read as a
     * read-only query of allow-listed functions, or be unable to parse (then it runs nothing).
     */
    @Test
    void postgresqlsOwnParserAgreesWithEveryAcceptedMutant(@TempDir Path tmp) throws Exception {
        List<String> fragments = List.of("pg_sleep(1)", ", pg_sleep(1)", "evil(1)", "\"pg_sleep\"(1)", "(pg_sleep(1))",
                "; DROP TABLE t", "x(1)", "cube(1)", ", cube(1)", "+ pg_sleep(1)", "AND pg_sleep(1) IS NULL", "FOR UPDATE",
                "INTO x", "(DELETE FROM t RETURNING 1)", "'", "$$", "/*", "--\n", ") pg_sleep(1)", "pg_sleep", "(1)",
                "AS t(pg_sleep(1))", "ORDER BY pg_sleep(1)", "OPERATOR(public.+)", "ROLLUP (pg_sleep(1))",
                "WITH x(a) AS (SELECT 1)", "public.f(1)", "::pg_sleep(1)", "JOIN pg_sleep(1) ON true", "U&\"pg_sleep\"(1)");
        List<String> accepted = new ArrayList<>();
        int mutants = 0;
        int n = 0;
        for (Outcome o : outcomes) {
            if (!o.accepted() || o.c().mode() != ToolMode.READ) {
                continue;
            }
            String[] words = o.c().sql().split(" ");
            for (int at = 1; at <= words.length; at++) {
                for (int f = 0; f < 3; f++) {
                    String fragment = fragments.get((n++ * 7 + f * 11) % fragments.size());
                    String mutant = String.join(" ", List.of(words).subList(0, at)) + " " + fragment
                            + (at < words.length ? " " + String.join(" ", List.of(words).subList(at, words.length)) : "");
                    mutants++;
                    try {
                        POLICY.check("sql", mutant, ToolMode.READ, Set.of());
                        accepted.add(mutant);
                    } catch (SluiceException refused) {
                        // the guard refused it: nothing for the oracle
                    }
                }
            }
        }
        assertThat(mutants).isGreaterThan(3000);
        oracle(accepted, true, tmp);
    }

    /** Runs tests/sql-guard/oracle.py on {@code statements}; fails with its output when it disagrees. */
    private static void oracle(List<String> statements, boolean unparsableOk, Path tmp) throws Exception {
        Path root = repoRoot();
        Path python = root.resolve(".sql-oracle/venv/bin/python");
        if (!Files.isExecutable(python)) {
            fail("the SQL guard's oracle is not installed (" + python + " is missing): run"
                    + " `bash scripts/install-sql-oracle.sh` in " + root + " (scripts/test.sh does)");
        }
        ObjectNode input = JSON.createObjectNode();
        ArrayNode allowed = input.putArray("allowed");
        POLICY.allowedFunctions().forEach(allowed::add);
        ArrayNode list = input.putArray("statements");
        statements.forEach(list::add);
        Path file = tmp.resolve("accepted.json");
        Files.writeString(file, JSON.writeValueAsString(input), StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(python.toString(),
                root.resolve("tests/sql-guard/oracle.py").toString()));
        if (unparsableOk) {
            command.add("--unparsable-ok");
        }
        command.add(file.toString());
        Process oracle = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream out = oracle.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!oracle.waitFor(120, TimeUnit.SECONDS)) {
            oracle.destroyForcibly();
            fail("the oracle did not finish in 120 s:\n" + output);
        }
        if (oracle.exitValue() != 0) {
            fail("PostgreSQL's parser disagrees with the guard (exit " + oracle.exitValue() + "):\n" + output);
        }
        assertThat(output).contains("oracle: all " + statements.size());
    }

    private static String reason(SluiceException e) {
        return e.data().map(d -> d.path("reason").asText()).orElse(null);
    }

    /** The checkout holding this module: the nearest directory up with scripts/install-sql-oracle.sh. */
    static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("scripts/install-sql-oracle.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no scripts/install-sql-oracle.sh above " + Path.of("").toAbsolutePath());
    }
}
