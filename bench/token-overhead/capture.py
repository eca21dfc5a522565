#!/usr/bin/env python3
"""Captures the tool results of the token-overhead benchmark's tasks from the real MCP servers.

Reads a tasks spec (bench/token-overhead/tasks-spec.json): how each server is launched (as the built-in
catalog launches it), the scratch data to seed, and per task the tool calls of each step and the final
answer. Seeds the data, calls every tool once over stdio (the MCP client of scripts/mcp-probe.py), and
writes tasks.json with each call's real result as Sluice hands it to a model (the text parts joined by
newlines, else the structured content, else the content, as JSON: PipelineToolGateway.text).

Scratch data, all removed at the end (also on failure or Ctrl-C):
  - PostgreSQL: the database $BENCH_PG_DB (default sluice_bench_tokens), created (dropped first if it
    is left from an earlier run) through $BENCH_PG_ADMIN_URI (default
    postgresql://sluice:sluice@localhost:5432/postgres) with psql, and dropped afterwards;
  - Redis: the spec's keys in $BENCH_REDIS_URL (default redis://localhost:6379/9), set with redis-cli
    (the capture stops if one exists already) and deleted afterwards;
  - Milvus Lite and Qdrant: a fresh file and path in a temporary directory (${SCRATCH}).
The DuckDB warehouse and the CSV files of ${MCP_HOME}/data are only read (motherduck opens DuckDB files
read-only by default).

Every call must be in its role's tool subset (the servers and globs of db-migrations/V2__agent_profiles.sql
over the federated tools file) and must succeed, else the capture fails. Results longer than Sluice's
sluice.agents.max-result-chars (6000) are reported: a run would cut them.

Usage: python3 bench/token-overhead/capture.py [--spec FILE] [--out FILE] [--tools FILE]
                                               [--profiles FILE] [--print]
  --print   also print every result (to write or check the answers)
Needs: Python 3.11+, psql and redis-cli, the servers installed by scripts/install-mcp-servers.sh.
"""
from __future__ import annotations

import argparse
import datetime
import fnmatch
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAX_RESULT_CHARS = 6000


def say(msg: str) -> None:
    print(f"capture: {msg}", file=sys.stderr, flush=True)


def load_probe():
    spec = importlib.util.spec_from_file_location("mcp_probe", os.path.join(REPO, "scripts", "mcp-probe.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---- the roles' subsets, from the migration that seeds them ----

def sql_values(sql: str) -> tuple[list[str], list[list]]:
    """The columns and value tuples of the INSERT INTO agent_profiles of a migration."""
    m = re.search(r"INSERT INTO agent_profiles\s*\(([^)]*)\)\s*VALUES", sql, re.IGNORECASE)
    if not m:
        raise SystemExit("capture: no INSERT INTO agent_profiles in the profiles file")
    columns = [c.strip() for c in m.group(1).split(",")]
    rows, row, i, depth = [], None, m.end(), 0
    while i < len(sql):
        c = sql[i]
        if c == "'":
            j, buf = i + 1, []
            while True:
                if sql[j] == "'" and j + 1 < len(sql) and sql[j + 1] == "'":
                    buf.append("'"); j += 2
                elif sql[j] == "'":
                    break
                else:
                    buf.append(sql[j]); j += 1
            row.append("".join(buf)); i = j + 1
        elif c == "(":
            depth += 1; row = []; i += 1
        elif c == ")":
            depth -= 1; rows.append(row); i += 1
        elif c == ";" and depth == 0:
            break
        elif c.isalnum() or c == "_":
            j = i
            while j < len(sql) and (sql[j].isalnum() or sql[j] in "_."):
                j += 1
            row.append(sql[i:j]); i = j
        else:
            i += 1
    return columns, rows


def load_profiles(path: str) -> dict[str, dict]:
    with open(path, encoding="utf-8") as f:
        columns, rows = sql_values(f.read())
    profiles = {}
    for row in rows:
        p = dict(zip(columns, row))
        profiles[p["role_name"]] = {
            "servers": [s.strip() for s in p["servers_csv"].split(",") if s.strip()],
            "tools": [t.strip() for t in p["tools_csv"].split(",") if t.strip()],
        }
    return profiles


def glob_match(name: str, glob: str) -> bool:  # VirtualServer.includes: * and ? only
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob)
    return re.fullmatch(regex, name, re.DOTALL) is not None


def in_subset(profile: dict, tool: dict) -> bool:
    servers, globs = profile["servers"], profile["tools"]
    if not globs:
        return False
    return (not servers or tool["server"] in servers) and any(glob_match(tool["name"], g) for g in globs)


# ---- placeholders ----

def substitute(value, names: dict[str, str]):
    if isinstance(value, str):
        return re.sub(r"\$\{([A-Z_]+)\}", lambda m: names[m.group(1)] if m.group(1) in names else m.group(0), value)
    if isinstance(value, list):
        return [substitute(v, names) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, names) for k, v in value.items()}
    return value


def model_text(result: dict) -> str:
    """PipelineToolGateway.text: the text parts, else the structured content, else the content, as JSON."""
    out = ""
    for c in result.get("content") or []:
        if isinstance(c, dict) and c.get("type") == "text":
            if out:
                out += "\n"
            out += str(c.get("text", ""))
    if out:
        return out
    if "structuredContent" in result:
        return json.dumps(result["structuredContent"], ensure_ascii=False, separators=(",", ":"))
    return json.dumps(result.get("content") or [], ensure_ascii=False, separators=(",", ":"))


# ---- the servers ----

class Sessions:
    def __init__(self, probe, specs: dict, names: dict[str, str]):
        self.probe, self.specs, self.names = probe, specs, names
        self.open: dict[str, object] = {}
        self.info: dict[str, dict] = {}

    def get(self, server: str):
        if server in self.open:
            return self.open[server]
        if server not in self.specs:
            raise SystemExit(f"capture: the spec does not say how to launch the server '{server}'")
        spec = substitute(self.specs[server], self.names)
        cmd = [spec["command"], *spec.get("args", [])]
        if not os.path.exists(cmd[0]):
            raise SystemExit(f"capture: {cmd[0]} is not installed: run scripts/install-mcp-servers.sh first")
        env = dict(os.environ)
        env.update(spec.get("env", {}))
        say(f"starting {server}")
        s = self.probe.Server(cmd, env, None)
        self.open[server] = s
        deadline = time.monotonic() + 180
        try:
            r = s.request("initialize", {"protocolVersion": self.probe.PROTOCOL_VERSION, "capabilities": {},
                                         "clientInfo": {"name": "sluice-token-overhead-capture", "version": "1.0"}},
                          deadline)
        except self.probe.ProbeError as e:
            raise SystemExit(f"capture: {server} did not initialize: {e}\n{s.stderr_tail()}") from None
        if "error" in r:
            raise SystemExit(f"capture: {server} refused initialize: {r['error']}")
        self.info[server] = (r.get("result") or {}).get("serverInfo") or {}
        s.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return s

    def call(self, server: str, tool: str, arguments: dict) -> tuple[str, bool]:
        s = self.get(server)
        try:
            r = s.request("tools/call", {"name": tool, "arguments": arguments}, time.monotonic() + 180)
        except self.probe.ProbeError as e:
            raise SystemExit(f"capture: {server} did not answer tools/call {tool}: {e}\n{s.stderr_tail()}") from None
        if "error" in r:
            return f"JSON-RPC error: {json.dumps(r['error'])}", True
        result = r.get("result") or {}
        return model_text(result), bool(result.get("isError"))

    def close(self) -> None:
        for server, s in list(self.open.items()):
            s.close()
            del self.open[server]


# ---- scratch data ----

def run(cmd: list[str], env: dict | None = None, stdin: str | None = None) -> str:
    p = subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise SystemExit(f"capture: {' '.join(cmd[:3])} … failed ({p.returncode}): {p.stderr.strip()}")
    return p.stdout


class Postgres:
    def __init__(self, admin_uri: str, db: str):
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", db):
            raise SystemExit(f"capture: BENCH_PG_DB must be a plain lower-case name, not {db!r}")
        self.admin, self.db = admin_uri, db
        u = urllib.parse.urlsplit(admin_uri)
        self.uri = urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + db, u.query, u.fragment))
        self.created = False

    def psql(self, uri: str, sql: str) -> None:
        run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", uri], stdin=sql)

    def create(self, statements: list[str]) -> None:
        self.psql(self.admin, f"DROP DATABASE IF EXISTS {self.db} WITH (FORCE);\nCREATE DATABASE {self.db};\n")
        self.created = True
        self.psql(self.uri, "".join(s.rstrip().rstrip(";") + ";\n" for s in statements))

    def drop(self) -> None:
        if self.created:
            self.psql(self.admin, f"DROP DATABASE IF EXISTS {self.db} WITH (FORCE);\n")
            self.created = False


class Redis:
    def __init__(self, url: str):
        self.url = url
        self.keys: list[str] = []

    def cli(self, *args: str) -> str:
        return run(["redis-cli", "-u", self.url, *args]).strip()

    def seed(self, commands: list[list[str]]) -> None:
        keys = list(dict.fromkeys(c[1] for c in commands))
        taken = [k for k in keys if self.cli("EXISTS", k) != "0"]
        if taken:
            raise SystemExit(f"capture: {', '.join(taken)} exist(s) already in {self.url}; delete them or set "
                             "BENCH_REDIS_URL to another database")
        for c in commands:
            self.keys.append(c[1])
            self.cli(*c)

    def clean(self) -> None:
        if self.keys:
            self.cli("DEL", *dict.fromkeys(self.keys))
            self.keys = []


# ---- main ----

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--spec", default=os.path.join(here, "tasks-spec.json"))
    ap.add_argument("--out", default=os.path.join(here, "tasks.json"))
    ap.add_argument("--tools", default=os.path.join(REPO, "bench", "data", "federated-tools-default.json"))
    ap.add_argument("--profiles", default=os.path.join(REPO, "db-migrations", "V2__agent_profiles.sql"))
    ap.add_argument("--print", action="store_true", help="print every result")
    ns = ap.parse_args()

    for tool in ("psql", "redis-cli"):
        if shutil.which(tool) is None:
            raise SystemExit(f"capture: {tool} is needed")
    with open(ns.spec, encoding="utf-8") as f:
        spec = json.load(f)
    with open(ns.tools, encoding="utf-8") as f:
        raw = json.load(f)
    tools = {t["name"]: t for t in (raw["tools"] if isinstance(raw, dict) else raw)}
    profiles = load_profiles(ns.profiles)

    # every call in its role's subset, before anything starts
    problems = []
    for i, task in enumerate(spec["tasks"]):
        profile = profiles.get(task["role"])
        if profile is None:
            problems.append(f"task {i + 1}: no profile for the role '{task['role']}'")
            continue
        for step in task["steps"]:
            for c in step["toolCalls"]:
                t = tools.get(c["name"])
                if t is None:
                    problems.append(f"task {i + 1}: {c['name']} is not in {os.path.basename(ns.tools)}")
                elif not in_subset(profile, t):
                    problems.append(f"task {i + 1}: {c['name']} is not among the tools of {task['role']}")
    for c in spec["setup"].get("calls", []):
        if c["name"] not in tools:
            problems.append(f"setup: {c['name']} is not in {os.path.basename(ns.tools)}")
    if problems:
        raise SystemExit("capture: " + "\n  ".join(["the spec does not fit:"] + problems))

    scratch = tempfile.mkdtemp(prefix="sluice-token-overhead.")
    pg = Postgres(os.environ.get("BENCH_PG_ADMIN_URI", "postgresql://sluice:sluice@localhost:5432/postgres"),
                  os.environ.get("BENCH_PG_DB", "sluice_bench_tokens"))
    redis = Redis(os.environ.get("BENCH_REDIS_URL", "redis://localhost:6379/9"))
    names = {"MCP_HOME": os.environ.get("SLUICE_MCP_HOME") or os.path.join(REPO, ".mcp-servers"),
             "SCRATCH": scratch, "PG_URI": pg.uri, "REDIS_URL": redis.url}
    sessions = Sessions(load_probe(), spec["servers"], names)

    def stop(signum, _frame):
        raise SystemExit(f"capture: interrupted by signal {signum}")
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    out_tasks, warnings = [], []
    try:
        say(f"seeding PostgreSQL database {pg.db}, Redis keys in {redis.url}, scratch files in {scratch}")
        pg.create(spec["setup"].get("postgres", []))
        redis.seed(spec["setup"].get("redis", []))
        for c in spec["setup"].get("calls", []):
            t = tools[c["name"]]
            text, error = sessions.call(t["server"], t["tool"], substitute(c["arguments"], names))
            if error:
                raise SystemExit(f"capture: setup call {c['name']} failed: {text}")

        for i, task in enumerate(spec["tasks"]):
            steps = []
            for step in task["steps"]:
                calls, results = [], []
                for c in step["toolCalls"]:
                    t = tools[c["name"]]
                    arguments = substitute(c["arguments"], names)
                    text, error = sessions.call(t["server"], t["tool"], arguments)
                    if error and not c.get("expectError"):
                        raise SystemExit(f"capture: task {i + 1} ({task['role']}): {c['name']} failed: {text}")
                    if len(text) > MAX_RESULT_CHARS:
                        warnings.append(f"task {i + 1}: the result of {c['name']} has {len(text)} characters; "
                                        f"Sluice cuts results at {MAX_RESULT_CHARS}")
                    calls.append({"name": c["name"], "arguments": arguments})
                    results.append(text)
                    if ns.print:
                        print(f"--- task {i + 1} ({task['role']}) {c['name']} {json.dumps(arguments)}\n{text}\n")
                steps.append({"toolCalls": calls, "results": results})
            answer = substitute(task["answer"], names)
            everything = "\n".join(r for s in steps for r in s["results"])
            for q in task.get("answerQuotes", []):
                if q not in everything:
                    warnings.append(f"task {i + 1}: the answer quotes {q!r}, which is no longer in the results")
            out_tasks.append({"role": task["role"], "task": task["task"], "steps": steps, "answer": answer})
    finally:
        sessions.close()
        try:
            redis.clean()
        finally:
            pg.drop()
            shutil.rmtree(scratch, ignore_errors=True)

    document = {
        "about": "Written by bench/token-overhead/capture.py from " + os.path.relpath(ns.spec, REPO)
                 + ": every result is the real text of the call, as Sluice hands it to a model. Do not edit; "
                   "change the spec and capture again.",
        "capturedAt": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "servers": {k: f"{v.get('name', '?')} {v.get('version', '?')}" for k, v in sorted(sessions.info.items())},
        "tasks": out_tasks,
    }
    with open(ns.out, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=2, ensure_ascii=False)
        f.write("\n")
    calls = sum(len(s["toolCalls"]) for t in out_tasks for s in t["steps"])
    say(f"wrote {os.path.relpath(ns.out)}: {len(out_tasks)} tasks, {calls} tool calls")
    for w in warnings:
        say("warning: " + w)
    return 0


if __name__ == "__main__":
    sys.exit(main())
