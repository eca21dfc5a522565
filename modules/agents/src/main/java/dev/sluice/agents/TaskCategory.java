package dev.sluice.agents;

import java.util.Locale;

/**
 * What kind of work a run is, which picks its model: a cheap model for routine work (look something
 * up, run a known query), a stronger one for reasoning (diagnose, design, explain).
 */
public enum TaskCategory {
    ROUTINE,
    REASONING;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException when {@code id} names no category
     */
    public static TaskCategory fromId(String id) {
        for (TaskCategory c : values()) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown task category '" + id + "' (routine or reasoning)");
    }
}
