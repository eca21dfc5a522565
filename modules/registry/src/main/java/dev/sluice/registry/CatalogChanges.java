package dev.sluice.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Where run-time catalog changes are kept so that every node applies the same ones (the application
 * keeps them in the database). Without an implementation the catalog is the file alone.
 */
public interface CatalogChanges {

    /** Every change, oldest first. */
    List<CatalogChange> all();

    /** The id of the newest change, 0 when there is none: a node re-applies the changes when it moves. */
    long version();

    /** Records a change (already validated) and answers it with its id. */
    CatalogChange append(String server, CatalogChange.Kind kind, ObjectNode definition, String actor, String requestId);
}
