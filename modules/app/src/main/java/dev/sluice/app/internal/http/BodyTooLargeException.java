package dev.sluice.app.internal.http;

import java.io.IOException;

/**
 * Thrown by a request body's stream when a read would go past {@code sluice.security.max-body-bytes}
 * (a chunked body, or one that declared no length). Whoever catches it, or an exception caused by
 * it, answers 413 {@code payload-too-large}; see {@link #find(Throwable)}.
 */
public final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long limit;

    public BodyTooLargeException(long limit) {
        super("the body is over the limit of " + limit + " bytes (sluice.security.max-body-bytes)");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    /** This exception in a chain of causes (readers and frameworks wrap it), or null. */
    public static BodyTooLargeException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BodyTooLargeException b) {
                return b;
            }
        }
        return null;
    }
}
