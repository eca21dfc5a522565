package dev.sluice.app.internal.rest;

import dev.sluice.core.ProblemDetail;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Adds to every operation of the OpenAPI document the error answers the HTTP layer gives any of them,
 * so that no status a client can receive is undocumented: 401 (no or a wrong credential), 429 (the
 * caller's rate limit, or too many failed authentications from its address) and 500; for an operation
 * with parameters 400; with a body also 413 (over {@code sluice.security.max-body-bytes}) and 415 (not
 * JSON). Each is an RFC 9457 problem. An operation that declares one of these itself keeps its own.
 * Registered with {@code mp.openapi.filter}.
 */
public class ProblemResponses implements OASFilter {

    @Override
    public Operation filterOperation(Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            return operation;
        }
        boolean body = operation.getRequestBody() != null;
        boolean parameters = body || operation.getParameters() != null && !operation.getParameters().isEmpty();
        add(responses, "401", "No credential, or one that is not valid (unauthenticated)");
        if (parameters) {
            add(responses, "400", "A parameter or the body is not valid (invalid params)");
        }
        if (body) {
            add(responses, "413", "The body is larger than sluice.security.max-body-bytes (payload too large)");
            add(responses, "415", "The body is not JSON (unsupported media type)");
        }
        add(responses, "429", "The caller's rate limit is spent, or its address had too many failed "
                + "authentications (rate limited; Retry-After says when to try again)");
        add(responses, "500", "An unexpected failure (internal error; the problem's instance names the request)");
        return operation;
    }

    private static void add(APIResponses responses, String status, String description) {
        if (responses.hasAPIResponse(status)) {
            return;
        }
        APIResponse response = OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType(ProblemDetail.MEDIA_TYPE, OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref("ProblemDetail"))));
        responses.addAPIResponse(status, response);
    }
}
