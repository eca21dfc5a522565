#!/usr/bin/env python3
"""The SQL guard's oracle: PostgreSQL's own parser (pglast) re-reads what the guard accepted.

Usage: oracle.py [--unparsable-ok] FILE.json

FILE holds either a JSON list of statements, or an object {"statements": [...], "allowed": [...]}
where "allowed" is the guard's effective allow-list (its built-in list plus configuration, less the
deny-list). With a bare list the built-in list is read from read-functions.txt in modules/security.

For every statement it asserts what the guard promises a read tool: PostgreSQL reads exactly one
statement; it is a SelectStmt (a query: SELECT, set operation, VALUES, TABLE, WITH ... SELECT); there
is no INTO clause, no locking clause and no data-changing statement (INSERT, UPDATE, DELETE, MERGE)
anywhere in the tree; every FuncCall anywhere names, unqualified or qualified by pg_catalog only, a
function on the allow-list; every TABLESAMPLE method is bernoulli or system; every operator named with
a schema names pg_catalog. Prints each failure and exits 1 if there is any, else prints a summary.
"""
import json
import pathlib
import sys

from pglast import ast, parse_sql
from pglast.parser import ParseError
from pglast.visitors import Visitor

ALLOW_FILE = (pathlib.Path(__file__).resolve().parents[2] / "modules/security/src/main/resources"
              / "dev/sluice/security/internal/read-functions.txt")
CHANGES = (ast.InsertStmt, ast.UpdateStmt, ast.DeleteStmt, ast.MergeStmt)


def builtin_allow_list():
    names = set()
    for line in ALLOW_FILE.read_text(encoding="utf-8").splitlines():
        names.update(line.split("#", 1)[0].split())
    return names


class Checker(Visitor):
    def __init__(self, allowed):
        super().__init__()
        self.allowed = allowed
        self.problems = []

    def visit_SelectStmt(self, ancestors, node):
        if node.intoClause is not None:
            self.problems.append("SELECT ... INTO")
        if node.lockingClause:
            self.problems.append("a locking clause (FOR UPDATE/SHARE)")

    def visit_InsertStmt(self, ancestors, node):
        self.problems.append("a data-changing statement inside: INSERT")

    def visit_UpdateStmt(self, ancestors, node):
        self.problems.append("a data-changing statement inside: UPDATE")

    def visit_DeleteStmt(self, ancestors, node):
        self.problems.append("a data-changing statement inside: DELETE")

    def visit_MergeStmt(self, ancestors, node):
        self.problems.append("a data-changing statement inside: MERGE")

    def visit_FuncCall(self, ancestors, node):
        parts = [n.sval for n in node.funcname]
        name = parts[-1]
        schema = parts[:-1]
        if schema not in ([], ["pg_catalog"]):
            self.problems.append("a call of %s, outside pg_catalog" % ".".join(parts))
        elif name not in self.allowed:
            self.problems.append("a call of %s, not on the allow-list" % ".".join(parts))

    def visit_RangeTableSample(self, ancestors, node):
        method = [n.sval for n in node.method]
        if method not in (["bernoulli"], ["system"]):
            self.problems.append("the TABLESAMPLE method %s" % ".".join(method))

    def visit_A_Expr(self, ancestors, node):
        names = [n.sval for n in (node.name or ()) if isinstance(n, ast.String)]
        if len(names) > 1 and names[:-1] != ["pg_catalog"]:
            self.problems.append("the operator %s, outside pg_catalog" % ".".join(names))


class Unparsable(Exception):
    pass


def check(sql, allowed):
    """The problems PostgreSQL's reading of sql shows, empty when the guard was right to accept it."""
    try:
        statements = parse_sql(sql)
    except ParseError as e:
        raise Unparsable("PostgreSQL cannot parse it: %s" % e)
    if len(statements) != 1:
        return ["PostgreSQL reads %d statements" % len(statements)]
    stmt = statements[0].stmt
    if not isinstance(stmt, ast.SelectStmt):
        return ["PostgreSQL reads a %s, not a query" % type(stmt).__name__]
    checker = Checker(allowed)
    checker(stmt)
    return checker.problems


def main(argv):
    args = argv[1:]
    unparsable_ok = "--unparsable-ok" in args
    args = [a for a in args if a != "--unparsable-ok"]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    data = json.loads(pathlib.Path(args[0]).read_text(encoding="utf-8"))
    if isinstance(data, dict):
        statements = data["statements"]
        allowed = set(data["allowed"]) if "allowed" in data else builtin_allow_list()
    else:
        statements, allowed = data, builtin_allow_list()
    failures = 0
    unparsable = 0
    for sql in statements:
        try:
            problems = check(sql, allowed)
        except Unparsable as e:
            unparsable += 1
            if unparsable_ok:
                continue
            problems = [str(e)]
        if problems:
            failures += 1
            print("ORACLE DISAGREES: the guard accepted %s\n  but PostgreSQL's parser finds: %s"
                  % (json.dumps(sql, ensure_ascii=False), "; ".join(dict.fromkeys(problems))))
    if failures:
        print("oracle: %d of %d accepted statements are not read-only queries of allow-listed functions"
              % (failures, len(statements)))
        return 1
    note = " (%d of them PostgreSQL cannot parse, so they run nothing)" % unparsable if unparsable_ok else ""
    print("oracle: all %d accepted statements are single read-only queries calling only allow-listed functions%s"
          % (len(statements), note))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
