package dev.sluice.core;

import java.util.Locale;

/**
 * Whether a tool only reads or may change something. The catalog says so per tool; write tools are
 * denied to {@code viewer} and {@code analyst} unless a rule allows them, and their results are
 * never cached.
 */
public enum ToolMode {
    READ,
    WRITE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code read} or {@code write}, ignoring case. */
    public static ToolMode parse(String text) {
        if (text != null) {
            switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "read", "read-only", "readonly" -> {
                    return READ;
                }
                case "write" -> {
                    return WRITE;
                }
                default -> {
                    // refused below
                }
            }
        }
        throw new IllegalArgumentException("mode must be read or write, not '" + text + "'");
    }
}
