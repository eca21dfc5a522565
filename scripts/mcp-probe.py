#!/usr/bin/env python3
"""Probe a stdio MCP server: start it, initialize, list its tools and optionally call one tool.

Usage:
  scripts/mcp-probe.py [--env K=V ...] [--timeout 60] [--cwd DIR]
                       [--call NAME [--args '{"k": "v"}'] [--strict-call]] -- <command> [args...]

Prints one JSON object on stdout:
  {"command", "serverInfo", "protocolVersion", "toolCount", "tools": [names], "call": result-or-error,
   "seconds", "error"?, "stderrTail"?}
Exit codes: 0 = initialize and tools/list answered (a tool error in --call is reported, not fatal);
            1 = the server did not answer initialize or tools/list (crashed, timed out, bad JSON-RPC);
            2 = the server did not answer the tools/call; 3 = --strict-call and the call returned an error;
            64 = bad usage.
Python 3.11 standard library only. Lines on the server's stdout that are not JSON are ignored
(and counted), server->client requests are answered (ping -> {}, others -> method not found).
"""
from __future__ import annotations

import argparse
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time

PROTOCOL_VERSION = "2025-06-18"


class ProbeError(Exception):
    pass


class Server:
    def __init__(self, cmd: list[str], env: dict[str, str], cwd: str | None):
        self.stderr_file = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr_file,
            env=env, cwd=cwd, start_new_session=True)
        self.lines: queue.Queue[bytes | None] = queue.Queue()
        self.next_id = 0
        self.non_json_lines = 0
        self.notifications: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)  # EOF

    def send(self, msg: dict) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write((json.dumps(msg) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as e:
            raise ProbeError(f"cannot write to the server (exit code {self.proc.poll()}): {e}") from e

    def request(self, method: str, params: dict | None, deadline: float) -> dict:
        self.next_id += 1
        rid = self.next_id
        msg = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ProbeError(f"timed out waiting for the answer to {method}")
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                raise ProbeError(f"timed out waiting for the answer to {method}") from None
            if line is None:
                self.proc.poll()
                time.sleep(0.2)
                raise ProbeError(f"the server closed stdout before answering {method} "
                                 f"(exit code {self.proc.poll()})")
            line = line.strip()
            if not line:
                continue
            try:
                m = json.loads(line)
            except ValueError:
                self.non_json_lines += 1
                continue
            if not isinstance(m, dict):
                self.non_json_lines += 1
                continue
            if "method" in m and "id" in m:  # a request from the server
                if m["method"] == "ping":
                    self.send({"jsonrpc": "2.0", "id": m["id"], "result": {}})
                else:
                    self.send({"jsonrpc": "2.0", "id": m["id"],
                               "error": {"code": -32601, "message": "method not found (mcp-probe)"}})
                continue
            if "method" in m:  # a notification
                self.notifications.append(m["method"])
                continue
            if m.get("id") == rid:
                return m
            # an answer to something else: ignore

    def stderr_tail(self, n: int = 2000) -> str:
        try:
            self.stderr_file.seek(0, os.SEEK_END)
            size = self.stderr_file.tell()
            self.stderr_file.seek(max(0, size - n))
            return self.stderr_file.read().decode(errors="replace")
        except OSError:
            return ""

    def close(self) -> None:
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=3)
            return
        except subprocess.TimeoutExpired:
            pass
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.proc.pid, sig)
            except (ProcessLookupError, PermissionError):
                return
            try:
                self.proc.wait(timeout=3)
                return
            except subprocess.TimeoutExpired:
                continue


def truncate(value, limit: int):
    """Shorten long strings inside a JSON value so the report stays readable."""
    if isinstance(value, str):
        return value if len(value) <= limit else value[:limit] + f"... [{len(value) - limit} more chars]"
    if isinstance(value, list):
        return [truncate(v, limit) for v in value]
    if isinstance(value, dict):
        return {k: truncate(v, limit) for k, v in value.items()}
    return value


def main() -> int:
    argv = sys.argv[1:]
    if "--" not in argv:
        if "-h" in argv or "--help" in argv:
            print(__doc__)
            return 0
        print("usage: mcp-probe.py [options] -- <command> [args...]  (see --help)", file=sys.stderr)
        return 64
    split = argv.index("--")
    opts, cmd = argv[:split], argv[split + 1:]
    ap = argparse.ArgumentParser(prog="mcp-probe.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--env", action="append", default=[], metavar="K=V", help="extra environment variable")
    ap.add_argument("--timeout", type=float, default=60.0, help="overall timeout in seconds (default 60)")
    ap.add_argument("--cwd", help="working directory of the server")
    ap.add_argument("--call", metavar="TOOL", help="call this tool once after tools/list")
    ap.add_argument("--args", default="{}", metavar="JSON", help="arguments of --call (JSON object)")
    ap.add_argument("--strict-call", action="store_true", help="exit 3 when the call returns an error")
    ap.add_argument("--max-text", type=int, default=600, help="truncate strings in the call result (default 600)")
    ns = ap.parse_args(opts)
    if not cmd:
        ap.error("no server command after --")
    env = dict(os.environ)
    for kv in ns.env:
        if "=" not in kv:
            ap.error(f"--env expects K=V, got {kv!r}")
        k, v = kv.split("=", 1)
        env[k] = v
    try:
        call_args = json.loads(ns.args)
        if not isinstance(call_args, dict):
            raise ValueError("not an object")
    except ValueError as e:
        ap.error(f"--args must be a JSON object: {e}")

    out: dict = {"command": cmd, "serverInfo": None, "protocolVersion": None, "toolCount": None,
                 "tools": None, "call": None}
    t0 = time.monotonic()
    deadline = t0 + ns.timeout
    code = 0
    try:
        server = Server(cmd, env, ns.cwd)
    except OSError as e:
        out["error"] = f"cannot start the server: {e}"
        out["seconds"] = round(time.monotonic() - t0, 2)
        print(json.dumps(out, indent=2))
        return 1
    stage = "initialize"
    try:
        r = server.request("initialize", {
            "protocolVersion": PROTOCOL_VERSION,
            "capabilities": {},
            "clientInfo": {"name": "sluice-mcp-probe", "version": "1.0"},
        }, deadline)
        if "error" in r:
            raise ProbeError(f"initialize failed: {r['error']}")
        res = r.get("result") or {}
        out["serverInfo"] = truncate(res.get("serverInfo"), 120)
        out["protocolVersion"] = res.get("protocolVersion")
        out["initializeSeconds"] = round(time.monotonic() - t0, 2)
        server.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

        stage = "tools/list"
        tools: list[str] = []
        cursor = None
        pages = 0
        while True:
            r = server.request("tools/list", {"cursor": cursor} if cursor else {}, deadline)
            if "error" in r:
                raise ProbeError(f"tools/list failed: {r['error']}")
            res = r.get("result") or {}
            tools += [t.get("name") for t in res.get("tools", [])]
            pages += 1
            cursor = res.get("nextCursor")
            if not cursor or pages > 100:
                break
        out["toolCount"] = len(tools)
        out["tools"] = tools

        if ns.call:
            stage = "tools/call"
            tc = time.monotonic()
            r = server.request("tools/call", {"name": ns.call, "arguments": call_args}, deadline)
            if "error" in r:
                out["call"] = {"tool": ns.call, "jsonrpcError": r["error"]}
                call_failed = True
            else:
                res = r.get("result") or {}
                out["call"] = {"tool": ns.call, "isError": bool(res.get("isError")),
                               "result": truncate(res, ns.max_text)}
                call_failed = bool(res.get("isError"))
            out["call"]["seconds"] = round(time.monotonic() - tc, 2)
            if call_failed and ns.strict_call:
                code = 3
    except ProbeError as e:
        out["error"] = f"{stage}: {e}"
        if stage == "tools/call":
            out["call"] = {"tool": ns.call, "error": str(e)}
            code = 2
        else:
            code = 1
    finally:
        server.close()
    if server.non_json_lines:
        out["nonJsonStdoutLines"] = server.non_json_lines
    if code in (1, 2):
        out["stderrTail"] = server.stderr_tail()
    out["seconds"] = round(time.monotonic() - t0, 2)
    print(json.dumps(out, indent=2))
    return code


if __name__ == "__main__":
    sys.exit(main())
