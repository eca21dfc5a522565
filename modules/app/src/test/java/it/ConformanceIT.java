package it;

import static org.assertj.core.api.Assertions.assertThat;

import it.support.Command;
import it.support.Gateway;
import it.support.SluiceNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official MCP conformance suite ({@code @modelcontextprotocol/conformance}, server mode, every
 * scenario) against Sluice, with the conformance fixture as the only upstream of the unprefixed
 * virtual server {@code conformance}. The fixture is a separate process Sluice reaches over stdio, so
 * the suite measures Sluice's own transport and its pass-through (sampling, elicitation, progress,
 * logging). This node releases answer streams after 100 ms so that the suite's resumption scenario
 * exercises Last-Event-ID.
 */
class ConformanceIT {
    private static final int PORT = 9183;
    private static final Pattern TOTAL = Pattern.compile("Total: (\\d+) passed, (\\d+) failed");
    private static SluiceNode sluice;

    @BeforeAll
    static void start() {
        sluice = Gateway.start("sluice-conformance", PORT, Map.of(
                "SLUICE_MCP_STREAM_AFTER", "PT0.05S",
                "SLUICE_MCP_RELEASE_STREAM_AFTER", "PT0.1S",
                // the suite's client sends no credentials: this test-only node admits anonymous callers
                "SLUICE_SECURITY_ANONYMOUS_ROLE", "engineer"));
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    @Test
    void everyCheckOfTheSuitePasses() {
        Command run = Command.run(List.of(Gateway.node22().toString(),
                        "node_modules/@modelcontextprotocol/conformance/dist/index.js", "server",
                        "--url", "http://localhost:" + PORT + "/mcp/conformance", "--suite", "all"),
                Gateway.mcpDir(), Map.of(), Duration.ofMinutes(5));
        String output = run.stdout() + run.stderr();
        Matcher total = TOTAL.matcher(output);
        assertThat(total.find()).as("the suite's summary in:\n%s", output).isTrue();
        int passed = Integer.parseInt(total.group(1));
        int failed = Integer.parseInt(total.group(2));
        assertThat(failed).as("failed checks:\n%s", output).isZero();
        assertThat(passed).as("passed checks (the fixture alone passes 47, one of them INFO through a gateway)")
                .isGreaterThanOrEqualTo(46);
        assertThat(run.exitCode()).isZero();
    }
}
