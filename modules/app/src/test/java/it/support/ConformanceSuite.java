package it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The official MCP conformance suite ({@code @modelcontextprotocol/conformance}, server mode, every scenario). */
public final class ConformanceSuite {
    private static final Pattern TOTAL = Pattern.compile("Total: (\\d+) passed, (\\d+) failed");

    private ConformanceSuite() {
    }

    /** 0.2.0-alpha.12, pinned beside 0.1.16 as {@code conformance-next} (tests/mcp/package.json). */
    private static final String NEXT = "node_modules/conformance-next/dist/index.js";
    /** A single scenario's summary. */
    private static final Pattern SCENARIO = Pattern.compile("Passed: (\\d+)/(\\d+), (\\d+) failed");
    private static final Pattern NOT_SCORED = Pattern.compile("Not scored for 2026-07-28");

    /**
     * Runs 0.2.0-alpha.12 with {@code --requirements 2026-07-28} (the scenarios that revision
     * requires, frozen at its release) against {@code url} and asserts that every scored scenario
     * passed: the suite's exit code counts the scored ones only (the extension and pending scenarios
     * it also runs "do not affect conformance").
     */
    public static void meetsRequirements20260728(String url) {
        Command run = Command.run(List.of(Gateway.node22().toString(), NEXT, "server", "--url", url,
                "--requirements", "2026-07-28"), Gateway.mcpDir(), Map.of(), Duration.ofMinutes(8));
        String output = run.stdout() + run.stderr();
        assertThat(TOTAL.matcher(output).find()).as("the suite's summary in:\n%s", output).isTrue();
        assertThat(NOT_SCORED.matcher(output).find()).as("the scored/not-scored split in:\n%s", output).isTrue();
        assertThat(run.exitCode()).as("scored scenarios failed:\n%s", failedLines(output)).isZero();
    }

    /**
     * Runs the given 0.2.0-alpha.12 scenarios one by one at the 2026-07-28 wire against {@code url}
     * and asserts that none failed a check.
     */
    public static void scenariosPass20260728(String url, List<String> scenarios) {
        StringBuilder failures = new StringBuilder();
        for (String scenario : scenarios) {
            Command run = Command.run(List.of(Gateway.node22().toString(), NEXT, "server", "--url", url, "--scenario",
                    scenario, "--spec-version", "2026-07-28"), Gateway.mcpDir(), Map.of(), Duration.ofMinutes(2));
            String output = run.stdout() + run.stderr();
            Matcher passed = SCENARIO.matcher(output);
            if (run.exitCode() != 0 || !passed.find() || !"0".equals(passed.group(3)) || "0".equals(passed.group(1))) {
                failures.append(scenario).append(":\n").append(failedLines(output)).append('\n');
            }
        }
        assertThat(failures.toString()).as("failed scenarios").isEmpty();
    }

    /**
     * Runs 0.2.0-alpha.12's scenarios of an extension (they are not scored for a revision, so they run
     * without {@code --spec-version}) one by one against a server directly and through Sluice, and
     * asserts that none failed a check through Sluice and that each passed there every check it passed
     * directly: the server itself is the oracle of what passing through means.
     *
     * @return the checks passed through Sluice, per scenario
     */
    public static Map<String, Integer> extensionPassesThroughAsDirectly(String direct, String through,
            List<String> scenarios) {
        StringBuilder failures = new StringBuilder();
        Map<String, Integer> passed = new java.util.LinkedHashMap<>();
        for (String scenario : scenarios) {
            int[] there = scenario(direct, scenario);
            int[] here = scenario(through, scenario);
            passed.put(scenario, here[0]);
            if (there[2] != 0) {
                failures.append(scenario).append(": the server alone failed ").append(there[2]).append(" checks\n");
            }
            if (here[2] != 0 || here[0] != there[0]) {
                failures.append(scenario).append(": through Sluice ").append(here[0]).append(" passed, ").append(here[2])
                        .append(" failed; directly ").append(there[0]).append(" passed\n");
            }
        }
        assertThat(failures.toString()).as("scenarios that did not pass through as they pass directly").isEmpty();
        return passed;
    }

    /** One scenario's passed, total and failed checks, or an assertion error naming why there are none. */
    private static int[] scenario(String url, String scenario) {
        Command run = Command.run(List.of(Gateway.node22().toString(), NEXT, "server", "--url", url, "--scenario",
                scenario), Gateway.mcpDir(), Map.of(), Duration.ofMinutes(2));
        String output = run.stdout() + run.stderr();
        Matcher m = SCENARIO.matcher(output);
        assertThat(m.find()).as("%s against %s: the summary in\n%s", scenario, url, output).isTrue();
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
    }

    /** The lines of a run's output that name what failed (or the tail, when none do). */
    private static String failedLines(String output) {
        String lines = output.lines().filter(l -> l.startsWith("✗") || l.contains("Error:") || l.contains("FAILURE"))
                .reduce("", (a, b) -> a + b + "\n");
        return lines.isEmpty() ? output.substring(Math.max(0, output.length() - 4000)) : lines;
    }

    /**
     * Runs every scenario against {@code url} and asserts that none failed and at least
     * {@code minimumPassed} checks passed.
     */
    public static void passesAgainst(String url, int minimumPassed) {
        Command run = Command.run(List.of(Gateway.node22().toString(),
                        "node_modules/@modelcontextprotocol/conformance/dist/index.js", "server",
                        "--url", url, "--suite", "all"),
                Gateway.mcpDir(), Map.of(), Duration.ofMinutes(5));
        String output = run.stdout() + run.stderr();
        Matcher total = TOTAL.matcher(output);
        assertThat(total.find()).as("the suite's summary in:\n%s", output).isTrue();
        assertThat(Integer.parseInt(total.group(2))).as("failed checks:\n%s", output).isZero();
        assertThat(Integer.parseInt(total.group(1))).as("passed checks").isGreaterThanOrEqualTo(minimumPassed);
        assertThat(run.exitCode()).isZero();
    }
}
