package dev.sluice.observability;

import java.util.List;

/**
 * The Sluice nodes that share this database. Each node registers itself when it starts and
 * refreshes its entry on a heartbeat ({@code sluice.observability.node-heartbeat}), so operators
 * can see which nodes are serving and which have gone quiet.
 */
public interface NodeDirectory {

    /** This node's identity. */
    String selfId();

    /** Every node seen within the retention window, most recently started first. */
    List<NodeInfo> nodes();
}
