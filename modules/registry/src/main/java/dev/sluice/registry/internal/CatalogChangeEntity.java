package dev.sluice.registry.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code catalog_changes}: one run-time change of the catalog. */
@Entity
@Table(name = "catalog_changes")
public class CatalogChangeEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public Instant changedAt;
    public String actor;

    @Column(name = "server_name")
    public String server;

    @Column(name = "change_kind")
    public String kind;

    /** The whole entry as JSON (secrets as references), for a definition; else null. */
    public String definition;

    public String requestId;
}
