package dev.sluice.app.internal.rest;

import dev.sluice.core.ErrorKind;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Comparator;
import java.util.stream.Collectors;

/** Bean Validation failures on REST input become a 400 problem naming each invalid field. */
@Provider
public class ConstraintViolationMapper implements ExceptionMapper<ConstraintViolationException> {
    @Context
    UriInfo uri;

    @Override
    public Response toResponse(ConstraintViolationException e) {
        String detail = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(ConstraintViolationMapper::describe)
                .collect(Collectors.joining("; "));
        return Problems.response(ErrorKind.INVALID_PARAMS, detail, uri);
    }

    private static String describe(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        // the path starts with the Java method and parameter position; the field is its last node
        String field = path.substring(path.lastIndexOf('.') + 1);
        return "'" + field + "' " + violation.getMessage();
    }
}
