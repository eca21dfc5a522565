package dev.sluice.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Objects;

/**
 * An RFC 9457 problem, the body of every REST error ({@code application/problem+json}).
 *
 * @param type stable URI naming the kind of problem
 * @param title short summary of the kind
 * @param status the HTTP status
 * @param detail what was wrong with this request, never containing a secret
 * @param instance the request path the problem occurred on, if known
 */
public record ProblemDetail(URI type, String title, int status, String detail, String instance) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public ProblemDetail {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem's status is 4xx or 5xx, not " + status);
        }
    }

    public static ProblemDetail of(ErrorKind kind, String detail, String instance) {
        return new ProblemDetail(kind.type(), kind.title(), kind.httpStatus(), SecretValues.mask(detail), instance);
    }

    public static ProblemDetail of(SluiceException e, String instance) {
        return of(e.kind(), e.detail(), instance);
    }

    /**
     * The problem as JSON, with {@code extensions} (a failure's machine-readable facts: the failing
     * fields, a reason) as extension members beside the standard ones (RFC 9457, section 3.2); the
     * standard members win a clash.
     */
    public ObjectNode toJson(ObjectNode extensions) {
        var body = Json.object();
        if (extensions != null) {
            body.setAll(extensions);
        }
        body.put("type", type.toString()).put("title", title).put("status", status).put("detail", detail);
        if (instance != null) {
            body.put("instance", instance);
        }
        return body;
    }
}
