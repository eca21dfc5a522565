#!/usr/bin/env bash
# The result cache: tool-call latency (p50, p99, mean), throughput and hit ratio of Sluice in front of
# a real data tool, with the cache off, in-process, and in Redis, in one run.
#
# The upstream is @modelcontextprotocol/server-postgres (stdio) on a fresh PostgreSQL database with an
# `orders` table (ROWS rows); the tool is its `query`, marked a read tool of category `analytics` in
# the catalog. Every call is an aggregate over the table:
#   SELECT region, count(*), avg(amount) FROM orders WHERE customer_id % 1000 = <n> GROUP BY region
# Three Sluice nodes, one after the other, each a copy of the built server with a fresh embedded
# database, rate limits on (a budget too large to refuse, so every call still pays for the step):
#   uncached    SLUICE_CACHE_ENABLED=false: every call reaches PostgreSQL
#   in-process  the embedded default: Caffeine in the node's memory
#   redis       SLUICE_CACHE_REDIS_*: entries, versions and rate-limit windows in a redis-server
#               started here (so is the rate limit's Lua script)
# For each node, at CLIENTS concurrent MCP sessions of the official TypeScript SDK (bench/mcp-load.mjs):
#   prime       PRIME unmeasured calls (half repeats, half one-off queries, on SQL text no later phase
#               uses) so that the JVM's JIT reaches steady state
#   repeated    the repeated-query workload, from an empty cache: 80 % of the calls are one of 20 "hot"
#               queries (an agent team asking the same questions), 20 % are one-off queries never seen
#               before; no warm-up; the hit ratio is read from GET /api/v1/cache before and after
#   hot         only the 20 hot queries (all cached after the phase above): the cached path's latency,
#               at CLIENTS sessions and then at one (latency without queueing behind other calls)
# Needs: PostgreSQL and redis-server   bash scripts/test-services.sh
#        the npm test deps             (cd tests/mcp && npm ci)
#        a built Sluice                mvn -B -DskipTests verify
# Usage: bench/cache-latency.sh
# Env:   CALLS (4000 per measured phase), WARMUP (200, hot phase only), PRIME (20000), CLIENTS (16),
#        ROWS (200000), PATHS ("uncached in-process redis"), SLUICE_PORT (9190), SLUICE_HTTPS_PORT (9553),
#        REDIS_PORT (6393), PG_HOST/PG_PORT/PG_USER/PG_PASSWORD (localhost/5432/sluice/sluice),
#        WAIT_FOR_MAVEN=0 (do not wait for running Maven builds), PROFILE=1 (a JFR recording of each
#        hot phase, bench/results/cache-latency-<path>-<clients>.jfr; read it with `jfr print` or JDK Mission Control)
# Writes the table to stdout and, with the machine and versions, to bench/results/cache-latency-<date>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_NAME=cache-latency
. bench/lib.sh

CALLS="${CALLS:-4000}"
WARMUP="${WARMUP:-200}"
PRIME="${PRIME:-20000}"
CLIENTS="${CLIENTS:-16}"
ROWS="${ROWS:-200000}"
PATHS="${PATHS:-uncached in-process redis}"
SLUICE_PORT="${SLUICE_PORT:-9190}"
SLUICE_HTTPS_PORT="${SLUICE_HTTPS_PORT:-9553}"
REDIS_PORT="${REDIS_PORT:-6393}"
PG_HOST="${PG_HOST:-localhost}"
PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-sluice}"
PG_PASSWORD="${PG_PASSWORD:-sluice}"
HOT=20
HOT_SHARE=0.8

postgres_js="$nm/@modelcontextprotocol/server-postgres/dist/index.js"
bench_server=sluice-cache-bench

# ---- prerequisites ----
for p in $PATHS; do
  case "$p" in uncached|in-process|redis) ;; *) die "unknown path '$p' in PATHS";; esac
done
require_node_deps "$postgres_js"
require_built_sluice
command -v psql >/dev/null || die "psql is needed: bash scripts/test-services.sh"
[[ " $PATHS " != *" redis "* ]] || command -v redis-server >/dev/null || die "redis-server is needed: bash scripts/test-services.sh"
export PGPASSWORD="$PG_PASSWORD"
psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc "SELECT 1" >/dev/null 2>&1 \
  || die "cannot connect to PostgreSQL as $PG_USER at $PG_HOST:$PG_PORT: bash scripts/test-services.sh"
! port_busy "$SLUICE_PORT" || die "port $SLUICE_PORT is already in use"
! port_busy "$REDIS_PORT" || die "port $REDIS_PORT is already in use"
wait_for_maven

# ---- the data ----
database="sluice_cache_bench_$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
drop_database() {
  psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
}
trap 'drop_database; cleanup' EXIT
say "creating $database with $ROWS orders"
psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "CREATE DATABASE $database" >/dev/null
psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$database" -q >/dev/null <<SQL
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, region text NOT NULL, amount numeric(10,2) NOT NULL);
INSERT INTO orders
  SELECT g, (g * 7919) % 50000, (ARRAY['emea','amer','apac','latam'])[1 + g % 4], ((g * 31) % 100000) / 100.0
  FROM generate_series(1, $ROWS) g;
ANALYZE orders;
SQL

cat >"$tmp/catalog.yaml" <<EOF
servers:
  - name: pg
    transport: stdio
    command: "$NODE"
    args: ["$postgres_js", "postgresql://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$database"]
    startup: eager
    tools:
      query: {mode: read, cache: {category: analytics}}
EOF

sql() { # tag -> the query template, {n} replaced per call by mcp-load.mjs
  echo "{\"sql\": \"SELECT region, count(*) AS orders, round(avg(amount), 2) AS avg_amount FROM orders WHERE customer_id % 1000 = {n} GROUP BY region ORDER BY region /* $1 */\"}"
}

cache_stats() { # -> "hits misses" of the node
  local s
  s=$(curl -sf -H "Authorization: Bearer $bench_key" "http://localhost:$SLUICE_PORT/api/v1/cache") || { echo "0 0"; return; }
  echo "$(json_field "$s" hits) $(json_field "$s" misses)"
}

rows=()
notes=()

phase() { # path label hot-share warmup tag [clients]
  local path=$1 label=$2 share=$3 warmup=$4 tag=$5 clients=${6:-$CLIENTS} before after out hits misses ratio errors gcpu
  before=$(cache_stats)
  if [ -n "${PROFILE:-}" ] && [ "$label" = hot ]; then
    jcmd "$sluice_pid" JFR.start name=bench settings=profile >/dev/null || say "$path: JFR did not start"
  fi
  load "http://127.0.0.1:$SLUICE_PORT/mcp" pg__query "$clients" "$CALLS" "$sluice_pid" "" "$warmup" \
    --args "$(sql "$tag")" --hot "$HOT" --hot-share "$share" --seed 7 || die "load generator failed on $path ($label)"
  after=$(cache_stats)
  if [ -n "${PROFILE:-}" ] && [ "$label" = hot ]; then
    mkdir -p bench/results
    jcmd "$sluice_pid" JFR.stop name=bench filename="$PWD/bench/results/cache-latency-$path-$clients.jfr" >/dev/null \
      && say "$path: CPU profile of the hot phase in bench/results/cache-latency-$path-$clients.jfr"
  fi
  out=$(cat "$tmp/load.json")
  echo "{\"path\":\"$path\",\"workload\":\"$label\",\"load\":$out}" >>"$tmp/raw.jsonl"
  hits=$(( ${after% *} - ${before% *} ))
  misses=$(( ${after#* } - ${before#* } ))
  ratio=—
  if [ "$path" != uncached ] && [ $((hits + misses)) -gt 0 ]; then
    ratio="$(awk -v h="$hits" -v m="$misses" 'BEGIN { printf "%.1f %%", 100 * h / (h + m) }')"
  fi
  errors=$(json_field "$out" errors)
  gcpu=$(json_field "$out" gatewayCpuUsPerCall)
  rows+=("| $path | $label | $clients | $CALLS | $(json_field "$out" callsPerSec) | $(json_field "$out" p50Ms) | $(json_field "$out" p99Ms) | $(json_field "$out" meanMs) | $ratio | ${gcpu:-—} | $errors |")
  if [ "$errors" != 0 ]; then
    notes+=("$path, $label: $errors errors, first: $(json_field "$out" firstError)")
  fi
}

run_path() { # path
  local path=$1 settings=(SLUICE_RATE_LIMIT_PER_USER=1000000000 SLUICE_RATE_LIMIT_PER_ORGANISATION=1000000000)
  case "$path" in
    uncached) settings+=(SLUICE_CACHE_ENABLED=false);;
    redis)
      start_bg redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no
      redis_pid=$started_pid
      wait_port "$REDIS_PORT" redis "$redis_pid"
      settings+=(SLUICE_CACHE_REDIS_HOST=127.0.0.1 SLUICE_CACHE_REDIS_PORT="$REDIS_PORT");;
  esac
  start_sluice "$bench_server" "$SLUICE_PORT" "$SLUICE_HTTPS_PORT" "$tmp/catalog.yaml" "${settings[@]}"
  export MCP_AUTHORIZATION="Bearer $bench_key"
  if [ "$PRIME" -gt 0 ]; then
    say "$path: priming with $PRIME calls at $CLIENTS clients, not measured"
    load "http://127.0.0.1:$SLUICE_PORT/mcp" pg__query "$CLIENTS" "$PRIME" "$sluice_pid" "" 0 \
      --args "$(sql prime)" --hot 1000 --hot-share 0.5 --seed 3 || die "load generator failed on $path while priming"
  fi
  say "$path: repeated-query workload, $CALLS calls"
  phase "$path" repeated "$HOT_SHARE" 0 measured
  say "$path: hot queries only, $WARMUP warm-up + $CALLS calls"
  phase "$path" hot 1 "$WARMUP" measured
  say "$path: hot queries only, one client, $WARMUP warm-up + $CALLS calls"
  phase "$path" hot 1 "$WARMUP" measured 1
  stop_sluice "$bench_server"
  if [ "$path" = redis ]; then stop_bg "$redis_pid"; fi
}

for p in $PATHS; do
  run_path "$p"
done

# ---- report ----
header="| path | workload | clients | calls | calls/s | p50 ms | p99 ms | mean ms | hit ratio | gateway CPU µs/call | errors |
|---|---|---|---|---|---|---|---|---|---|---|"
table=$(printf '%s\n' "$header" "${rows[@]}")
echo
echo "$table"
for n in "${notes[@]+"${notes[@]}"}"; do echo "- $n"; done

result=$(result_file cache-latency)
{
  echo "# Result cache: latency, throughput and hit ratio, $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "\`bench/cache-latency.sh\`: the \`query\` tool of server-postgres (an aggregate over $ROWS orders on"
  echo "PostgreSQL) through Sluice with the cache off, in-process and in Redis, called by the official"
  echo "TypeScript SDK client at $CLIENTS concurrent sessions. *repeated*: from an empty cache, 80 % of the calls"
  echo "are one of $HOT hot queries and 20 % one-off queries; hit ratio from \`GET /api/v1/cache\`. *hot*: the $HOT"
  echo "hot queries only, all cached: the cached path. Each node was primed with $PRIME unmeasured calls."
  echo "Rate limits were on in every path. Client, Sluice, PostgreSQL and Redis share the machine's cores:"
  echo "compare figures only within one run."
  echo
  echo "- machine: $(machine_line)"
  echo "- Java: $(java_version); Node: $("$NODE" -v); PostgreSQL: $(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc 'SHOW server_version'); $(redis-server --version 2>/dev/null | cut -d' ' -f1-3)"
  echo "- server-postgres $(pkg_version @modelcontextprotocol/server-postgres), MCP TypeScript SDK $(pkg_version @modelcontextprotocol/sdk), Sluice $sluice_version"
  echo
  result_tail "$table" "$tmp/raw.jsonl" ${notes[@]+"${notes[@]}"}
} >"$result"
say "written $result"
