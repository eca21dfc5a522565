package dev.sluice.core;

import java.util.Objects;

/**
 * The one exception family of Sluice. It carries an {@link ErrorKind}, which fixes the HTTP status,
 * the JSON-RPC code and the problem type, and a detail message that names what was wrong.
 *
 * <p>The detail is shown to the caller: it must never contain a secret (a token, a key, a
 * password, an upstream credential). Subclasses name a failure more precisely.
 */
public class SluiceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;

    public SluiceException(ErrorKind kind, String detail) {
        super(Objects.requireNonNull(detail, "detail"));
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public SluiceException(ErrorKind kind, String detail, Throwable cause) {
        super(Objects.requireNonNull(detail, "detail"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public ErrorKind kind() {
        return kind;
    }

    /** The caller-safe explanation, e.g. {@code "argument 'limit' must be an integer"}. */
    public String detail() {
        return getMessage();
    }
}
