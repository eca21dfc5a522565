package dev.sluice.app.internal.rest;

import dev.sluice.core.ErrorKind;
import dev.sluice.core.ProblemDetail;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Builds the {@code application/problem+json} responses every exception mapper answers with. */
final class Problems {
    private Problems() {
    }

    static Response response(ErrorKind kind, String detail, UriInfo uri) {
        return response(ProblemDetail.of(kind, detail, instance(uri)));
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
