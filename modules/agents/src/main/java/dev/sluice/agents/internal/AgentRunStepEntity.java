package dev.sluice.agents.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A row of {@code agent_run_steps}. */
@Entity
@Table(name = "agent_run_steps")
@IdClass(AgentRunStepEntity.Key.class)
public class AgentRunStepEntity {
    @Id
    public String runId;

    @Id
    public int seq;

    public String kind;
    public Instant startedAt;
    public long durationMicros;
    public String model;

    @Column(name = "server_name")
    public String server;

    public String tool;
    public Long promptTokens;
    public Long cachedPromptTokens;
    public Long completionTokens;
    public String outcome;
    public String detail;

    /** The composite key (run, seq). */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        public String runId;
        public int seq;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && seq == k.seq && Objects.equals(runId, k.runId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(runId, seq);
        }
    }
}
