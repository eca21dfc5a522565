#!/usr/bin/env bash
# Tool-call latency (p50, p99, mean) and throughput (calls/s) of the `echo` tool of
# @modelcontextprotocol/server-everything, at 1 and 16 concurrent MCP sessions, through four paths in
# one run:
#   direct        server-everything in its Streamable HTTP mode
#   sluice        a Sluice node (started here as Liberty server `sluice-bench`) federating
#                 server-everything over stdio (tool `everything__echo`)
#   supergateway  supergateway --stdio ... --outputTransport streamableHttp --stateful
#   mcp-proxy     mcp-proxy --server stream -- <server-everything stdio>
# Every client is the official TypeScript SDK client (bench/mcp-load.mjs). For each path and
# concurrency: warm-up calls, then a fixed number of measured calls spread over that many sessions.
# CPU per call is read from /proc/<pid>/stat (utime + stime) before and after each measured phase:
# "gateway" is the bridge process itself (the Sluice JVM, supergateway, mcp-proxy; children
# excluded), "upstream" the server-everything process(es) behind it (for `direct`, the server).
#
# Needs: the npm test deps   (cd tests/mcp && npm ci)
#        a built Sluice       mvn -B -DskipTests verify   (for the sluice path)
# Usage: bench/mcp-latency.sh
# Env:   CALLS        measured calls per phase (default: 2000 at 1 client, 4000 above)
#        WARMUP       warm-up calls per phase (default 200)
#        PRIME        unmeasured calls run once right after each path's processes start, at the highest
#                     concurrency, so that JITs (the JVM's above all) reach steady state (default 60000;
#                     0 to skip: a fresh JVM then costs several times its steady CPU per call)
#        CONCURRENCY  list of concurrent sessions (default "1 16")
#        PATHS        subset/order of paths (default "direct sluice supergateway mcp-proxy")
#        DIRECT_PORT, SLUICE_PORT, SLUICE_HTTPS_PORT, SUPERGATEWAY_PORT, MCP_PROXY_PORT
#                     (defaults 3911, 9190, 9553, 3912, 3913)
#        WAIT_FOR_MAVEN=0  do not wait for running Maven builds (figures will be skewed)
# Writes the table to stdout and, with the machine and versions, to bench/results/mcp-latency-<date>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_NAME=mcp-latency
. bench/lib.sh

WARMUP="${WARMUP:-200}"
PRIME="${PRIME:-60000}"
CONCURRENCY="${CONCURRENCY:-1 16}"
PATHS="${PATHS:-direct sluice supergateway mcp-proxy}"
DIRECT_PORT="${DIRECT_PORT:-3911}"
SLUICE_PORT="${SLUICE_PORT:-9190}"
SLUICE_HTTPS_PORT="${SLUICE_HTTPS_PORT:-9553}"
SUPERGATEWAY_PORT="${SUPERGATEWAY_PORT:-3912}"
MCP_PROXY_PORT="${MCP_PROXY_PORT:-3913}"

everything_js="$nm/@modelcontextprotocol/server-everything/dist/index.js"
supergateway_js="$nm/supergateway/dist/index.js"
mcp_proxy_js="$nm/mcp-proxy/dist/bin/mcp-proxy.mjs"
bench_server=sluice-bench

# ---- prerequisites ----
for p in $PATHS; do
  case "$p" in direct|sluice|supergateway|mcp-proxy) ;; *) die "unknown path '$p' in PATHS";; esac
done
require_node_deps "$everything_js" "$supergateway_js" "$mcp_proxy_js"
if [[ " $PATHS " == *" sluice "* ]]; then
  require_built_sluice
fi
command -v curl >/dev/null || die "curl is needed"

for p in $PATHS; do
  case "$p" in
    direct) port=$DIRECT_PORT;; sluice) port=$SLUICE_PORT;;
    supergateway) port=$SUPERGATEWAY_PORT;; mcp-proxy) port=$MCP_PROXY_PORT;;
  esac
  ! port_busy "$port" || die "port $port (path $p) is already in use"
done

wait_for_maven

# ---- paths ----
rows=()
notes=()

measure() { # label url tool gateway-pid upstream-pid
  local label=$1 url=$2 tool=$3 gw=$4 up=$5 c calls out
  if [ "$PRIME" -gt 0 ]; then
    c=$(printf '%s\n' $CONCURRENCY | sort -n | tail -1)
    say "$label: priming with $PRIME calls at $c client(s), not measured"
    load "$url" "$tool" "$c" "$PRIME" "$gw" "$up" 0 || die "load generator failed on $label while priming"
  fi
  for c in $CONCURRENCY; do
    if [ -n "${CALLS:-}" ]; then calls=$CALLS; elif [ "$c" -le 1 ]; then calls=2000; else calls=4000; fi
    say "$label: $c client(s), $WARMUP warm-up + $calls calls"
    load "$url" "$tool" "$c" "$calls" "$gw" "$up" || die "load generator failed on $label at $c client(s)"
    out=$(cat "$tmp/load.json")
    echo "$out" >>"$tmp/raw.jsonl"
    local errors gcpu ucpu
    errors=$(json_field "$out" errors)
    gcpu=$(json_field "$out" gatewayCpuUsPerCall); ucpu=$(json_field "$out" upstreamCpuUsPerCall)
    rows+=("| $label | $c | $calls | $(json_field "$out" callsPerSec) | $(json_field "$out" p50Ms) | $(json_field "$out" p99Ms) | $(json_field "$out" meanMs) | ${gcpu:-—} | ${ucpu:-—} | $errors |")
    if [ "$errors" != 0 ]; then
      notes+=("$label at $c client(s): $errors errors, first: $(json_field "$out" firstError)")
    fi
  done
}

everything_stdio=("$NODE" "$everything_js" stdio)
sluice_version=—

run_sluice() {
  # the peers neither cache nor limit: neither does Sluice here (bench/cache-latency.sh measures the cache)
  start_sluice "$bench_server" "$SLUICE_PORT" "$SLUICE_HTTPS_PORT" "$(everything_catalog pass)" \
    SLUICE_CACHE_ENABLED=false SLUICE_RATE_LIMIT_ENABLED=false
  MCP_AUTHORIZATION="Bearer $bench_key" measure sluice "http://127.0.0.1:$SLUICE_PORT/mcp" everything__echo "$sluice_pid" ""
  stop_sluice "$bench_server"
}

for p in $PATHS; do
  case "$p" in
    direct) run_direct;; sluice) run_sluice;; supergateway) run_supergateway;; mcp-proxy) run_mcp_proxy;;
  esac
done

# ---- report ----
java_version=$(java_version)
header="| path | clients | calls | calls/s | p50 ms | p99 ms | mean ms | gateway CPU µs/call | upstream CPU µs/call | errors |
|---|---|---|---|---|---|---|---|---|---|"
show_table "$header"

result=$(result_file mcp-latency)
{
  echo "# MCP tool-call latency and throughput, $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "\`bench/mcp-latency.sh\`: the \`echo\` tool of server-everything, called by the official TypeScript SDK"
  echo "client (one Client + StreamableHTTPClientTransport per concurrent session). Each path is first primed"
  echo "with $PRIME unmeasured calls after its processes start, then every phase has $WARMUP warm-up calls."
  echo "CPU from /proc/<pid>/stat (utime + stime, ${clk_tck} ticks/s): gateway = the bridge process itself"
  echo "(children excluded), upstream = the server-everything process(es) behind it. Client, gateway and"
  echo "upstream share the machine's cores: compare figures only within one run."
  echo
  echo "- machine: $(machine_line)"
  echo "- Java: $java_version; Node: $("$NODE" -v) (load generator, server-everything and the Node bridges)"
  echo "- server-everything $(pkg_version @modelcontextprotocol/server-everything), supergateway $(pkg_version supergateway), mcp-proxy $(pkg_version mcp-proxy), MCP TypeScript SDK $(pkg_version @modelcontextprotocol/sdk), Sluice $sluice_version"
  echo "- paths: $PATHS; concurrency: $CONCURRENCY; calls: ${CALLS:-2000 at 1 client, 4000 above}"
  echo
  result_tail "$table" "$tmp/raw.jsonl" ${notes[@]+"${notes[@]}"}
} >"$result"
say "written $result"
