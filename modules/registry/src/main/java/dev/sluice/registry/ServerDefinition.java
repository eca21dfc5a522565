package dev.sluice.registry;

import dev.sluice.core.ServerPolicy;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * One upstream MCP server as the catalog defines it.
 *
 * @param name catalog name, also the prefix of its federated names
 * @param description what it is for
 * @param tier the integration plan's tier (1 essential … 3 specialised; 0 for reference servers)
 * @param category e.g. {@code database}, {@code orchestration}, {@code reference}
 * @param enabled whether Sluice connects to it at all
 * @param transport how to reach it
 * @param startup when to connect: at boot ({@code EAGER}) or on first use ({@code LAZY})
 * @param requestTimeout the longest Sluice waits for one answer
 * @param idleTimeout stop a stdio process unused for this long ({@code null}: never)
 * @param policy who may use it and what its tools do (roles, modes, allow/deny rules, SQL arguments)
 * @param install how to install it when its command is missing, shown to operators
 * @param protocol which protocol era it speaks (see {@link Protocol})
 * @param required whether Sluice is unready while it is down (an optional server down only degrades it)
 * @param resilience the catalog's retry, circuit-breaker and bulkhead settings for calls to it
 * @param smoke the call that shows it works (catalog verification), or null
 */
public record ServerDefinition(String name, String description, int tier, String category, boolean enabled,
        Transport transport, Startup startup, Duration requestTimeout, Duration idleTimeout, ServerPolicy policy,
        String install, Protocol protocol, boolean required, Resilience resilience, Smoke smoke) {

    public enum Startup {
        LAZY,
        EAGER
    }

    /** The protocol era Sluice speaks to an upstream. */
    public enum Protocol {
        /**
         * A Streamable HTTP upstream is asked {@code server/discover} (2026-07-28) first and, when it
         * does not answer it, gets the {@code initialize} handshake; stdio and SSE upstreams get the
         * handshake (a session-era process may not answer anything before it).
         */
        AUTO,
        /** The session era: {@code initialize}, then requests within the session. */
        SESSION,
        /** Protocol 2026-07-28: {@code server/discover}, every request complete in itself. */
        STATELESS
    }

    public ServerDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(startup, "startup");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        description = description == null ? "" : description;
        category = category == null ? "general" : category;
        policy = policy == null ? ServerPolicy.OPEN : policy;
        protocol = protocol == null ? Protocol.AUTO : protocol;
        resilience = resilience == null ? Resilience.UNSET : resilience;
    }
}
