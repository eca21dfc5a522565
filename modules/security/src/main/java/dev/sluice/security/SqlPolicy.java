package dev.sluice.security;

import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.SluiceException;
import dev.sluice.core.ToolMode;
import dev.sluice.security.internal.PgLexer;
import dev.sluice.security.internal.PgQueryCheck;
import dev.sluice.security.internal.PgToken;
import dev.sluice.security.internal.ReadFunctions;
import dev.sluice.security.internal.SqlRefusal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
 * Holds the SQL argument of a tool to the tool's policy, and fails closed: what the guard cannot
 * account for is refused. Two readings must agree. The authoritative one is a PostgreSQL-faithful
 * lexer of the guard's own ({@link PgLexer}: comments, nested comments, every kind of string and
 * dollar quote, quoted and {@code U&"…"} identifiers read as the server reads them), from whose tokens
 * come the statement count (no {@code ;} but one at the end) and, for a read tool, the checks that
 * the statement is a query with no data-changing {@code WITH} part, no {@code SELECT … INTO} and no
 * row locks, and that every call site {@code name (} or {@code pg_catalog.name (} anywhere in it
 * (every clause, every subquery) names a function on the allow-list ({@link #builtInAllowedFunctions()}
 * plus configured additions) and not on the deny-list. The second is JSqlParser's: it must read one
 * statement, of a kind the tool allows, and for a read tool a query with the same properties.
 * Statement kinds denied by configuration or by the tool are refused for every tool.
 */
public final class SqlPolicy {

    /** Refused for every SQL tool unless configuration says otherwise. */
    public static final Set<String> DEFAULT_DENIED = Set.of("DROP", "TRUNCATE", "GRANT", "REVOKE", "ALTER");

    /**
     * Functions with side effects on the server, its files, other sessions or the network, refused in
     * read tools even when an allow-list names them (PostgreSQL names).
     */
    public static final Set<String> DEFAULT_DENIED_FUNCTIONS = Set.of(
            // sessions, configuration, logs
            "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf", "pg_rotate_logfile",
            "pg_log_backend_memory_contexts", "set_config", "current_setting", "setseed",
            // files
            "pg_read_file", "pg_read_binary_file", "pg_ls_dir", "pg_stat_file", "pg_ls_logdir", "pg_ls_waldir",
            "pg_ls_tmpdir", "pg_ls_archive_statusdir", "pg_ls_logicalsnapdir", "pg_ls_logicalmapdir",
            "pg_ls_replslotdir", "pg_file_write", "pg_file_rename", "pg_file_unlink", "pg_file_sync",
            "lo_import", "lo_export", "copy",
            // large objects
            "lo_from_bytea", "lo_create", "lo_creat", "lo_unlink", "lo_put", "lo_get", "lo_open", "lo_close",
            "lowrite", "loread", "lo_truncate", "lo_truncate64", "lo_lseek", "lo_lseek64", "lo_tell",
            "lo_tell64",
            // other servers
            "dblink", "dblink_exec", "dblink_connect", "dblink_connect_u", "dblink_send_query", "dblink_open",
            "dblink_fetch", "dblink_close", "dblink_get_result", "dblink_disconnect", "dblink_get_notify",
            "dblink_cancel_query",
            // sequences, transaction ids (assigning one writes), notifications, waits, locks
            "nextval", "setval", "currval", "lastval", "txid_current", "pg_current_xact_id",
            "pg_notify", "pg_sleep", "pg_sleep_for", "pg_sleep_until",
            "pg_advisory_lock", "pg_advisory_lock_shared", "pg_advisory_xact_lock", "pg_advisory_xact_lock_shared",
            "pg_try_advisory_lock", "pg_try_advisory_lock_shared", "pg_try_advisory_xact_lock",
            "pg_try_advisory_xact_lock_shared", "pg_advisory_unlock", "pg_advisory_unlock_shared",
            "pg_advisory_unlock_all",
            // statistics, WAL, replication, backups
            "pg_stat_reset", "pg_stat_reset_shared", "pg_stat_reset_single_table_counters",
            "pg_stat_reset_single_function_counters", "pg_stat_reset_slru", "pg_stat_reset_replication_slot",
            "pg_stat_statements_reset", "pg_switch_wal", "pg_create_restore_point", "pg_logical_emit_message",
            "pg_create_physical_replication_slot", "pg_create_logical_replication_slot",
            "pg_drop_replication_slot", "pg_promote", "pg_backup_start", "pg_backup_stop", "pg_start_backup",
            "pg_stop_backup", "pg_export_snapshot", "pg_import_system_collations",
            // SQL in a string
            "query_to_xml", "query_to_xmlschema", "query_to_xml_and_xmlschema", "cursor_to_xml",
            "cursor_to_xmlschema", "table_to_xml", "table_to_xmlschema", "table_to_xml_and_xmlschema",
            "schema_to_xml", "database_to_xml");

    private static final long PARSE_TIMEOUT_MILLIS = 2000;

    private final Set<String> denied;
    private final Set<String> deniedFunctions;
    private final Set<String> allowedFunctions;

    /**
     * @param denied statement kinds refused for every SQL tool
     * @param deniedFunctions functions a read tool may never call
     */
    public SqlPolicy(Set<String> denied, Set<String> deniedFunctions) {
        this(denied, deniedFunctions, Set.of());
    }

    /**
     * @param denied statement kinds refused for every SQL tool
     * @param deniedFunctions functions a read tool may never call, even when allowed
     * @param extraAllowedFunctions functions a read tool may call besides the built-in allow-list
     *     (unqualified or {@code pg_catalog.} names)
     * @throws IllegalArgumentException for an allowed function qualified by another schema
     */
    public SqlPolicy(Set<String> denied, Set<String> deniedFunctions, Set<String> extraAllowedFunctions) {
        this.denied = upper(denied);
        this.deniedFunctions = functionNames(deniedFunctions);
        Set<String> allowed = new TreeSet<>(ReadFunctions.builtIn());
        allowed.addAll(functionNames(extraAllowedFunctions));
        this.allowedFunctions = Set.copyOf(allowed);
    }

    public static SqlPolicy defaults() {
        return new SqlPolicy(DEFAULT_DENIED, DEFAULT_DENIED_FUNCTIONS);
    }

    /** The PostgreSQL built-ins a read tool may call unless configuration adds to them. */
    public static Set<String> builtInAllowedFunctions() {
        return ReadFunctions.builtIn();
    }

    /** The functions this policy lets a read tool call: the allow-list less the deny-list. */
    public Set<String> allowedFunctions() {
        Set<String> out = new TreeSet<>(allowedFunctions);
        out.removeAll(deniedFunctions);
        return out;
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
        try {
            // the server reads plain '…' strings with backslash escapes when standard_conforming_strings
            // is off: a text with a backslash must pass read both ways
            List<List<PgToken>> readings = new ArrayList<>();
            readings.add(statement(PgLexer.lex(sql, false), ""));
            if (sql.indexOf('\\') >= 0) {
                // a text such a server cannot lex does not run there: only a reading it can make counts
                List<PgToken> off = null;
                try {
                    off = PgLexer.lex(sql, true);
                } catch (SqlRefusal unreadable) {
                    // PostgreSQL parses the whole text before running any of it: an error there runs nothing
                }
                if (off != null) {
                    readings.add(statement(off, " when the server reads backslashes in strings as escapes"
                            + " (standard_conforming_strings = off)"));
                }
            }
            List<PgToken> tokens = readings.get(0);
            boolean query = PgQueryCheck.startsAsQuery(tokens);
            if (mode == ToolMode.READ && query) {
                for (List<PgToken> reading : readings) {
                    PgQueryCheck.readOnly(reading, allowedFunctions, deniedFunctions);
                }
            }
            Statement statement = parse(argument, PgQueryCheck.render(tokens));
            String kind = kind(statement);
            String firstWord = PgQueryCheck.firstWord(tokens);
            Set<String> refusedKinds = new LinkedHashSet<>(denied);
            refusedKinds.addAll(upper(toolDenied));
            for (String refusedKind : refusedKinds) {
                if (!refusedKind.isEmpty() && (kind.startsWith(refusedKind) || firstWord.startsWith(refusedKind))) {
                    throw refused(argument, "is a " + (kind.startsWith(refusedKind) ? kind : firstWord)
                            + " statement, which this tool refuses", "denied-statement");
                }
            }
            if (mode == ToolMode.READ) {
                if (!query) {
                    PgQueryCheck.readOnly(tokens, allowedFunctions, deniedFunctions); // refuses: not a query
                }
                readOnly(argument, statement, kind);
            }
        } catch (SqlRefusal r) {
            throw refused(argument, r.why(), r.reason());
        }
    }

    /** The one statement of the lexer's tokens, without a trailing ';'; {@code when} ends a refusal's message. */
    private static List<PgToken> statement(List<PgToken> tokens, String when) {
        try {
            return PgQueryCheck.oneStatement(tokens);
        } catch (SqlRefusal r) {
            throw when.isEmpty() ? r : new SqlRefusal(r.reason(), r.why() + when);
        }
    }

    /** The second reading: JSqlParser's, of the lexer's rendering; it must see one statement too. */
    private static Statement parse(String argument, String sql) {
        Statements statements;
        try {
            statements = CCJSqlParserUtil.parseStatements(sql,
                    parser -> parser.withTimeOut(PARSE_TIMEOUT_MILLIS).withAllowComplexParsing(true));
        } catch (JSQLParserException e) {
            throw refused(argument, "is not valid SQL (or not SQL the guard's parser understands): " + firstLine(e),
                    "parse-error");
        } catch (RuntimeException e) {
            throw refused(argument, "could not be parsed: " + e.getClass().getSimpleName(), "parse-error");
        }
        if (statements == null || statements.isEmpty()) {
            throw refused(argument, "holds no SQL statement", "empty");
        }
        if (statements.size() > 1) {
            throw refused(argument, "holds " + statements.size() + " statements as the SQL parser reads it;"
                    + " one statement per call", "multiple-statements");
        }
        return statements.get(0);
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
        // the token check has already refused these; JSqlParser's own view of the calls, as a second check
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

    /** Function names as configured: lower case, a pg_catalog. prefix dropped; other schemas refused. */
    private static Set<String> functionNames(Set<String> values) {
        Set<String> out = new LinkedHashSet<>();
        for (String value : values) {
            String name = value.strip().toLowerCase(Locale.ROOT);
            if (name.startsWith("pg_catalog.")) {
                name = name.substring("pg_catalog.".length());
            }
            if (name.isEmpty() || name.contains(".") || name.contains("(") || name.contains(" ")) {
                throw new IllegalArgumentException("'" + value + "' is not a function name for the SQL policy:"
                        + " give a bare name (or pg_catalog.name); functions of other schemas cannot be allowed");
            }
            out.add(name);
        }
        return out;
    }
}
