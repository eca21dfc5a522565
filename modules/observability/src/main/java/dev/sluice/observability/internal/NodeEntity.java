package dev.sluice.observability.internal;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code sluice_nodes}: one Sluice node that shares this database. */
@Entity
@Table(name = "sluice_nodes")
public class NodeEntity {
    @Id
    String nodeId;

    String host;
    String version;
    Instant startedAt;
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
