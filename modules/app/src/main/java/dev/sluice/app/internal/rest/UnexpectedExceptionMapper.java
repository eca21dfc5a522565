package dev.sluice.app.internal.rest;

import dev.sluice.core.ErrorKind;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Anything unforeseen: logged in full under an incident id, answered as a 500 problem that carries
 * only that id, so no internal detail (or secret inside it) reaches the caller.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

    @Context
    UriInfo uri;

    @Override
    public Response toResponse(Throwable e) {
        Response tooLarge = Problems.tooLarge(e, uri);
        if (tooLarge != null) {
            return tooLarge;
        }
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "unexpected failure, incident " + incident, e);
        return Problems.response(ErrorKind.INTERNAL, "unexpected failure; incident " + incident, uri);
    }
}
