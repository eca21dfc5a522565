package dev.sluice.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

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
    private final transient ObjectNode data;

    public SluiceException(ErrorKind kind, String detail) {
        this(kind, detail, null, null);
    }

    public SluiceException(ErrorKind kind, String detail, Throwable cause) {
        this(kind, detail, null, cause);
    }

    /**
     * @param data extra members for the JSON-RPC error's {@code data} (e.g. a retry time), or null
     */
    public SluiceException(ErrorKind kind, String detail, ObjectNode data, Throwable cause) {
        super(Objects.requireNonNull(detail, "detail"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.data = data;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** Extra machine-readable facts about the failure, safe to show the caller. */
    public Optional<ObjectNode> data() {
        return Optional.ofNullable(data);
    }

    /** The caller-safe explanation, e.g. {@code "argument 'limit' must be an integer"}. */
    public String detail() {
        return getMessage();
    }
}
