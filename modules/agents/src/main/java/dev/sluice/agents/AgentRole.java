package dev.sluice.agents;

import java.util.Locale;

/** The five data roles of the integration plan, each served by an agent profile. */
public enum AgentRole {
    DATA_PLATFORM_ENGINEER("Keeps the data platform running: infrastructure, health, capacity."),
    DATA_ENGINEER("Builds and runs pipelines: ingestion, orchestration, streaming."),
    ANALYTICS_ENGINEER("Models data for analysis: dbt models, tests, lineage, documentation."),
    DATA_SCIENTIST("Explores data and builds models: profiling, statistics, vector search."),
    DATA_ANALYST("Answers business questions: queries, dashboards, reports.");

    private final String purpose;

    AgentRole(String purpose) {
        this.purpose = purpose;
    }

    public String purpose() {
        return purpose;
    }

    /** The name used in URLs and the database, e.g. {@code analytics-engineer}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @throws IllegalArgumentException when {@code id} names no role
     */
    public static AgentRole fromId(String id) {
        for (AgentRole role : values()) {
            if (role.id().equals(id)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown agent role '" + id + "'");
    }
}
