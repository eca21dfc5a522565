package dev.sluice.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One federated list as a virtual server shows it.
 *
 * @param items the entries, each the upstream's own object with its name federated
 * @param unavailable servers that could not be listed (and why), left out of {@code items}
 * @param problems names that are too long or collide, reported rather than dropped silently
 */
public record FederatedList(List<ObjectNode> items, List<String> unavailable, List<String> problems) {
    public FederatedList {
        items = List.copyOf(items);
        unavailable = List.copyOf(unavailable);
        problems = List.copyOf(problems);
    }
}
