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
    @Column(name = "run_id")
    public String runId;

    @Id
    @Column(name = "seq")
    public int seq;

    @Column(name = "kind", nullable = false)
    public String kind;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "duration_micros", nullable = false)
    public long durationMicros;

    @Column(name = "model")
    public String model;

    @Column(name = "server_name")
    public String server;

    @Column(name = "tool")
    public String tool;

    @Column(name = "prompt_tokens")
    public Long promptTokens;

    @Column(name = "cached_prompt_tokens")
    public Long cachedPromptTokens;

    @Column(name = "completion_tokens")
    public Long completionTokens;

    @Column(name = "outcome")
    public String outcome;

    @Column(name = "detail")
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
