package dev.sluice.security;

import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.SluiceException;
import dev.sluice.core.ToolMode;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Holds the SQL argument of a tool to the tool's policy, with a real SQL parser (JSqlParser), never
 * with regular expressions: exactly one statement per call; a read tool gets only a query (a
 * {@code SELECT}, set operation or {@code VALUES}, with no data-changing {@code WITH} part, no
 * {@code SELECT … INTO}, no row locks, and none of the functions that act on the server); statement
 * kinds denied by configuration or by the tool are refused for every tool. Comments are parsed as
 * comments, so nothing hides behind them.
 */
public final class SqlPolicy {

    /** Refused for every SQL tool unless configuration says otherwise. */
    public static final Set<String> DEFAULT_DENIED = Set.of("DROP", "TRUNCATE", "GRANT", "REVOKE", "ALTER");

    /** Functions with side effects on the server or its files, refused in read tools (PostgreSQL names). */
    public static final Set<String> DEFAULT_DENIED_FUNCTIONS = Set.of("pg_terminate_backend", "pg_cancel_backend",
            "pg_reload_conf", "pg_rotate_logfile", "pg_read_file", "pg_read_binary_file", "pg_ls_dir",
            "pg_stat_file", "lo_import", "lo_export", "dblink", "dblink_exec", "set_config", "nextval", "setval",
            "pg_advisory_lock", "pg_sleep", "query_to_xml", "copy");

    private static final long PARSE_TIMEOUT_MILLIS = 2000;

    private final Set<String> denied;
    private final Set<String> deniedFunctions;

    public SqlPolicy(Set<String> denied, Set<String> deniedFunctions) {
        this.denied = upper(denied);
        this.deniedFunctions = lower(deniedFunctions);
    }

    public static SqlPolicy defaults() {
        return new SqlPolicy(DEFAULT_DENIED, DEFAULT_DENIED_FUNCTIONS);
    }

    /**
     * The kind of a statement as policies name it: its parser class in upper case ({@code SELECT},
     * {@code INSERT}, {@code UPDATE}, {@code DELETE}, {@code DROP}, {@code CREATETABLE} …).
     */
    public static String kind(Statement statement) {
        if (statement instanceof Select) {
            // PlainSelect, SetOperationList, ParenthesedSelect, Values …: all queries, named as policies name them
            return "SELECT";
        }
        return statement.getClass().getSimpleName().toUpperCase(Locale.ROOT);
    }

    /**
     * @param argument the argument's name, for messages
     * @param sql its value
     * @param mode the tool's mode
     * @param toolDenied statement kinds the tool's own policy refuses besides the global ones
     * @throws SluiceException {@link ErrorKind#SQL_REFUSED} naming the argument and the reason
     */
    public void check(String argument, String sql, ToolMode mode, Set<String> toolDenied) {
        if (sql == null || sql.isBlank()) {
            throw refused(argument, "is empty", "empty");
        }
        Statements statements;
        try {
            statements = CCJSqlParserUtil.parseStatements(sql,
                    parser -> parser.withTimeOut(PARSE_TIMEOUT_MILLIS).withAllowComplexParsing(true));
        } catch (JSQLParserException e) {
            throw refused(argument, "is not valid SQL: " + firstLine(e), "parse-error");
        } catch (RuntimeException e) {
            throw refused(argument, "could not be parsed: " + e.getClass().getSimpleName(), "parse-error");
        }
        if (statements == null || statements.isEmpty()) {
            throw refused(argument, "holds no SQL statement", "empty");
        }
        if (statements.size() > 1) {
            throw refused(argument, "holds " + statements.size() + " statements; one statement per call",
                    "multiple-statements");
        }
        Statement statement = statements.get(0);
        String kind = kind(statement);
        Set<String> refusedKinds = new LinkedHashSet<>(denied);
        refusedKinds.addAll(upper(toolDenied));
        if (refusedKinds.contains(kind) || refusedKinds.stream().anyMatch(k -> kind.startsWith(k))) {
            throw refused(argument, "is a " + kind + " statement, which this tool refuses", "denied-statement");
        }
        if (mode == ToolMode.READ) {
            readOnly(argument, statement, kind);
        }
    }

    private void readOnly(String argument, Statement statement, String kind) {
        if (!(statement instanceof Select select)) {
            throw refused(argument, "is a " + kind + " statement; this tool is read-only and takes queries only",
                    "not-read-only");
        }
        checkSelect(argument, select);
        Set<String> functions = new TreeSet<>();
        TablesNamesFinder<Void> finder = new TablesNamesFinder<>() {
            @Override
            public <S> Void visit(Function function, S context) {
                if (function.getName() != null) {
                    String name = function.getName().toLowerCase(Locale.ROOT);
                    int dot = name.lastIndexOf('.');
                    functions.add(dot >= 0 ? name.substring(dot + 1) : name);
                }
                return super.visit(function, context);
            }
        };
        finder.getTablesOrOtherSources(statement);
        functions.retainAll(deniedFunctions);
        if (!functions.isEmpty()) {
            throw refused(argument, "calls " + String.join(", ", functions)
                    + ", which a read-only tool may not call", "denied-function");
        }
    }

    private void checkSelect(String argument, Select select) {
        if (select.getWithItemsList() != null) {
            for (WithItem<?> with : select.getWithItemsList()) {
                // getSelect() casts: for a DELETE/INSERT/UPDATE … RETURNING part it throws ClassCastException
                if (!(with.getParenthesedStatement() instanceof ParenthesedSelect query)) {
                    throw refused(argument, "has a WITH part that changes data; this tool is read-only",
                            "not-read-only");
                }
                checkSelect(argument, query);
            }
        }
        if (select.getForMode() != null || select.getForUpdateTable() != null) {
            throw refused(argument, "locks rows (FOR UPDATE/SHARE); this tool is read-only", "not-read-only");
        }
        if (select instanceof PlainSelect plain) {
            if (plain.getIntoTables() != null && !plain.getIntoTables().isEmpty()) {
                throw refused(argument, "is SELECT … INTO, which creates a table; this tool is read-only",
                        "not-read-only");
            }
        } else if (select instanceof SetOperationList set) {
            for (Select part : set.getSelects()) {
                checkSelect(argument, part);
            }
        } else if (select instanceof ParenthesedSelect parenthesed && parenthesed.getSelect() != null) {
            checkSelect(argument, parenthesed.getSelect());
        }
    }

    private static SluiceException refused(String argument, String why, String reason) {
        return new SluiceException(ErrorKind.SQL_REFUSED, "argument '" + argument + "' " + why,
                reason == null ? null : Json.object().put("field", argument).put("reason", reason), null);
    }

    private static String firstLine(JSQLParserException e) {
        String message = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                : String.valueOf(e.getMessage());
        String line = message.strip().lines().findFirst().orElse(message);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static Set<String> upper(Set<String> values) {
        Set<String> out = new LinkedHashSet<>();
        values.forEach(v -> out.add(v.strip().toUpperCase(Locale.ROOT)));
        return out;
    }

    private static Set<String> lower(Set<String> values) {
        Set<String> out = new LinkedHashSet<>();
        values.forEach(v -> out.add(v.strip().toLowerCase(Locale.ROOT)));
        return out;
    }
}
