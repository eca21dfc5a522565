package dev.sluice.app.internal.rest;

import dev.sluice.core.SluiceException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A Sluice failure becomes the problem its {@link dev.sluice.core.ErrorKind} describes. */
@Provider
public class SluiceExceptionMapper implements ExceptionMapper<SluiceException> {
    @Context
    UriInfo uri;

    @Override
    public Response toResponse(SluiceException e) {
        return Problems.response(e, uri);
    }
}
