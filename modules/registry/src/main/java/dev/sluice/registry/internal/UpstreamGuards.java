package dev.sluice.registry.internal;

import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.CatalogChanged;
import dev.sluice.registry.Resilience;
import dev.sluice.registry.ServerDefinition;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The fault tolerance of each upstream on this node: its {@link UpstreamGuard} (bulkhead, circuit
 * breaker, retries), built on first use from the server's effective resilience settings, and built
 * anew after a catalog change of its entry.
 */
final class UpstreamGuards {
    private final Map<String, UpstreamGuard> guards = new ConcurrentHashMap<>();
    private final Function<String, Optional<String>> configuration;
    private final UpstreamListeners listeners;

    /**
     * @param configuration Sluice's configuration, key to value, asked whenever a guard is built
     * @param listeners told of each retry
     */
    UpstreamGuards(Function<String, Optional<String>> configuration, UpstreamListeners listeners) {
        this.configuration = configuration;
        this.listeners = listeners;
    }

    /** The server's guard, built on first use from its settings. */
    UpstreamGuard guard(ServerDefinition def) {
        UpstreamGuard guard = guards.get(def.name());
        if (guard != null) {
            return guard;
        }
        return guards.computeIfAbsent(def.name(), name -> new UpstreamGuard(name, settings(def, configuration),
                reason -> listeners.retried(name, reason)));
    }

    /** The server's guard if a call built one. */
    Optional<UpstreamGuard> existing(String server) {
        return Optional.ofNullable(guards.get(server));
    }

    /** Forgets the guards of servers whose entry changed, left the catalog or came in. */
    void catalogChanged(CatalogChanged change) {
        guards.keySet().removeIf(name -> !change.after().server(name).equals(change.before().server(name)));
    }

    /**
     * A server's effective resilience settings: configuration for the server
     * ({@code sluice.resilience.servers.<server>.<setting>}) over its catalog entry, over configuration
     * for every server ({@code sluice.resilience.<setting>}), over the built-in defaults.
     *
     * @throws SluiceException {@code internal} when the configuration holds a value that is not valid
     */
    static Resilience settings(ServerDefinition def, Function<String, Optional<String>> configuration) {
        try {
            return Resilience.from("sluice.resilience.servers." + def.name() + ".", configuration)
                    .over(def.resilience())
                    .over(Resilience.from("sluice.resilience.", configuration))
                    .over(Resilience.DEFAULTS);
        } catch (IllegalArgumentException e) {
            throw new SluiceException(ErrorKind.INTERNAL, "configuration of upstream '" + def.name() + "' is not valid: "
                    + e.getMessage(), e);
        }
    }
}
