package dev.sluice.app.internal.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.app.internal.http.RequestIdentity;
import dev.sluice.app.internal.security.AccessControl;
import dev.sluice.app.internal.security.AccessSettings;
import dev.sluice.app.internal.security.RequestAuthentication;
import dev.sluice.core.Caller;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.ProblemDetail;
import dev.sluice.core.SluiceException;
import dev.sluice.observability.AuditEntry;
import dev.sluice.observability.AuditLog;
import dev.sluice.security.ApiKey;
import dev.sluice.security.ApiKeys;
import dev.sluice.security.IssuedApiKey;
import dev.sluice.security.KeyGrants;
import dev.sluice.core.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperties;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * API keys for machines. Admins create keys; everyone may list, revoke and rotate their own. The key
 * itself is in the answer to create and rotate only, never again.
 */
@Path("api-keys")
@Tag(name = "api-keys")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class ApiKeysResource {
    private static final int MAX_LIFETIME_DAYS = 366;

    @Inject
    @ConfigProperties
    AccessSettings access;

    @Inject
    ApiKeys apiKeys;

    @Inject
    AuditLog audit;

    /** An API key as the REST API shows it. */
    public record ApiKeyView(String id, String prefix, String name, String owner, String role, Set<String> toolScope,
            Instant createdAt, Instant expiresAt, Instant revokedAt, Instant lastUsedAt, String rotatedFromId,
            Instant overlapUntil, String status) {
        static ApiKeyView of(ApiKey k) {
            return new ApiKeyView(k.id(), k.prefix(), k.name(), k.owner(), k.role(), k.toolScope(), k.createdAt(),
                    k.expiresAt(), k.revokedAt(), k.lastUsedAt(), k.rotatedFromId(), k.overlapUntil(),
                    k.status(Instant.now()));
        }
    }

    /** A key just made: the only answer that holds the key itself. */
    public record IssuedKeyView(ApiKeyView key, String secret, String notice) {
        static IssuedKeyView of(IssuedApiKey issued) {
            return new IssuedKeyView(ApiKeyView.of(issued.key()), issued.secret(),
                    "Store this key now: Sluice keeps only a hash of it and cannot show it again.");
        }
    }

    @GET
    @Operation(summary = "List API keys", description = "Admins see every key (or one owner's with 'owner'); others "
            + "see their own. Keys are shown without their secret.")
    @APIResponse(responseCode = "200", description = "The keys", content = @Content(schema = @Schema(implementation = ApiKeyView[].class)))
    public List<ApiKeyView> list(@QueryParam("owner") String owner, @Context HttpServletRequest request) {
        Caller caller = RequestAuthentication.caller(request);
        String who = AccessControl.has(caller, Role.ADMIN) ? owner : caller.subject();
        return apiKeys.list(who).stream().map(ApiKeyView::of).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API key", description = "Admins only. The answer holds the key once. 'role' "
            + "defaults to analyst and cannot exceed the creator's; a creator with a tool scope gives only a scope within "
            + "its own; 'owner' defaults to the creator, and only an owner names another; 'expiresInDays' "
            + "defaults to 90 (at most 366); 'toolScope' lists server/tool patterns (* matches any run) the key is limited to.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "ci", value = "{\"name\":\"nightly dbt run\","
            + "\"role\":\"engineer\",\"owner\":\"ci-bot\",\"toolScope\":[\"dbt/*\"],\"expiresInDays\":30}")))
    @APIResponse(responseCode = "201", description = "The key, shown once", content = @Content(schema = @Schema(implementation = IssuedKeyView.class)))
    @APIResponse(responseCode = "400", description = "Invalid body (invalid-params)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "403", description = "Not an admin, a role or tool scope beyond the creator's, or another subject's name from a non-owner (forbidden)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public Response create(JsonNode body, @Context HttpServletRequest request) {
        Caller caller = RequestAuthentication.caller(request);
        AccessControl.require(caller, Role.ADMIN, "creating API keys");
        if (body == null || !body.isObject()) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "the body must be an object with at least 'name'");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!Set.of("name", "role", "owner", "toolScope", "expiresInDays", "expiresAt").contains(f)) {
                throw new SluiceException(ErrorKind.INVALID_PARAMS, "unknown field '" + f
                        + "' (expected name, role, owner, toolScope, expiresInDays, expiresAt)");
            }
        });
        Role role;
        try {
            role = Role.parse(body.path("role").asText("analyst"));
        } catch (IllegalArgumentException e) {
            throw new SluiceException(ErrorKind.INVALID_PARAMS, "'role': " + e.getMessage());
        }
        Set<String> scope = new LinkedHashSet<>();
        JsonNode scopeNode = body.path("toolScope");
        if (!scopeNode.isMissingNode() && !scopeNode.isNull()) {
            if (!scopeNode.isArray()) {
                throw new SluiceException(ErrorKind.INVALID_PARAMS, "'toolScope' must be a list of server/tool patterns");
            }
            for (JsonNode item : scopeNode) {
                if (!item.isTextual() || !item.asText().contains("/")) {
                    throw new SluiceException(ErrorKind.INVALID_PARAMS, "'toolScope' items look like 'server/tool' or "
                            + "'server/*', not " + item);
                }
                scope.add(item.asText().strip());
            }
        }
        Instant expiresAt = expiry(body);
        String owner = body.hasNonNull("owner") ? body.get("owner").asText() : caller.subject();
        KeyGrants.checkIssue(caller, role, scope, owner, "create a key");
        IssuedApiKey issued = apiKeys.create(body.path("name").asText(null), owner, role, scope, expiresAt);
        record(caller, "api-keys/create", issued.key().id(), request);
        return Response.status(201).entity(IssuedKeyView.of(issued)).build();
    }

    private static Instant expiry(JsonNode body) {
        Instant now = Instant.now();
        if (body.hasNonNull("expiresAt")) {
            try {
                Instant at = Instant.parse(body.get("expiresAt").asText());
                if (at.isAfter(now.plus(Duration.ofDays(MAX_LIFETIME_DAYS)))) {
                    throw new SluiceException(ErrorKind.INVALID_PARAMS, "'expiresAt' is more than "
                            + MAX_LIFETIME_DAYS + " days away");
                }
                return at;
            } catch (DateTimeParseException e) {
                throw new SluiceException(ErrorKind.INVALID_PARAMS, "'expiresAt' must be an ISO-8601 instant such as "
                        + "2027-03-01T00:00:00Z");
            }
        }
        if (body.hasNonNull("expiresInDays")) {
            JsonNode days = body.get("expiresInDays");
            if (!days.canConvertToInt() || !days.isIntegralNumber() || days.asInt() < 1 || days.asInt() > MAX_LIFETIME_DAYS) {
                throw new SluiceException(ErrorKind.INVALID_PARAMS, "'expiresInDays' must be a whole number from 1 to "
                        + MAX_LIFETIME_DAYS);
            }
            return now.plus(Duration.ofDays(days.asInt()));
        }
        return null;
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One API key", description = "Admins see any key; others their own.")
    @APIResponse(responseCode = "200", description = "The key", content = @Content(schema = @Schema(implementation = ApiKeyView.class)))
    @APIResponse(responseCode = "404", description = "No such key (not-found)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public ApiKeyView get(@PathParam("id") String id, @Context HttpServletRequest request) {
        return ApiKeyView.of(visible(id, RequestAuthentication.caller(request)));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke an API key", description = "The key stops working at once on this node, and within "
            + "sluice.security.api-keys.cache-ttl on the others. Admins revoke any key; others their own; nobody a key with a "
            + "higher role or a wider tool scope than their own, and nobody the last working owner key.")
    @APIResponse(responseCode = "403", description = "The key holds more than the caller (forbidden)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "409", description = "The last working owner key (conflict)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "200", description = "The revoked key", content = @Content(schema = @Schema(implementation = ApiKeyView.class)))
    @APIResponse(responseCode = "404", description = "No such key (not-found)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public ApiKeyView revoke(@PathParam("id") String id, @Context HttpServletRequest request) {
        Caller caller = RequestAuthentication.caller(request);
        KeyGrants.checkManage(caller, visible(id, caller), "revoke");
        ApiKeyView view = ApiKeyView.of(apiKeys.revoke(id));
        record(caller, "api-keys/revoke", id, request);
        return view;
    }

    @POST
    @Path("{id}/rotate")
    @Operation(summary = "Rotate an API key", description = "Issues a successor with the same owner, role, scope and "
            + "lifetime, shown once; the old key keeps working for 'overlap' (ISO-8601, default PT24H) so that clients "
            + "switch without downtime, then stops. Only a caller holding at least the key's role and tool scope rotates it. "
            + "Body optional: {\"overlap\": \"PT1H\"}.")
    @APIResponse(responseCode = "403", description = "The key holds more than the caller (forbidden)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @APIResponse(responseCode = "201", description = "The new key, shown once", content = @Content(schema = @Schema(implementation = IssuedKeyView.class)))
    @APIResponse(responseCode = "409", description = "The key is revoked, expired or already rotating (conflict)", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    public Response rotate(@PathParam("id") String id, JsonNode body, @Context HttpServletRequest request) {
        Caller caller = RequestAuthentication.caller(request);
        KeyGrants.checkManage(caller, visible(id, caller), "rotate");
        Duration overlap = access.rotationOverlap;
        if (body != null && body.hasNonNull("overlap")) {
            try {
                overlap = Duration.parse(body.get("overlap").asText());
            } catch (DateTimeParseException e) {
                throw new SluiceException(ErrorKind.INVALID_PARAMS, "'overlap' must be an ISO-8601 duration such as PT1H");
            }
        }
        IssuedApiKey issued = apiKeys.rotate(id, overlap);
        record(caller, "api-keys/rotate", id, request);
        return Response.status(201).entity(IssuedKeyView.of(issued)).build();
    }

    /** The key, when the caller may see it; otherwise "no such key", so that ids cannot be probed. */
    private ApiKey visible(String id, Caller caller) {
        return apiKeys.find(id)
                .filter(k -> KeyGrants.visible(caller, k))
                .orElseThrow(() -> new SluiceException(ErrorKind.NOT_FOUND, "no API key with id " + id));
    }

    private void record(Caller caller, String action, String target, HttpServletRequest request) {
        audit.record(AuditEntry.ofAction(RequestIdentity.of(request), caller, "rest", action, null, target, null,
                request.getRemoteAddr()));
    }
}
