package dev.sluice.app.internal.mcp;

import java.util.List;

/** The syslog severities of MCP logging, least severe first. */
public final class LogLevels {
    static final List<String> ORDER = List.of("debug", "info", "notice", "warning", "error", "critical", "alert",
            "emergency");

    private LogLevels() {
    }

    public static boolean isLevel(String level) {
        return ORDER.contains(level);
    }

    /** Whether a message of severity {@code level} passes a client that asked for {@code threshold} and above. */
    public static boolean passes(String level, String threshold) {
        int at = ORDER.indexOf(level);
        return at < 0 || at >= ORDER.indexOf(threshold);
    }
}
