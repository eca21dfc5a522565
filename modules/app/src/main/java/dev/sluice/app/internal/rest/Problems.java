package dev.sluice.app.internal.rest;

import dev.sluice.cache.RateLimitHeaders;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.http.BodyTooLargeException;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.ProblemDetail;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Redactor;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Builds the {@code application/problem+json} responses every exception mapper answers with. */
final class Problems {
    private Problems() {
    }

    /**
     * The 413 of a failure caused by a body read past {@code sluice.security.max-body-bytes} (the REST
     * runtime and JSON readers wrap the stream's exception in their own), or null for any other.
     */
    static Response tooLarge(Throwable e, UriInfo uri) {
        BodyTooLargeException tooLarge = BodyTooLargeException.find(e);
        return tooLarge == null ? null : response(ErrorKind.PAYLOAD_TOO_LARGE, tooLarge.getMessage(), uri);
    }

    static Response response(ErrorKind kind, String detail, UriInfo uri) {
        return response(ProblemDetail.of(kind, detail, instance(uri)));
    }

    /**
     * The problem of a Sluice failure, with the failure's machine-readable facts (the failing
     * fields, a reason) as extension members beside the standard ones (RFC 9457, section 3.2).
     */
    static Response response(SluiceException e, UriInfo uri) {
        if (e.data().isEmpty()) {
            return response(e.kind(), e.detail(), uri);
        }
        ProblemDetail p = ProblemDetail.of(e, instance(uri));
        ObjectNode extensions = (ObjectNode) Redactor.redact(e.data().get());
        Response.ResponseBuilder response = Response.status(p.status()).type(ProblemDetail.MEDIA_TYPE)
                .entity(p.toJson(extensions));
        if (e.kind() == ErrorKind.RATE_LIMITED) {
            RateLimitHeaders.ofRefusal(e.data().get()).forEach(response::header);
        }
        return response.build();
    }

    static Response response(ProblemDetail problem) {
        return Response.status(problem.status())
                .type(ProblemDetail.MEDIA_TYPE)
                .entity(problem)
                .build();
    }

    private static String instance(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getPath();
    }
}
