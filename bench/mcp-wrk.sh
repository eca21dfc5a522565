#!/usr/bin/env bash
# MCP tool calls driven by wrk (a C load generator, light enough not to be the bottleneck): CPU per
# call of each gateway process, throughput and latency, through several paths in one run:
#   sluice         a Sluice node (Liberty server `sluice-bench`) federating server-everything over stdio,
#                  cache off (every call reaches the upstream): the pass-through path
#   sluice-cached  the same node with `echo` marked a cached read tool: after the first call every call
#                  is answered from the cache (in-process)
#   sluice-pg, sluice-pg-cached
#                  the same two on PostgreSQL (a fresh database, sluice_bench) and Redis (the shared cache
#                  and rate-limit store, a fresh namespace) from scripts/test-services.sh; their CPU (every
#                  postgres process and redis-server) is the "services" column
#   direct         server-everything in its Streamable HTTP mode
#   supergateway   supergateway --stdio ... --outputTransport streamableHttp --stateful
#   mcp-proxy      mcp-proxy --server stream -- <server-everything stdio>
#   contextforge   IBM's ContextForge (PyPI mcp-contextforge-gateway, pinned; a Python 3.12 venv made once
#                  beside the repository), SQLite, its auth on, stateful sessions, federating
#                  server-everything's Streamable HTTP mode (bench/contextforge.sh says how it is set up)
# Each path: one MCP session opened with curl (initialize, initialized), then wrk POSTs `tools/call`
# on it from CONNECTIONS connections (bench/wrk/mcp-call.lua, every request with its own JSON-RPC id,
# a response without a "result" counts as an error). First PRIME_SECONDS unmeasured (the JVM's JIT
# reaches steady state; at Sluice's rates that is well over 60,000 calls), then DURATION seconds per
# connection count, measured. CPU from /proc/<pid>/stat (utime + stime) before and after: "gateway" is
# the bridge process itself (children excluded), "upstream" the server-everything process behind it,
# "services" the stores a gateway uses in other processes (PostgreSQL and Redis on the sluice-pg paths).
# Sluice runs on its embedded defaults (H2, in-process cache), rate limits off, audit journal on.
#
# Needs: wrk (apt-get install wrk), the npm test deps (cd tests/mcp && npm ci), a built Sluice
#        (mvn -B -DskipTests verify); for the sluice-pg paths PostgreSQL and Redis, which
#        scripts/test-services.sh installs and starts (the script runs it)
# Env:   CONNECTIONS (default "16 64"), DURATION (20), PRIME_SECONDS (45), THREADS (2),
#        PATHS (default "sluice sluice-cached sluice-pg sluice-pg-cached direct supergateway mcp-proxy
#        contextforge"), SLUICE_PORT (9190),
#        SLUICE_HTTPS_PORT (9553), DIRECT_PORT (3911), SUPERGATEWAY_PORT (3912), MCP_PROXY_PORT (3913),
#        PROFILE=1 (a JFR recording of each measured Sluice phase, bench/results/mcp-wrk-<path>-<c>.jfr),
#        SLUICE_* variables are passed to the Sluice node (SLUICE_AUDIT_JOURNAL_SYNC=off, …)
# Writes the table to stdout and, with the machine and versions, to bench/results/mcp-wrk-<date>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_NAME=mcp-wrk
. bench/lib.sh
. bench/contextforge.sh

CONNECTIONS="${CONNECTIONS:-16 64}"
DURATION="${DURATION:-20}"
PRIME_SECONDS="${PRIME_SECONDS:-45}"
THREADS="${THREADS:-2}"
PATHS="${PATHS:-sluice sluice-cached sluice-pg sluice-pg-cached direct supergateway mcp-proxy contextforge}"
SLUICE_PORT="${SLUICE_PORT:-9190}"
SLUICE_HTTPS_PORT="${SLUICE_HTTPS_PORT:-9553}"
DIRECT_PORT="${DIRECT_PORT:-3911}"
SUPERGATEWAY_PORT="${SUPERGATEWAY_PORT:-3912}"
MCP_PROXY_PORT="${MCP_PROXY_PORT:-3913}"

everything_js="$nm/@modelcontextprotocol/server-everything/dist/index.js"
supergateway_js="$nm/supergateway/dist/index.js"
mcp_proxy_js="$nm/mcp-proxy/dist/bin/mcp-proxy.mjs"
bench_server=sluice-bench

command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
require_node_deps "$everything_js" "$supergateway_js" "$mcp_proxy_js"
case " $PATHS " in *" sluice"*) require_built_sluice;; esac
case " $PATHS " in *" contextforge "*) install_contextforge;; esac
wait_for_maven

cpu_ticks() { # pid -> utime+stime of the process itself (0 when there is none)
  [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ] || { echo 0; return; }
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

child_of() { # pid pattern -> the pid of a descendant whose command line matches
  local pid=$1 pattern=$2 c
  for c in $(pgrep -P "$pid" 2>/dev/null); do
    if tr '\0' ' ' <"/proc/$c/cmdline" 2>/dev/null | grep -q -- "$pattern"; then echo "$c"; return; fi
    child_of "$c" "$pattern" && return
  done
  return 1
}

services_ticks() { # CPU ticks of every PostgreSQL process and of Redis, together
  local t=0 p
  for p in $(pgrep -x postgres) $(pgrep -x redis-server); do t=$((t + $(cpu_ticks "$p"))); done
  echo "$t"
}

rows=()
notes=()

measure() { # label url tool gateway-pid upstream-pid [auth]
  local label=$1 url=$2 tool=$3 gw=$4 up=$5 auth=${6:-} c
  open_session "$url" "$auth"
  c=$(printf '%s\n' $CONNECTIONS | sort -n | tail -1)
  say "$label: priming for ${PRIME_SECONDS}s at $c connections, not measured"
  run_wrk "$url" "$tool" "$c" "$PRIME_SECONDS" "$auth"
  say "$label: primed with $(grep -o '"requests":[0-9]*' "$tmp/wrk.out" | cut -d: -f2) calls"
  for c in $CONNECTIONS; do
    say "$label: $c connections for ${DURATION}s"
    local g0 u0 s0 g1 u1 s1 out requests errors
    if [ "${PROFILE:-0}" = 1 ] && [[ $label == sluice* ]]; then
      jcmd "$gw" JFR.start name=bench settings=profile >/dev/null 2>&1 || true
    fi
    g0=$(cpu_ticks "$gw"); u0=$(cpu_ticks "$up"); s0=$(services_ticks)
    run_wrk "$url" "$tool" "$c" "$DURATION" "$auth"
    g1=$(cpu_ticks "$gw"); u1=$(cpu_ticks "$up"); s1=$(services_ticks)
    if [ "${PROFILE:-0}" = 1 ] && [[ $label == sluice* ]]; then
      jcmd "$gw" JFR.stop name=bench filename="$repo/bench/results/mcp-wrk-$label-$c.jfr" >/dev/null 2>&1 \
        && say "$label: profile in bench/results/mcp-wrk-$label-$c.jfr"
    fi
    out=$(grep '^WRK_JSON ' "$tmp/wrk.out" | cut -d' ' -f2-)
    echo "{\"path\":\"$label\",\"connections\":$c,\"gatewayTicks\":$((g1 - g0)),\"upstreamTicks\":$((u1 - u0)),\"servicesTicks\":$((s1 - s0)),\"wrk\":$out}" >>"$tmp/raw.jsonl"
    requests=$(json_field "$out" requests)
    errors=$(( $(json_field "$out" errors) + $(json_field "$out" socketErrors) ))
    local rate gcpu ucpu scpu=—
    rate=$(awk -v r="$requests" -v d="$(json_field "$out" durationUs)" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
    gcpu=$(awk -v t=$((g1 - g0)) -v r="$requests" -v k="$clk_tck" 'BEGIN { printf "%.0f", t / k * 1e6 / r }')
    ucpu=—
    [ -z "$up" ] || ucpu=$(awk -v t=$((u1 - u0)) -v r="$requests" -v k="$clk_tck" 'BEGIN { printf "%.0f", t / k * 1e6 / r }')
    [ "$gw" != none ] || gcpu=—
    [[ $label != sluice-pg* ]] || scpu=$(awk -v t=$((s1 - s0)) -v r="$requests" -v k="$clk_tck" 'BEGIN { printf "%.0f", t / k * 1e6 / r }')
    rows+=("| $label | $c | $requests | $rate | $(json_field "$out" p50Ms) | $(json_field "$out" p99Ms) | $gcpu | $scpu | $ucpu | $errors |")
    [ "$errors" = 0 ] || notes+=("$label at $c connections: $errors errors, first: $(json_field "$out" firstError)")
  done
}

run_sluice() { # cached|pass [h2|pg]
  local cached=$1 store=${2:-h2} label=sluice settings=(SLUICE_RATE_LIMIT_ENABLED=false)
  if [ "$store" = pg ]; then
    label=sluice-pg
    bash scripts/test-services.sh >/dev/null
    PGPASSWORD=sluice dropdb -h localhost -U sluice --if-exists sluice_bench
    PGPASSWORD=sluice createdb -h localhost -U sluice sluice_bench
    settings+=(DB_TYPE=postgres DB_NAME=sluice_bench SLUICE_CACHE_REDIS_HOST=127.0.0.1
      "SLUICE_CACHE_REDIS_NAMESPACE=bench-$(date +%s)")
  fi
  if [ "$cached" = cached ]; then label=$label-cached; else settings+=(SLUICE_CACHE_ENABLED=false); fi
  local extra
  while IFS= read -r extra; do settings+=("$extra"); done < <(env | grep '^SLUICE_' || true)
  start_sluice "$bench_server" "$SLUICE_PORT" "$SLUICE_HTTPS_PORT" "$(everything_catalog "$cached")" "${settings[@]}"
  local up
  up=$(child_of "$sluice_pid" server-everything || true)
  measure "$label" "http://127.0.0.1:$SLUICE_PORT/mcp" everything__echo "$sluice_pid" "$up" "Bearer $bench_key"
  local rows_audited
  rows_audited=$(curl -sf -H "Authorization: Bearer $bench_key" "http://127.0.0.1:$SLUICE_PORT/api/v1/stats" | head -c 400 || true)
  [ -z "$rows_audited" ] || echo "{\"path\":\"$label\",\"stats\":$rows_audited}" >>"$tmp/raw.jsonl" 2>/dev/null || true
  stop_sluice "$bench_server"
}

for p in $PATHS; do
  case "$p" in
    sluice) run_sluice pass;; sluice-cached) run_sluice cached;;
    sluice-pg) run_sluice pass pg;; sluice-pg-cached) run_sluice cached pg;; direct) run_direct;;
    supergateway) run_supergateway;; mcp-proxy) run_mcp_proxy;; contextforge) run_contextforge;;
    *) die "unknown path '$p' in PATHS";;
  esac
done

header="| path | connections | calls | calls/s | p50 ms | p99 ms | gateway CPU µs/call | services CPU µs/call | upstream CPU µs/call | errors |
|---|---|---|---|---|---|---|---|---|---|"
show_table "$header"

result=$(result_file mcp-wrk)
{
  echo "# MCP tool calls under wrk, $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "\`bench/mcp-wrk.sh\`: \`tools/call\` of server-everything's \`echo\` on one session per path, from wrk"
  echo "($THREADS threads; connections as in the table), primed ${PRIME_SECONDS}s, measured ${DURATION}s per row. CPU from"
  echo "/proc/<pid>/stat (${clk_tck} ticks/s): gateway = the bridge process itself, services = every PostgreSQL"
  echo "process and Redis (sluice-pg paths), upstream = server-everything."
  echo "Load generator, gateway and upstream share the machine's cores: compare figures only within one run."
  echo
  echo "- machine: $(machine_line)"
  echo "- Java: $(java_version); Node: $("$NODE" -v); $(wrk -v 2>&1 | head -1)"
  echo "- server-everything $(pkg_version @modelcontextprotocol/server-everything), supergateway $(pkg_version supergateway), mcp-proxy $(pkg_version mcp-proxy), ContextForge ${CONTEXTFORGE_VERSION:-—}, Sluice ${sluice_version:-—}"
  echo "- paths: $PATHS; Sluice settings from the environment: $(env | grep '^SLUICE_' | tr '\n' ' ' || true)"
  echo
  result_tail "$table" "$tmp/raw.jsonl" ${notes[@]+"${notes[@]}"}
} >"$result"
say "written $result"
