#!/usr/bin/env bash
# Installs the SQL guard's oracle (pglast, PostgreSQL's own parser as a Python library) into a venv at
# .sql-oracle/venv in the repo root, for SqlGuardOracleTest (modules/security). Idempotent: does nothing
# when the venv already has pglast 8.7. Prints one line on success; on failure, pip's output.
set -euo pipefail
repo_root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$repo_root/.sql-oracle/venv"
pin="8.7"

if [[ -x $venv/bin/python ]] && "$venv/bin/python" -c "import sys, importlib.metadata as m, pglast; sys.exit(m.version('pglast') != '$pin')" 2>/dev/null; then
  echo "sql oracle: up to date (.sql-oracle/venv, pglast $pin)"
  exit 0
fi

# pglast 8.7 ships wheels for CPython 3.9-3.13
source "$repo_root/scripts/lib/find-python.sh"
find_python 3.9 3.13 "${SLUICE_ORACLE_PYTHON:-}" || { echo "sql oracle: no Python 3.9-3.13 found (tried:$FIND_TRIED); install one or set SLUICE_ORACLE_PYTHON" >&2; exit 1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
rm -rf "$venv"
if ! { "$FOUND_PY" -m venv "$venv" && "$venv/bin/python" -m pip install -q --disable-pip-version-check "pglast==$pin"; } >"$log" 2>&1; then
  cat "$log" >&2
  rm -rf "$venv"
  echo "sql oracle: installing pglast==$pin into .sql-oracle/venv failed" >&2
  exit 1
fi
echo "sql oracle: installed pglast $pin in .sql-oracle/venv ($("$venv/bin/python" --version))"
