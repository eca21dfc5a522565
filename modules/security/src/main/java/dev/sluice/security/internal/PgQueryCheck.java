package dev.sluice.security.internal;

import dev.sluice.security.internal.PgToken.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The token-level checks of the SQL guard, on the output of {@link PgLexer}: how many statements a
 * text holds, which word starts a statement, and for a read tool whether a query is read-only and
 * calls only allow-listed functions. Every {@code name (} and {@code schema.name (} is a call unless
 * PostgreSQL's grammar makes it something else (a keyword construct such as {@code IN (},
 * {@code CAST (}, {@code OVER (}, a type modifier after {@code ::}, an alias or CTE column list); what
 * the check cannot place is refused, never guessed.
 */
public final class PgQueryCheck {

    /** PostgreSQL's reserved keywords: never a function name unless quoted. */
    static final Set<String> RESERVED = Set.of("all", "analyse", "analyze", "and", "any", "array", "as", "asc",
            "asymmetric", "both", "case", "cast", "check", "collate", "column", "constraint", "create",
            "current_catalog", "current_date", "current_role", "current_time", "current_timestamp",
            "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false",
            "fetch", "for", "foreign", "from", "grant", "group", "having", "in", "initially", "intersect", "into",
            "lateral", "leading", "limit", "localtime", "localtimestamp", "not", "null", "offset", "on", "only",
            "or", "order", "placing", "primary", "references", "returning", "select", "session_user", "some",
            "symmetric", "system_user", "table", "then", "to", "trailing", "true", "union", "unique", "user",
            "using", "variadic", "when", "where", "window", "with");

    /**
     * PostgreSQL's column-name keywords: unqualified, never a function call (their {@code (} opens a
     * construct such as {@code EXTRACT(}, {@code COALESCE(}, {@code VALUES (} or a type modifier).
     */
    static final Set<String> COL_NAME = Set.of("between", "bigint", "bit", "boolean", "char", "character",
            "coalesce", "dec", "decimal", "exists", "extract", "float", "greatest", "grouping", "inout", "int",
            "integer", "interval", "json", "json_array", "json_arrayagg", "json_exists", "json_object",
            "json_objectagg", "json_query", "json_scalar", "json_serialize", "json_table", "json_value", "least",
            "merge_action", "national", "nchar", "none", "normalize", "nullif", "numeric", "out", "overlay",
            "position", "precision", "real", "row", "setof", "smallint", "substring", "time", "timestamp",
            "treat", "trim", "values", "varchar", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists",
            "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable");

    /** PostgreSQL's keywords that can name a type or function but are keywords elsewhere. */
    static final Set<String> TYPE_FUNC_NAME = Set.of("authorization", "binary", "collation", "concurrently",
            "cross", "current_schema", "freeze", "full", "ilike", "inner", "is", "isnull", "join", "left", "like",
            "natural", "notnull", "outer", "overlaps", "right", "similar", "tablesample", "verbose");

    private static final Set<String> QUERY_STARTS = Set.of("select", "with", "values", "table");
    private static final Set<String> CHANGES = Set.of("insert", "update", "delete", "merge");
    private static final Set<String> CLAUSES = Set.of("select", "from", "where", "group", "having", "window",
            "order", "limit", "offset", "fetch", "with", "values", "union", "intersect", "except");
    private static final Set<String> JOIN_WORDS = Set.of("inner", "left", "right", "full", "outer", "cross",
            "natural");
    private static final Set<String> TABLESAMPLE_METHODS = Set.of("bernoulli", "system");
    /** A quoted name DuckDB would read as a file or URL (replacement scans). */
    private static final Pattern FILE_LIKE = Pattern.compile(".*([/\\\\:].*|\\.[A-Za-z][A-Za-z0-9]{0,7})",
            Pattern.DOTALL);

    private enum Opener { TOP, PLAIN, CALL, CONSTRUCT, TYPEMOD, ALIAS, CTE_COLUMNS, OPERATOR, DISTINCT_ON, GROUPING_SETS }

    private static final class Frame {
        final Opener opener;
        String clause;

        Frame(Opener opener) {
            this.opener = opener;
        }
    }

    private PgQueryCheck() {
    }

    /**
     * The tokens of the one statement in {@code tokens}: all of them but a single trailing {@code ;}.
     *
     * @throws SqlRefusal {@code empty} when there is no statement, {@code multiple-statements} when a
     *     {@code ;} is anywhere but at the end (also {@code ;;} and a leading {@code ;})
     */
    public static List<PgToken> oneStatement(List<PgToken> tokens) {
        int statements = 0;
        int semicolons = 0;
        boolean inStatement = false;
        for (PgToken t : tokens) {
            if (t.is(Type.SEMI)) {
                semicolons++;
                inStatement = false;
            } else if (!inStatement) {
                inStatement = true;
                statements++;
            }
        }
        if (statements == 0) {
            throw new SqlRefusal("empty", semicolons == 0 ? "holds no SQL statement"
                    : "holds only empty statements (';')");
        }
        if (statements > 1) {
            throw new SqlRefusal("multiple-statements", "holds " + statements + " statements; one statement per call");
        }
        List<PgToken> body = tokens;
        if (tokens.get(tokens.size() - 1).is(Type.SEMI)) {
            body = tokens.subList(0, tokens.size() - 1);
        }
        if (semicolons > 1 || body.get(0).is(Type.SEMI) || body.stream().anyMatch(t -> t.is(Type.SEMI))) {
            throw new SqlRefusal("multiple-statements",
                    "holds an empty statement besides its statement (';' other than one at the end); one statement per call");
        }
        return body;
    }

    /** The statement's first word (after any opening parentheses), upper case, or "(" when there is none. */
    public static String firstWord(List<PgToken> statement) {
        for (PgToken t : statement) {
            if (t.is(Type.LPAREN)) {
                continue;
            }
            return t.type() == Type.IDENT && !t.quoted() ? t.value().toUpperCase(Locale.ROOT) : t.value();
        }
        return "(";
    }

    /** Whether the statement starts as a query does (SELECT, WITH, VALUES, TABLE, possibly in parentheses). */
    public static boolean startsAsQuery(List<PgToken> statement) {
        for (PgToken t : statement) {
            if (!t.is(Type.LPAREN)) {
                return t.type() == Type.IDENT && !t.quoted() && QUERY_STARTS.contains(t.value());
            }
        }
        return false;
    }

    /**
     * Checks a query for a read tool: nothing that changes data or locks rows, and only calls to
     * {@code allowed} functions that are not {@code denied}.
     *
     * @throws SqlRefusal {@code not-read-only}, {@code denied-function}, {@code unknown-function} or
     *     {@code not-understood}
     */
    public static void readOnly(List<PgToken> statement, Set<String> allowed, Set<String> denied) {
        new Scan(statement, allowed, denied).run();
    }

    private static final class Scan {
        private final List<PgToken> t;
        private final Set<String> allowed;
        private final Set<String> denied;
        private final Opener[] closed;
        private final Set<String> deniedCalls = new LinkedHashSet<>();
        private final Set<String> unknownCalls = new LinkedHashSet<>();
        private final Deque<Frame> frames = new ArrayDeque<>();
        private final Deque<Boolean> arrays = new ArrayDeque<>();
        private Opener next = Opener.PLAIN;

        Scan(List<PgToken> tokens, Set<String> allowed, Set<String> denied) {
            this.t = tokens;
            this.allowed = allowed;
            this.denied = denied;
            this.closed = new Opener[tokens.size()];
        }

        private PgToken at(int k) {
            return k >= 0 && k < t.size() ? t.get(k) : null;
        }

        private boolean is(int k, String keyword) {
            PgToken token = at(k);
            return token != null && token.is(keyword);
        }

        private boolean is(int k, Type type) {
            PgToken token = at(k);
            return token != null && token.is(type);
        }

        void run() {
            if (!startsAsQuery(t)) {
                throw new SqlRefusal("not-read-only", "is a " + firstWord(t)
                        + " statement; this tool is read-only and takes queries only");
            }
            frames.push(new Frame(Opener.TOP));
            for (int k = 0; k < t.size(); k++) {
                PgToken token = t.get(k);
                if (frames.peek().opener == Opener.CTE_COLUMNS && !token.is(Type.IDENT) && !token.is(Type.COMMA)
                        && !token.is(Type.RPAREN)) {
                    throw new SqlRefusal("not-understood", "has a WITH query name with something other than column names"
                            + " in its column list (at offset " + token.start() + ")");
                }
                if (token.is(Type.STRING) && k > 0 && t.get(k - 1).is(Type.STRING)) {
                    // PostgreSQL joins them only across a line break, and otherwise refuses them: so does the guard
                    throw new SqlRefusal("not-understood", "has two string constants in a row (at offset " + token.start() + ")");
                }
                switch (token.type()) {
                    case LPAREN -> {
                        frames.push(new Frame(next));
                        next = Opener.PLAIN;
                        PgToken first = at(k + 1);
                        if (first != null && first.type() == Type.IDENT && !first.quoted()
                                && CHANGES.contains(first.value())) {
                            throw changes(first);
                        }
                    }
                    case RPAREN -> {
                        if (frames.size() == 1) {
                            throw new SqlRefusal("not-understood", "has a ')' without its '(' (at offset " + token.start() + ")");
                        }
                        closed[k] = frames.pop().opener;
                        if (closed[k] == Opener.CTE_COLUMNS && !is(k + 1, "as")) {
                            throw new SqlRefusal("not-understood", "has a WITH query name whose column list is not followed by AS");
                        }
                    }
                    case LBRACKET -> arrays.push(is(k - 1, "array"));
                    case RBRACKET -> {
                        if (!arrays.isEmpty() && arrays.pop() && is(k + 1, Type.LBRACKET)) {
                            // PostgreSQL wants ARRAY[…] in parentheses before a subscript
                            throw new SqlRefusal("not-understood", "subscripts an ARRAY[…] constructor without parentheses");
                        }
                    }
                    case IDENT -> ident(k, token);
                    case STRING -> {
                        Frame frame = frames.peek();
                        if ("from".equals(frame.clause) && (frame.opener == Opener.TOP || frame.opener == Opener.PLAIN)
                                && (is(k - 1, "from") || is(k - 1, "join") || is(k - 1, Type.COMMA))) {
                            throw new SqlRefusal("not-understood", "names a string where a table belongs (FROM "
                                    + abbreviate(token.value()) + "); DuckDB reads such a string as a file");
                        }
                    }
                    default -> {
                        // numbers, operators, punctuation: nothing to check
                    }
                }
            }
            if (frames.size() != 1) {
                throw new SqlRefusal("not-understood", "has a '(' that is never closed");
            }
            if (!deniedCalls.isEmpty()) {
                throw new SqlRefusal("denied-function", "calls " + String.join(", ", deniedCalls)
                        + ", which a read-only tool may not call");
            }
            if (!unknownCalls.isEmpty()) {
                throw new SqlRefusal("unknown-function", "calls " + String.join(", ", unknownCalls)
                        + (unknownCalls.size() == 1 ? ", which is" : ", which are")
                        + " not on the read-only allow-list (sluice.security.sql.allowed-functions)");
            }
        }

        private SqlRefusal changes(PgToken word) {
            return new SqlRefusal("not-read-only", "has " + word.value().toUpperCase(Locale.ROOT)
                    + " in it; this tool is read-only and takes queries only");
        }

        private void ident(int k, PgToken token) {
            if (token.quoted()) {
                if (FILE_LIKE.matcher(token.value()).matches() && !is(k - 1, "as")) {
                    throw new SqlRefusal("not-understood", "has the quoted name \"" + abbreviate(token.value())
                            + "\", which looks like a file or URL (DuckDB reads such names as files)");
                }
            } else {
                String word = token.value();
                if (word.equals("into")) {
                    throw new SqlRefusal("not-read-only", "is SELECT … INTO, which creates a table; this tool is read-only");
                }
                if (word.equals("for") && (is(k + 1, "update") || is(k + 1, "share") || is(k + 1, "no")
                        || is(k + 1, "key"))) {
                    throw new SqlRefusal("not-read-only", "locks rows (FOR UPDATE/SHARE); this tool is read-only");
                }
                if (CHANGES.contains(word)) {
                    throw changes(token);
                }
                // the clause a name is in; only FROM, GROUP BY and WITH matter below, so only their real uses count:
                // not IS DISTINCT FROM, WITHIN GROUP (, WITH ORDINALITY, WITH TIME ZONE, WITH TIES
                boolean clause = CLAUSES.contains(word) && !(word.equals("from") && is(k - 1, "distinct"))
                        && !(word.equals("group") && !is(k + 1, "by"))
                        && !(word.equals("with") && k > 0 && !is(k - 1, Type.LPAREN));
                if (clause) {
                    frames.peek().clause = word;
                }
            }
            if (is(k + 1, Type.LPAREN)) {
                next = beforeParenthesis(k);
            }
        }

        /** What the {@code (} after the name ending at {@code k} opens; records the call if it is one. */
        private Opener beforeParenthesis(int k) {
            int j = k;
            while (is(j - 1, Type.DOT) && is(j - 2, Type.IDENT)) {
                j -= 2;
            }
            if (is(j - 1, Type.DOT)) {
                throw new SqlRefusal("not-understood", "calls something through a '.' the guard cannot resolve (at offset "
                        + t.get(j - 1).start() + ")");
            }
            PgToken name = t.get(k);
            boolean plain = j == k && !name.quoted();
            String word = name.value();
            PgToken before = at(j - 1);
            if (before != null && before.is(Type.CAST)) {
                return Opener.TYPEMOD;
            }
            if (plain) {
                if (word.equals("on") && is(j - 1, "distinct")) {
                    return Opener.DISTINCT_ON;
                }
                if (RESERVED.contains(word) || COL_NAME.contains(word)) {
                    return Opener.CONSTRUCT;
                }
                if (word.equals("operator")) {
                    operator(k);
                    return Opener.OPERATOR;
                }
            }
            if (before != null && before.is("as")) {
                return Opener.ALIAS;
            }
            if (before != null && before.is(Type.RPAREN) && closed[j - 1] != Opener.OPERATOR
                    && closed[j - 1] != Opener.DISTINCT_ON) {
                // ") name (": an alias with its column list, OVER (, FILTER (, REPEATABLE (, OVERLAPS (, JOIN (
                return Opener.ALIAS;
            }
            if (before != null && before.is("tablesample")) {
                if (!plain || !TABLESAMPLE_METHODS.contains(word)) {
                    unknownCalls.add("the TABLESAMPLE method " + word);
                }
                return Opener.CALL;
            }
            if (j == k) {
                Opener construct = contextual(j, word, before, plain);
                if (construct != null) {
                    return construct;
                }
            }
            call(j, k);
            return Opener.CALL;
        }

        /** A non-reserved keyword that its context makes a construct, or null for a call. */
        private Opener contextual(int j, String word, PgToken before, boolean plain) {
            Frame frame = frames.peek();
            switch (plain ? word : "") {
                case "join" -> {
                    if (before != null && (before.quoted() || before.type() == Type.IDENT && !isKeyword(before.value())
                            || before.type() == Type.IDENT && JOIN_WORDS.contains(before.value()))) {
                        return Opener.PLAIN;
                    }
                }
                case "like", "ilike" -> {
                    if (before != null && (before.is("not") || before.quoted()
                            || before.type() == Type.IDENT && !isKeyword(before.value())
                            || before.type() == Type.STRING || before.type() == Type.NUMBER
                            || before.type() == Type.PARAM || before.type() == Type.RBRACKET)) {
                        return Opener.CONSTRUCT;
                    }
                }
                case "by" -> {
                    if (is(j - 1, "order") || is(j - 1, "group") || is(j - 1, "partition")) {
                        return Opener.CONSTRUCT;
                    }
                }
                case "sets" -> {
                    if (is(j - 1, "grouping")) {
                        return Opener.GROUPING_SETS;
                    }
                }
                case "cube", "rollup" -> {
                    boolean afterGroupBy = is(j - 1, "by") && is(j - 2, "group");
                    boolean inGroupBy = is(j - 1, Type.COMMA) && "group".equals(frame.clause)
                            && (frame.opener == Opener.TOP || frame.opener == Opener.PLAIN);
                    boolean inSets = (is(j - 1, Type.COMMA) || is(j - 1, Type.LPAREN))
                            && frame.opener == Opener.GROUPING_SETS;
                    if (afterGroupBy || inGroupBy || inSets) {
                        return Opener.CONSTRUCT;
                    }
                }
                case "first", "next" -> {
                    if (is(j - 1, "fetch")) {
                        return Opener.CONSTRUCT;
                    }
                }
                case "zone" -> {
                    if (is(j - 1, "time")) {
                        return Opener.CONSTRUCT;
                    }
                }
                case "varying" -> {
                    if (is(j - 1, "character") || is(j - 1, "char") || is(j - 1, "bit") || is(j - 1, "nchar")) {
                        return Opener.TYPEMOD;
                    }
                }
                case "materialized" -> {
                    if (is(j - 1, "as") || is(j - 1, "not") && is(j - 2, "as")) {
                        return Opener.PLAIN;
                    }
                }
                default -> {
                    // below
                }
            }
            // a CTE's column list: WITH [RECURSIVE] name (a, b) AS (…), name2 (c) AS (…)
            boolean cteName = is(j - 1, "with") || is(j - 1, "recursive") && is(j - 2, "with")
                    || is(j - 1, Type.COMMA) && "with".equals(frame.clause);
            if (cteName && !(plain && isKeyword(word))) {
                return Opener.CTE_COLUMNS;
            }
            return null;
        }

        private void call(int j, int k) {
            String name = t.get(k).value();
            StringBuilder qualified = new StringBuilder();
            boolean builtIn = true;
            for (int q = j; q < k; q += 2) {
                qualified.append(t.get(q).value()).append('.');
                builtIn &= q == j && j == k - 2 && t.get(q).value().equals("pg_catalog");
            }
            String shown = qualified + name;
            if (denied.contains(name)) {
                deniedCalls.add(shown);
            } else if (!builtIn) {
                unknownCalls.add(shown + " (only built-in functions, unqualified or in pg_catalog)");
            } else if (!allowed.contains(name)) {
                unknownCalls.add(shown);
            }
        }

        /** OPERATOR(schema.op): only an operator of pg_catalog, or one unqualified. */
        private void operator(int k) {
            int m = k + 2;
            StringBuilder schema = new StringBuilder();
            while (is(m, Type.IDENT) && is(m + 1, Type.DOT)) {
                schema.append(t.get(m).value()).append('.');
                m += 2;
            }
            if (!is(m, Type.OP) || !is(m + 1, Type.RPAREN)) {
                throw new SqlRefusal("not-understood", "has an OPERATOR(…) the guard cannot read");
            }
            if (!schema.isEmpty() && !schema.toString().equals("pg_catalog.")) {
                unknownCalls.add("the operator " + schema + t.get(m).value()
                        + " (only operators of pg_catalog may be named)");
            }
        }
    }

    /**
     * The statement as JSqlParser is given it: the tokens as PostgreSQL lexed them, every string or
     * dollar quote as the neutral literal {@code 'x'}, identifiers as resolved (quoted ones requoted),
     * numbers JSqlParser cannot read as {@code 1}, {@code OPERATOR(schema.op)} as {@code op}, no
     * comments. JSqlParser judges the structure; where strings and comments end is the lexer's call,
     * so the two readings cannot disagree about it.
     */
    public static String render(List<PgToken> statement) {
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < statement.size(); k++) {
            PgToken token = statement.get(k);
            if (token.is("operator") && k + 1 < statement.size() && statement.get(k + 1).is(Type.LPAREN)) {
                int m = k + 2;
                while (m + 1 < statement.size() && statement.get(m).is(Type.IDENT) && statement.get(m + 1).is(Type.DOT)) {
                    m += 2;
                }
                if (m + 1 < statement.size() && statement.get(m).is(Type.OP) && statement.get(m + 1).is(Type.RPAREN)) {
                    out.append(statement.get(m).value()).append(' ');
                    k = m + 1;
                    continue;
                }
            }
            out.append(switch (token.type()) {
                case STRING -> "'x'";
                case IDENT -> token.quoted() ? '"' + token.value().replace("\"", "\"\"") + '"' : token.value();
                case NUMBER -> token.value().matches("[0-9]*\\.?[0-9]*([eE][-+]?[0-9]+)?") ? token.value() : "1";
                default -> token.value();
            }).append(' ');
        }
        return out.toString().strip();
    }

    private static boolean isKeyword(String word) {
        return RESERVED.contains(word) || COL_NAME.contains(word) || TYPE_FUNC_NAME.contains(word);
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }
}
