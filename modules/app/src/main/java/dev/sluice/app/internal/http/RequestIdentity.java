package dev.sluice.app.internal.http;

import dev.sluice.core.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.regex.Pattern;

/**
 * The id of one HTTP request: the client's {@code X-Request-Id} when it is a plausible id (letters,
 * digits, {@code ._:-}, at most 64), else a new one. It is sent back in {@code X-Request-Id} on every
 * response, and names the request in the call log and the audit trail.
 */
public final class RequestIdentity {
    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "dev.sluice.requestId";
    private static final Pattern PLAUSIBLE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIdentity() {
    }

    /** Gives the request its id and sends it back (the guard filter does this first for every request). */
    static void assign(HttpServletRequest req, HttpServletResponse resp) {
        String id = req.getHeader(HEADER);
        if (id == null || !PLAUSIBLE.matcher(id).matches()) {
            id = RequestIds.next();
        }
        req.setAttribute(ATTRIBUTE, id);
        resp.setHeader(HEADER, id);
    }

    /** The request's id (a new one for a request the filter did not see). */
    public static String of(HttpServletRequest req) {
        Object id = req.getAttribute(ATTRIBUTE);
        if (id instanceof String s) {
            return s;
        }
        String fresh = RequestIds.next();
        req.setAttribute(ATTRIBUTE, fresh);
        return fresh;
    }
}
