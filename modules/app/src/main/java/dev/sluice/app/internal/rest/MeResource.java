package dev.sluice.app.internal.rest;

import dev.sluice.app.internal.security.RequestAuthentication;
import dev.sluice.core.Caller;
import dev.sluice.core.ProblemDetail;
import dev.sluice.core.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Who the credentials of a request belong to, and what that role may do (the admin UI asks on sign-in). */
@Path("me")
@Tag(name = "system")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class MeResource {

    /**
     * @param subject the token subject or API key owner
     * @param role viewer, analyst, engineer, admin or owner
     * @param organisation the organisation claim, or null
     * @param apiKeyId the API key used, or null for a token
     * @param toolScope the server/tool patterns an API key is limited to (empty: no limit beyond the role)
     * @param can what the role may do
     */
    public record MeView(String subject, String role, String organisation, String apiKeyId, List<String> toolScope,
            Capabilities can) {
    }

    /**
     * @param callTools call read tools (analyst and above; write tools need engineer and the catalog's rules decide)
     * @param runAgents run agent tasks (analyst and above)
     * @param admin administer: the catalog, API keys of others, the audit log, the cache, agent profiles
     */
    public record Capabilities(boolean callTools, boolean runAgents, boolean admin) {
    }

    @GET
    @Operation(summary = "The caller", description = "Who the request's credentials belong to (a token's subject or an "
            + "API key's owner), the role, and what the role may do. Any credentials.")
    @APIResponse(responseCode = "200", description = "The caller", content = @Content(schema = @Schema(implementation = MeView.class),
            examples = @ExampleObject(name = "an admin key", value = "{\"subject\":\"alice\",\"role\":\"admin\",\"organisation\":null,"
                    + "\"apiKeyId\":\"3f2a…\",\"toolScope\":[],\"can\":{\"callTools\":true,\"runAgents\":true,\"admin\":true}}")))
    @APIResponse(responseCode = "401", description = "No or bad credentials (unauthenticated)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public MeView me(@Context HttpServletRequest request) {
        Caller caller = RequestAuthentication.caller(request);
        Role role;
        try {
            role = Role.parse(caller.role());
        } catch (IllegalArgumentException e) {
            role = Role.VIEWER;
        }
        return new MeView(caller.subject(), caller.role(), caller.organisation(), caller.apiKeyId(),
                caller.toolScope().stream().sorted().toList(), new Capabilities(role.includes(Role.ANALYST),
                        role.includes(Role.ANALYST), role.includes(Role.ADMIN)));
    }
}
