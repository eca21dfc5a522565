package dev.sluice.app.internal.rest;

import dev.sluice.core.ErrorKind;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Errors the REST runtime raises itself (no such path, wrong method, unreadable body, unacceptable
 * media type) answered as problems too, keeping the runtime's status and headers.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
    @Context
    UriInfo uri;

    @Override
    public Response toResponse(WebApplicationException e) {
        Response tooLarge = Problems.tooLarge(e, uri);
        if (tooLarge != null) {
            return tooLarge;
        }
        Response original = e.getResponse();
        int status = original.getStatus();
        ErrorKind kind = ErrorKind.forHttpStatus(status);
        String detail = switch (status) {
            case 404 -> "no resource at " + (uri == null ? "this path" : uri.getRequestUri().getPath());
            case 405 -> "method not allowed here; allowed: " + original.getAllowedMethods();
            case 406 -> "none of the accepted media types can be produced";
            case 415 -> "the request's media type is not supported here";
            default -> status >= 500 ? kind.title() : e.getMessage();
        };
        Response problem = Problems.response(kind, detail, uri);
        Response.ResponseBuilder builder = Response.fromResponse(problem).status(status);
        original.getStringHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        return builder.build();
    }
}
