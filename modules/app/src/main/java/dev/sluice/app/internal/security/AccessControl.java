package dev.sluice.app.internal.security;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.CallKind;
import dev.sluice.core.Caller;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.ServerPolicy;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.Catalog;
import dev.sluice.registry.FederatedList;
import dev.sluice.registry.Federation;
import dev.sluice.registry.Route;
import dev.sluice.registry.ServerDefinition;
import dev.sluice.security.Authorization;
import dev.sluice.security.Authorizer;
import dev.sluice.core.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Who may see what: security's {@link Authorization} fed with the catalog's policies (calls are
 * decided by the pipeline's authorisation step, with the same authoriser). Lists are filtered with the same decision as calls, so a caller sees exactly the
 * tools it may call.
 */
@ApplicationScoped
public class AccessControl {

    @Inject
    Catalog catalog;

    @Inject
    Authorization authorization;

    public Authorizer authorizer() {
        return authorization.authorizer();
    }

    public ServerPolicy policy(String server) {
        return catalog.current().server(server).map(ServerDefinition::policy).orElse(ServerPolicy.OPEN);
    }

    /** Refuses with {@link ErrorKind#FORBIDDEN} a use of a routed target outside the pipeline (subscribe, complete). */
    public void authorize(Caller caller, CallKind kind, Route route) {
        authorize(caller, kind, route.server(), route.name(), route.definition());
    }

    private void authorize(Caller caller, CallKind kind, String server, String target, ObjectNode definition) {
        Authorizer.Decision decision = authorizer().decide(caller, kind, server, policy(server), target, definition);
        if (!decision.allowed()) {
            throw new SluiceException(ErrorKind.FORBIDDEN, decision.reason(),
                    Json.object().put("server", server).put("target", target), null);
        }
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
        return authorizer().decide(caller, kind, route.server(), policy(route.server()), route.name(), route.definition())
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
