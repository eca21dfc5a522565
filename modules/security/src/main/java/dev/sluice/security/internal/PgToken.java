package dev.sluice.security.internal;

import java.util.Locale;

/**
 * One token of PostgreSQL SQL as its lexer reads it.
 *
 * @param type what the token is
 * @param value for an identifier its name as PostgreSQL resolves it (unquoted: ASCII folded to lower
 *     case; quoted: taken literally with {@code ""} unescaped; {@code U&"…"}: decoded; all truncated
 *     to 63 bytes); for an operator or a punctuation mark its text; for other tokens the source text
 * @param quoted an identifier written in double quotes (never a keyword)
 * @param start offset of the token's first character in the statement text
 */
public record PgToken(Type type, String value, boolean quoted, int start) {

    /** The kinds of token the guard tells apart. */
    public enum Type {
        IDENT, STRING, NUMBER, PARAM, OP, LPAREN, RPAREN, LBRACKET, RBRACKET, COMMA, SEMI, DOT, COLON, CAST
    }

    /** An unquoted identifier spelling {@code keyword} (lower case), i.e. that keyword. */
    public boolean is(String keyword) {
        return type == Type.IDENT && !quoted && value.equals(keyword);
    }

    public boolean is(Type t) {
        return type == t;
    }

    /** The token as a message shows it. */
    public String shown() {
        return type == Type.IDENT && !quoted ? value.toUpperCase(Locale.ROOT) : value;
    }
}
