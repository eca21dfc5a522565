package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus alert rules shipped in deploy/ are valid for Prometheus itself: {@code promtool
 * check rules} (Debian package {@code prometheus}, installed by scripts/test-services.sh) parses
 * every rule and its PromQL. That their metrics exist is checked against a live node
 * (CacheAndRateLimitIT).
 */
class AlertRulesTest {

    @Test
    void promtoolAcceptsEveryRule() throws IOException, InterruptedException {
        Path rules = RepositoryFiles.resolve("deploy/prometheus/alerts.yml");
        String promtool = Files.isExecutable(Path.of("/usr/bin/promtool")) ? "/usr/bin/promtool" : "promtool";
        Process check;
        try {
            check = new ProcessBuilder(List.of(promtool, "check", "rules", rules.toString())).redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new AssertionError("promtool is missing: scripts/test-services.sh installs it (Debian package"
                    + " prometheus)", e);
        }
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output).as(output).contains("SUCCESS: 6 rules found");
    }
}
