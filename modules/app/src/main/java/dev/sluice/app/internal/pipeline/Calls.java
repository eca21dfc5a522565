package dev.sluice.app.internal.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.security.AccessControl;
import dev.sluice.core.Call;
import dev.sluice.core.CallKind;
import dev.sluice.core.Caller;
import dev.sluice.core.ClientChannel;
import dev.sluice.registry.Route;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Makes the calls the pipeline runs: what the route names, with the server's policy read from the
 * catalog once, as it is when the call comes in (see {@link Call}).
 */
@ApplicationScoped
public class Calls {

    @Inject
    AccessControl access;

    /** A call of a routed target (a tool, prompt or resource as federation found it). */
    public Call of(String requestId, CallKind kind, Caller caller, Route route, ObjectNode params,
            ClientChannel channel) {
        return of(requestId, kind, caller, route.server(), route.name(), params, channel, route.definition());
    }

    /** A call of a target on a named server. */
    public Call of(String requestId, CallKind kind, Caller caller, String server, String target, ObjectNode params,
            ClientChannel channel, ObjectNode definition) {
        return new Call(requestId, kind, caller, server, target, params, channel, definition, access.policy(server));
    }
}
