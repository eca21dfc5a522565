package dev.sluice.app.internal.rest;

import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.sluice.app.internal.security.AccessControl;
import dev.sluice.app.internal.security.RequestAuthentication;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.ProblemDetail;
import dev.sluice.core.SluiceException;
import dev.sluice.observability.AuditEntry;
import dev.sluice.observability.AuditLog;
import dev.sluice.observability.AuditPage;
import dev.sluice.observability.AuditQuery;
import dev.sluice.core.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
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
@ApplicationScoped
public class AuditResource {
    /** The most records one CSV export holds; narrow the filters for more. */
    static final int EXPORT_MAX = 100_000;
    private static final CsvMapper CSV = new CsvMapper();
    /** The columns of the export, in the order of {@link AuditEntry}'s fields. */
    private static final List<String> COLUMN_NAMES = List.of("requestId", "occurredAt", "nodeId", "subject", "role",
            "apiKeyId", "organisation", "channel", "action", "server", "target", "argumentDigest", "argumentsRedacted",
            "outcome", "errorType", "durationMicros", "cacheHit", "clientAddress");
    private static final CsvSchema COLUMNS = columns();

    private static CsvSchema columns() {
        CsvSchema.Builder b = CsvSchema.builder();
        COLUMN_NAMES.forEach(b::addColumn);
        return b.build().withHeader();
    }

    private static Object[] row(AuditEntry e) {
        return new Object[] {e.requestId(), e.occurredAt() == null ? null : e.occurredAt().toString(), e.nodeId(),
            e.subject(), e.role(), e.apiKeyId(), e.organisation(), e.channel(), e.action(), e.server(), e.target(),
            e.argumentDigest(), e.argumentsRedacted(), e.outcome(), e.errorType(), e.durationMicros(), e.cacheHit(),
            e.clientAddress()};
    }

    @Inject
    AuditLog audit;

    /** The filters both endpoints take. */
    public static class Filters {
        @QueryParam("subject")
        String subject;

        @QueryParam("server")
        String server;

        @QueryParam("tool")
        String tool;

        @QueryParam("action")
        String action;

        @QueryParam("outcome")
        String outcome;

        @QueryParam("since")
        String since;

        @QueryParam("until")
        String until;

        AuditQuery query(String cursor, int limit) {
            return new AuditQuery(blankToNull(subject), blankToNull(server), blankToNull(tool), blankToNull(action),
                    blankToNull(outcome), instant("since", since), instant("until", until), blankToNull(cursor), limit);
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }

        private static Instant instant(String name, String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new SluiceException(ErrorKind.INVALID_PARAMS, "'" + name + "' must be an ISO-8601 instant such as "
                        + "2026-12-01T00:00:00Z");
            }
        }
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Search audit records", description = "Newest first; every filter optional (`tool` is the tool, "
            + "prompt or resource). A page holds `limit` records; when more match, the `Link` header names the next "
            + "page (`rel=\"next\"`, with a `cursor`). Arguments are stored redacted and as a SHA-256 digest of their "
            + "canonical form.")
    @APIResponse(responseCode = "200", description = "The records", content = @Content(schema = @Schema(implementation = AuditEntry[].class)))
    @APIResponse(responseCode = "400", description = "A bad filter, limit or cursor (invalid-params)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "403", description = "Not an admin (forbidden)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public Response search(@BeanParam Filters filters, @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("100") int limit, @Context UriInfo uri,
            @Context HttpServletRequest request) {
        AccessControl.require(RequestAuthentication.caller(request), Role.ADMIN, "reading the audit trail");
        if (limit < 1 || limit > AuditQuery.MAX_LIMIT) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'limit' must be from 1 to " + AuditQuery.MAX_LIMIT);
        }
        AuditPage page = page(filters.query(cursor, limit));
        Response.ResponseBuilder response = Response.ok(page.entries(), MediaType.APPLICATION_JSON);
        if (page.next() != null) {
            response.link(uri.getRequestUriBuilder().replaceQueryParam("cursor", page.next()).build(), "next");
        }
        return response.build();
    }

    @GET
    @Path("export")
    @Produces("text/csv")
    @Operation(summary = "Export audit records as CSV", description = "The records the same filters find, newest first, "
            + "one per line with a header line, at most " + EXPORT_MAX + " (narrow the filters for more).")
    @APIResponse(responseCode = "200", description = "CSV (RFC 4180), UTF-8", content = @Content(mediaType = "text/csv"))
    @APIResponse(responseCode = "403", description = "Not an admin (forbidden)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public Response export(@BeanParam Filters filters, @Context HttpServletRequest request) {
        AccessControl.require(RequestAuthentication.caller(request), Role.ADMIN, "exporting the audit trail");
        AuditQuery first = filters.query(null, AuditQuery.MAX_LIMIT);
        StreamingOutput body = (OutputStream out) -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            try (var rows = CSV.writer(COLUMNS).writeValues(writer)) {
                AuditQuery query = first;
                int written = 0;
                while (written < EXPORT_MAX) {
                    AuditPage page = audit.search(query);
                    List<AuditEntry> entries = page.entries();
                    for (AuditEntry e : entries) {
                        rows.write(row(e));
                    }
                    written += entries.size();
                    if (page.next() == null) {
                        break;
                    }
                    query = query.after(page.next());
                }
            }
        };
        return Response.ok(body, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"sluice-audit.csv\"").build();
    }

    private AuditPage page(AuditQuery query) {
        try {
            return audit.search(query);
        } catch (IllegalArgumentException e) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'cursor' is not one this audit trail gave out; start "
                    + "again without it");
        }
    }
}
