package dev.sluice.security.internal;

/**
 * What the SQL guard's lexer or token checks refuse: the machine-readable reason ({@code parse-error},
 * {@code multiple-statements}, {@code not-read-only}, {@code denied-function} …) and the end of the
 * message after the argument's name ("calls pg_sleep, which …").
 */
public final class SqlRefusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public SqlRefusal(String reason, String why) {
        super(why, null, false, false);
        this.reason = reason;
    }

    /** Text PostgreSQL would reject, or could read differently, at {@code offset}. */
    static SqlRefusal unreadable(String problem, int offset) {
        return new SqlRefusal("parse-error", "is not valid SQL: it " + problem + " (at offset " + offset + ")");
    }

    public String reason() {
        return reason;
    }

    public String why() {
        return getMessage();
    }
}
