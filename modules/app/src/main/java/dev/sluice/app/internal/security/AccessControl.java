package dev.sluice.app.internal.security;

import dev.sluice.core.CallKind;
import dev.sluice.core.Caller;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Role;
import dev.sluice.core.ServerPolicy;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.Catalog;
import dev.sluice.registry.FederatedList;
import dev.sluice.registry.Federation;
import dev.sluice.registry.Route;
import dev.sluice.registry.ServerDefinition;
import dev.sluice.security.Authorization;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Who may see what: security's {@link Authorization} fed with the catalog's policies. Calls are
 * decided by the pipeline's authorisation step with the same authoriser, so a caller's lists show
 * exactly what it may call.
 */
@ApplicationScoped
public class AccessControl {

    @Inject
    Catalog catalog;

    @Inject
    Authorization authorization;

    /** The catalog's policy of a server now, {@link ServerPolicy#OPEN} when it names none (or no such server). */
    public ServerPolicy policy(String server) {
        return catalog.current().server(server).map(ServerDefinition::policy).orElse(ServerPolicy.OPEN);
    }

    /** The part of a list the caller may use. */
    public FederatedList visible(Caller caller, Federation.Kind kind, FederatedList list) {
        CallKind as = switch (kind) {
            case TOOLS -> CallKind.TOOL;
            case PROMPTS -> CallKind.PROMPT;
            case RESOURCES, RESOURCE_TEMPLATES -> CallKind.RESOURCE;
        };
        return list.retain(route -> allowed(caller, as, route));
    }

    private boolean allowed(Caller caller, CallKind kind, Route route) {
        return authorization.authorizer().decide(caller, kind, route.server(), policy(route.server()), route.name(),
                route.definition())
                .allowed();
    }

    /** Refuses with {@link ErrorKind#FORBIDDEN} unless the caller has at least {@code role}. */
    public static void require(Caller caller, Role role, String what) {
        if (!has(caller, role)) {
            throw new SluiceException(ErrorKind.FORBIDDEN, what + " needs the role " + role.id() + " or above; the caller is "
                    + caller.role());
        }
    }

    public static boolean has(Caller caller, Role role) {
        return Role.allows(caller.role(), role);
    }
}
