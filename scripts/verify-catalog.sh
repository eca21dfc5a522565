#!/usr/bin/env bash
# Verifies the catalog of a running Sluice: starts every enabled upstream server (or the ones named),
# lists its tools and resources, runs its documented smoke call through Sluice's pipeline, and prints
# the table (server, tier, category, status, tools, resources, smoke call, start time, why not verified)
# with the total of tools reachable through Sluice. It calls POST /api/v1/catalog/verify, an admin action.
#
# Usage: scripts/verify-catalog.sh [--url URL] [--key KEY] [--server NAME]... [--json] [--out FILE]
#   --url URL      Sluice's base URL (default $SLUICE_URL or http://localhost:9080)
#   --key KEY      an admin or owner API key (default $SLUICE_API_KEY, else the bootstrap-owner.key
#                  that a first start of `mvn -Prun` wrote into modules/app/target/liberty/...)
#   --server NAME  verify just this server (repeatable; default every enabled one)
#   --json         print the JSON report instead of the Markdown table
#   --out FILE     also write the output to FILE
# Exit codes: 0 = the report was produced (whatever the rows say), 1 = Sluice refused or failed,
#             2 = bad usage or no key found.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
url=${SLUICE_URL:-http://localhost:9080}
key=${SLUICE_API_KEY:-}
format=markdown
out=""
query=""

die() { echo "verify-catalog: $*" >&2; exit 2; }

while [[ $# -gt 0 ]]; do
  case $1 in
    --url) [[ $# -ge 2 ]] || die "--url needs a value"; url=$2; shift 2 ;;
    --key) [[ $# -ge 2 ]] || die "--key needs a value"; key=$2; shift 2 ;;
    --server) [[ $# -ge 2 ]] || die "--server needs a name"
              query+="${query:+&}server=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1]))' "$2")"
              shift 2 ;;
    --json) format=json; shift ;;
    --out) [[ $# -ge 2 ]] || die "--out needs a file"; out=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

if [[ -z $key ]]; then
  keyfile=$repo_root/modules/app/target/liberty/wlp/usr/servers/sluice/bootstrap-owner.key
  [[ -r $keyfile ]] || die "no key: pass --key, set SLUICE_API_KEY, or start Sluice once so that $keyfile exists"
  key=$(<"$keyfile")
fi

[[ $format == markdown ]] && query+="${query:+&}format=markdown"
body=$(mktemp)
trap 'rm -f "$body"' EXIT
# the key goes in a header read from stdin, so it never shows in the process list
status=$(printf 'Authorization: Bearer %s\n' "$key" | curl -sS -o "$body" -w '%{http_code}' --max-time 900 \
  -H @- -X POST "${url%/}/api/v1/catalog/verify${query:+?$query}") || {
  echo "verify-catalog: no answer from $url" >&2; exit 1; }
if [[ $status != 200 ]]; then
  echo "verify-catalog: Sluice answered HTTP $status:" >&2
  cat "$body" >&2; echo >&2
  exit 1
fi
cat "$body"
[[ -z $out ]] || cp "$body" "$out"
