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
