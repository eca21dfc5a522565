package dev.sluice.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * One federated list as a virtual server shows it.
 *
 * @param items the entries, each the upstream's own object with its name federated
 * @param routes where each item leads, in the same order as {@code items} (empty when the list was
 *     built without routes)
 * @param unavailable servers that could not be listed (and why), left out of {@code items}
 * @param problems names that are too long or collide, reported rather than dropped silently
 */
public record FederatedList(List<ObjectNode> items, List<Route> routes, List<String> unavailable,
        List<String> problems) {
    public FederatedList {
        items = List.copyOf(items);
        routes = List.copyOf(routes);
        unavailable = List.copyOf(unavailable);
        problems = List.copyOf(problems);
        if (!routes.isEmpty() && routes.size() != items.size()) {
            throw new IllegalArgumentException("routes must match items one to one");
        }
    }

    public FederatedList(List<ObjectNode> items, List<String> unavailable, List<String> problems) {
        this(items, List.of(), unavailable, problems);
    }

    /**
     * The same list with only the items whose route passes {@code keep}. A list built without routes
     * keeps nothing: what cannot be checked is not shown.
     */
    public FederatedList retain(Predicate<Route> keep) {
        if (routes.isEmpty()) {
            return items.isEmpty() ? this : new FederatedList(List.of(), List.of(), unavailable, problems);
        }
        List<ObjectNode> keptItems = new ArrayList<>();
        List<Route> keptRoutes = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (keep.test(routes.get(i))) {
                keptItems.add(items.get(i));
                keptRoutes.add(routes.get(i));
            }
        }
        return new FederatedList(keptItems, keptRoutes, unavailable, problems);
    }
}
