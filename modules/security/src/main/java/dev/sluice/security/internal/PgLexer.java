package dev.sluice.security.internal;

import dev.sluice.security.internal.PgToken.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A lexer for PostgreSQL's SQL that reads text the way the server's own lexer ({@code scan.l}) does,
 * so the guard sees the statements and names the server will see: {@code --} and nested
 * {@code /* … *&#47;} comments (also inside a run of operator characters), {@code '…'} strings with
 * {@code ''}, {@code E'…'} strings with backslash escapes, {@code U&'…'}, {@code B'…'}, {@code X'…'},
 * {@code N'…'}, dollar quotes {@code $$…$$} and {@code $tag$…$tag$} (a tag is identifier characters
 * not starting with a digit; {@code $1} is a parameter; {@code a$b$} is one identifier), quoted
 * identifiers with {@code ""} and {@code U&"…"} with {@code \XXXX}, {@code \+XXXXXX} and
 * {@code UESCAPE}. Characters beyond ASCII are identifier characters, as they are to PostgreSQL (so
 * a non-breaking space does not separate words). Whatever PostgreSQL would reject, or could read
 * differently, is refused with {@link SqlRefusal} ({@code parse-error}): an unterminated string, quoted identifier,
 * dollar quote or comment, a NUL or other control character, an unpaired surrogate, junk after a
 * number, a stray {@code $} or {@code \}.
 *
 * <p>With {@code backslashEscapes} plain {@code '…'} strings take backslash escapes, as they do when
 * the server runs with {@code standard_conforming_strings = off}; the guard checks both readings.
 */
public final class PgLexer {

    /** PostgreSQL's NAMEDATALEN - 1: longer identifiers are truncated to this many bytes. */
    private static final int MAX_IDENTIFIER_BYTES = 63;

    private final String s;
    private final boolean backslashEscapes;
    private final List<PgToken> tokens = new ArrayList<>();
    private int i;

    private PgLexer(String sql, boolean backslashEscapes) {
        this.s = sql;
        this.backslashEscapes = backslashEscapes;
    }

    /** The tokens of {@code sql}, comments and white space left out. */
    public static List<PgToken> lex(String sql, boolean backslashEscapes) {
        PgLexer lexer = new PgLexer(sql, backslashEscapes);
        lexer.run();
        lexer.finishUnicode();
        return lexer.tokens;
    }

    /** Whether PostgreSQL treats {@code c} as white space ({@code [ \t\n\r\f\v]}). */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    static boolean isIdentStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80;
    }

    static boolean isIdentCont(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isOpChar(char c) {
        return "~!@#^&|`?+-*/%<>=".indexOf(c) >= 0;
    }

    private char at(int k) {
        return k < s.length() ? s.charAt(k) : '\0';
    }

    private boolean startsComment(int k) {
        return at(k) == '-' && at(k + 1) == '-' || at(k) == '/' && at(k + 1) == '*';
    }

    private void run() {
        checkCharacters();
        while (i < s.length()) {
            char c = s.charAt(i);
            int start = i;
            if (isSpace(c)) {
                i++;
            } else if (c == '-' && at(i + 1) == '-') {
                while (i < s.length() && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
                    i++;
                }
            } else if (c == '/' && at(i + 1) == '*') {
                blockComment();
            } else if (c == '\'') {
                i++;
                string(start, backslashEscapes);
            } else if ((c == 'e' || c == 'E') && at(i + 1) == '\'') {
                i += 2;
                string(start, true);
            } else if ((c == 'b' || c == 'B' || c == 'x' || c == 'X' || c == 'n' || c == 'N') && at(i + 1) == '\'') {
                i += 2;
                string(start, false);
            } else if ((c == 'u' || c == 'U') && at(i + 1) == '&' && at(i + 2) == '\'') {
                if (backslashEscapes) {
                    throw SqlRefusal.unreadable("a U&'…' string is refused by PostgreSQL when standard_conforming_strings is off", start);
                }
                i += 3;
                string(start, false);
            } else if ((c == 'u' || c == 'U') && at(i + 1) == '&' && at(i + 2) == '"') {
                i += 3;
                // decoded (with a following UESCAPE) once everything is lexed
                tokens.add(new PgToken(Type.IDENT, quotedIdentifier(start), true, start));
            } else if (c == '"') {
                i++;
                String name = quotedIdentifier(start);
                tokens.add(new PgToken(Type.IDENT, truncate(name), true, start));
            } else if (c == '$') {
                dollar(start);
            } else if (isIdentStart(c)) {
                while (i < s.length() && isIdentCont(s.charAt(i))) {
                    i++;
                }
                tokens.add(new PgToken(Type.IDENT, truncate(fold(s.substring(start, i))), false, start));
            } else if (isDigit(c) || c == '.' && isDigit(at(i + 1))) {
                number(start);
            } else if (c == ':' && at(i + 1) == ':') {
                i += 2;
                tokens.add(new PgToken(Type.CAST, "::", false, start));
            } else if (c == ':' && at(i + 1) == '=') {
                i += 2;
                tokens.add(new PgToken(Type.OP, ":=", false, start));
            } else if (c == '.' && at(i + 1) == '.') {
                i += 2;
                tokens.add(new PgToken(Type.OP, "..", false, start));
            } else if ("(),;.:[]".indexOf(c) >= 0) {
                i++;
                tokens.add(new PgToken(switch (c) {
                    case '(' -> Type.LPAREN;
                    case ')' -> Type.RPAREN;
                    case ',' -> Type.COMMA;
                    case ';' -> Type.SEMI;
                    case '.' -> Type.DOT;
                    case ':' -> Type.COLON;
                    case '[' -> Type.LBRACKET;
                    default -> Type.RBRACKET;
                }, String.valueOf(c), false, start));
            } else if (isOpChar(c)) {
                // an operator ends where a comment starts, as in scan.l
                while (i < s.length() && isOpChar(s.charAt(i)) && !startsComment(i)) {
                    i++;
                }
                tokens.add(new PgToken(Type.OP, s.substring(start, i), false, start));
            } else {
                throw SqlRefusal.unreadable("character '" + c + "' is not SQL", start);
            }
        }
    }

    /** NUL (which would end the text on the wire), other control characters and unpaired surrogates. */
    private void checkCharacters() {
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == 0) {
                throw SqlRefusal.unreadable("holds a NUL character", k);
            }
            if (Character.isHighSurrogate(c)) {
                if (!Character.isLowSurrogate(at(k + 1))) {
                    throw SqlRefusal.unreadable("holds an unpaired surrogate character", k);
                }
                k++;
            } else if (Character.isLowSurrogate(c)) {
                throw SqlRefusal.unreadable("holds an unpaired surrogate character", k);
            }
        }
    }

    private void blockComment() {
        int start = i;
        int depth = 0;
        while (i < s.length()) {
            if (at(i) == '/' && at(i + 1) == '*') {
                depth++;
                i += 2;
            } else if (at(i) == '*' && at(i + 1) == '/') {
                depth--;
                i += 2;
                if (depth == 0) {
                    return;
                }
            } else {
                i++;
            }
        }
        throw SqlRefusal.unreadable("has an unterminated /* comment", start);
    }

    /** A string body after its opening quote; {@code ''} is a quote, and with escapes so is {@code \'}. */
    private void string(int start, boolean escapes) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (escapes && c == '\\') {
                i += 2;
            } else if (c == '\'') {
                if (at(i + 1) == '\'') {
                    i += 2;
                } else {
                    i++;
                    tokens.add(new PgToken(Type.STRING, s.substring(start, i), false, start));
                    return;
                }
            } else {
                i++;
            }
        }
        throw SqlRefusal.unreadable("has an unterminated quoted string", start);
    }

    /** A quoted identifier's name after its opening quote, {@code ""} unescaped. */
    private String quotedIdentifier(int start) {
        StringBuilder name = new StringBuilder();
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '"') {
                if (at(i) == '"') {
                    name.append('"');
                    i++;
                } else {
                    if (name.isEmpty()) {
                        throw SqlRefusal.unreadable("has a zero-length quoted identifier", start);
                    }
                    return name.toString();
                }
            } else {
                name.append(c);
            }
        }
        throw SqlRefusal.unreadable("has an unterminated quoted identifier", start);
    }

    /**
     * Decodes each {@code U&"…"} identifier in place with the escape character of a following
     * {@code UESCAPE '…'} (those two tokens then dropped), as PostgreSQL's parser does; a
     * {@code UESCAPE} after a {@code U&'…'} string is dropped likewise.
     */
    private void finishUnicode() {
        for (int k = tokens.size() - 1; k >= 0; k--) {
            PgToken t = tokens.get(k);
            boolean unicodeIdent = t.type() == Type.IDENT && t.quoted() && at(t.start()) != '"';
            boolean unicodeString = t.type() == Type.STRING && (at(t.start()) == 'u' || at(t.start()) == 'U');
            if (!unicodeIdent && !unicodeString) {
                continue;
            }
            char escape = '\\';
            if (k + 2 < tokens.size() && tokens.get(k + 1).is("uescape")) {
                PgToken e = tokens.get(k + 2);
                String text = e.value();
                if (e.type() != Type.STRING || text.length() != 3 || text.charAt(0) != '\'') {
                    throw SqlRefusal.unreadable("has an invalid UESCAPE", e.start());
                }
                escape = text.charAt(1);
                if (Character.digit(escape, 16) >= 0 || escape == '+' || escape == '\'' || escape == '"'
                        || isSpace(escape)) {
                    throw SqlRefusal.unreadable("has an invalid UESCAPE character", e.start());
                }
                tokens.remove(k + 2);
                tokens.remove(k + 1);
            } else if (k + 1 < tokens.size() && tokens.get(k + 1).is("uescape")) {
                throw SqlRefusal.unreadable("has UESCAPE without a one-character string", tokens.get(k + 1).start());
            }
            if (unicodeIdent) {
                tokens.set(k, new PgToken(Type.IDENT, truncate(decode(t.value(), escape, t.start())), true, t.start()));
            } else {
                String body = t.value().substring(3, t.value().length() - 1).replace("''", "'");
                decode(body, escape, t.start()); // only to refuse what PostgreSQL refuses
            }
        }
    }

    /** The text of a U&amp; identifier or string with its escapes ({@code \XXXX}, {@code \+XXXXXX}, doubled escape) decoded. */
    private static String decode(String text, char escape, int at) {
        StringBuilder out = new StringBuilder();
        int k = 0;
        while (k < text.length()) {
            char c = text.charAt(k);
            if (c != escape) {
                out.append(c);
                k++;
                continue;
            }
            if (k + 1 < text.length() && text.charAt(k + 1) == escape) {
                out.append(escape);
                k += 2;
                continue;
            }
            int len = k + 1 < text.length() && text.charAt(k + 1) == '+' ? 6 : 4;
            int from = k + 1 + (len == 6 ? 1 : 0);
            if (from + len > text.length()) {
                throw SqlRefusal.unreadable("has an invalid Unicode escape", at);
            }
            String hex = text.substring(from, from + len);
            for (int h = 0; h < hex.length(); h++) {
                if (Character.digit(hex.charAt(h), 16) < 0) {
                    throw SqlRefusal.unreadable("has an invalid Unicode escape", at);
                }
            }
            int cp = Integer.parseInt(hex, 16);
            if (cp == 0 || cp > 0x10FFFF || cp >= 0xD800 && cp <= 0xDFFF) {
                // PostgreSQL combines surrogate pairs; the guard refuses them rather than guess
                throw SqlRefusal.unreadable("has a Unicode escape the guard does not accept", at);
            }
            out.appendCodePoint(cp);
            k = from + len;
        }
        return out.toString();
    }

    private void dollar(int start) {
        if (isDigit(at(i + 1))) {
            i++;
            while (isDigit(at(i))) {
                i++;
            }
            if (isIdentCont(at(i))) {
                throw SqlRefusal.unreadable("has junk after parameter " + s.substring(start, i), start);
            }
            tokens.add(new PgToken(Type.PARAM, s.substring(start, i), false, start));
            return;
        }
        int k = i + 1;
        if (isIdentStart(at(k))) {
            k++;
            while (k < s.length() && (isIdentStart(at(k)) || isDigit(at(k)))) {
                k++;
            }
        }
        if (at(k) != '$') {
            throw SqlRefusal.unreadable("has a '$' that starts neither a dollar quote nor a parameter", start);
        }
        String delimiter = s.substring(start, k + 1);
        int end = s.indexOf(delimiter, k + 1);
        if (end < 0) {
            throw SqlRefusal.unreadable("has an unterminated dollar-quoted string " + delimiter, start);
        }
        i = end + delimiter.length();
        tokens.add(new PgToken(Type.STRING, s.substring(start, i), false, start));
    }

    private void number(int start) {
        char c = s.charAt(i);
        if (c == '0' && "xXoObB".indexOf(at(i + 1)) >= 0) {
            int radix = switch (at(i + 1)) {
                case 'x', 'X' -> 16;
                case 'o', 'O' -> 8;
                default -> 2;
            };
            i += 2;
            while (Character.digit(at(i), radix) >= 0 && at(i) < 0x80 || at(i) == '_') {
                i++;
            }
        } else {
            digits();
            if (at(i) == '.' && at(i + 1) != '.') {
                i++;
                digits();
            }
            if ((at(i) == 'e' || at(i) == 'E')
                    && (isDigit(at(i + 1)) || (at(i + 1) == '+' || at(i + 1) == '-') && isDigit(at(i + 2)))) {
                i += 2;
                digits();
            }
        }
        if (isIdentStart(at(i)) || at(i) == '$') {
            throw SqlRefusal.unreadable("has junk after the number " + s.substring(start, i), start);
        }
        tokens.add(new PgToken(Type.NUMBER, s.substring(start, i), false, start));
    }

    private void digits() {
        while (isDigit(at(i)) || at(i) == '_' && isDigit(at(i + 1))) {
            i++;
        }
    }

    /** ASCII letters to lower case, as PostgreSQL's downcase_identifier does for UTF-8. */
    static String fold(String identifier) {
        StringBuilder out = new StringBuilder(identifier.length());
        for (int k = 0; k < identifier.length(); k++) {
            char c = identifier.charAt(k);
            out.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return out.toString();
    }

    /** Truncated to 63 bytes of UTF-8 at a character boundary, as PostgreSQL truncates identifiers. */
    static String truncate(String identifier) {
        if (identifier.getBytes(StandardCharsets.UTF_8).length <= MAX_IDENTIFIER_BYTES) {
            return identifier;
        }
        int bytes = 0;
        int k = 0;
        while (k < identifier.length()) {
            int cp = identifier.codePointAt(k);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > MAX_IDENTIFIER_BYTES) {
                break;
            }
            bytes += n;
            k += Character.charCount(cp);
        }
        return identifier.substring(0, k);
    }
}
