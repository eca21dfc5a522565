package dev.sluice.security.internal;

/** SQL text the guard's lexer refuses: PostgreSQL would reject it, or could read it differently. */
public final class PgLexException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int offset;

    public PgLexException(String message, int offset) {
        super(message, null, false, false);
        this.offset = offset;
    }

    /** Where in the text the problem starts. */
    public int offset() {
        return offset;
    }
}
