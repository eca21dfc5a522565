package dev.sluice.app.internal.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogLevelsTest {

    @Test
    void logLevelsPassAtTheirThresholdAndAbove() {
        assertThat(LogLevels.passes("error", "warning")).isTrue();
        assertThat(LogLevels.passes("warning", "warning")).isTrue();
        assertThat(LogLevels.passes("info", "warning")).isFalse();
    }
}
