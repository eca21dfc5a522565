package dev.sluice.observability.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code sluice_nodes}: one Sluice node that shares this database. */
@Entity
@Table(name = "sluice_nodes")
public class NodeEntity {
    @Id
    @Column(name = "node_id", length = 200)
    String nodeId;

    @Column(name = "host", length = 255, nullable = false)
    String host;

    @Column(name = "version", length = 64, nullable = false)
    String version;

    @Column(name = "started_at", nullable = false)
    Instant startedAt;

    @Column(name = "last_seen_at", nullable = false)
    Instant lastSeenAt;

    protected NodeEntity() {
        // for JPA
    }

    NodeEntity(String nodeId, String host, String version, Instant now) {
        this.nodeId = nodeId;
        this.host = host;
        this.version = version;
        this.startedAt = now;
        this.lastSeenAt = now;
    }
}
