package dev.sluice.agents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Caller;
import java.util.List;

/**
 * The agents' only way to tools: Sluice's own pipeline, as the calling user. The application
 * implements it; agents never reach an upstream any other way.
 */
public interface ToolGateway {
    /**
     * The tools of a profile's subset that this caller may call, as the upstreams list them (federated
     * name, description, inputSchema).
     */
    List<ObjectNode> tools(AgentProfile profile, Caller caller);

    /**
     * Calls a tool through the pipeline (authorisation, rate limit, validation, cache, audit) as the
     * caller. A tool outside the profile's subset or the caller's rights is refused like any call and
     * comes back as an error outcome, never as an exception.
     */
    ToolOutcome call(AgentProfile profile, Caller caller, String requestId, String tool, ObjectNode arguments);
}
