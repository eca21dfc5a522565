package dev.sluice.app.internal.rest;

import dev.sluice.app.internal.security.AccessControl;
import dev.sluice.app.internal.security.RequestAuthentication;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import dev.sluice.observability.AuditEntry;
import dev.sluice.observability.AuditLog;
import dev.sluice.security.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit trail, for admins: every call (allowed or refused) and every administrative action. */
@Path("audit")
@Tag(name = "audit")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class AuditResource {

    @Inject
    AuditLog audit;

    @GET
    @Operation(summary = "Search audit records", description = "Newest first; every filter optional. Arguments are "
            + "stored redacted and as a SHA-256 digest of their canonical form.")
    @APIResponse(responseCode = "200", description = "The records", content = @Content(schema = @Schema(implementation = AuditEntry[].class)))
    @APIResponse(responseCode = "403", description = "Not an admin (forbidden)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = dev.sluice.core.ProblemDetail.class)))
    public List<AuditEntry> search(@QueryParam("subject") String subject, @QueryParam("server") String server,
            @QueryParam("action") String action, @QueryParam("outcome") String outcome,
            @QueryParam("since") String since, @QueryParam("limit") @DefaultValue("100") int limit,
            @Context HttpServletRequest request) {
        AccessControl.require(RequestAuthentication.caller(request), Role.ADMIN, "reading the audit trail");
        Instant from = null;
        if (since != null && !since.isBlank()) {
            try {
                from = Instant.parse(since);
            } catch (DateTimeParseException e) {
                throw new SluiceException(ErrorKind.INVALID_PARAMS, "'since' must be an ISO-8601 instant such as "
                        + "2026-12-01T00:00:00Z");
            }
        }
        if (limit < 1 || limit > 1000) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'limit' must be from 1 to 1000");
        }
        return audit.search(subject, server, action, outcome, from, limit);
    }
}
