#!/usr/bin/env bash
# Soak: CONNECTIONS concurrent wrk connections calling a cached tool through one Sluice node for
# MINUTES minutes, on the embedded defaults (H2, in-process cache, audit journal with fsync).
# Reports: errors (any answer without a "result", and socket errors), latency percentiles, the
# heap after a full GC once a minute (the series: flat means no leak), and whether every answered
# call has its audit record (audit rows with action tools/call, counted in the node's H2 file after
# a graceful stop, against the calls wrk saw answered, priming included).
#
# Needs: wrk, the npm test deps, a built Sluice (see bench/mcp-wrk.sh)
# Env:   MINUTES (10), CONNECTIONS (200), THREADS (2), PRIME_SECONDS (30), SLUICE_PORT (9190),
#        SLUICE_HTTPS_PORT (9553)
# Writes the report to stdout and bench/results/soak-<date>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_NAME=soak
. bench/lib.sh

MINUTES="${MINUTES:-10}"
CONNECTIONS="${CONNECTIONS:-200}"
THREADS="${THREADS:-2}"
PRIME_SECONDS="${PRIME_SECONDS:-30}"
SLUICE_PORT="${SLUICE_PORT:-9190}"
SLUICE_HTTPS_PORT="${SLUICE_HTTPS_PORT:-9553}"
everything_js="$nm/@modelcontextprotocol/server-everything/dist/index.js"
url="http://127.0.0.1:$SLUICE_PORT/mcp"

command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
require_node_deps "$everything_js"
require_built_sluice
wait_for_maven

start_sluice sluice-soak "$SLUICE_PORT" "$SLUICE_HTTPS_PORT" "$(everything_catalog cached)" SLUICE_RATE_LIMIT_ENABLED=false
open_session "$url" "Bearer $bench_key"

heap_after_gc() { # -> MiB used after a full collection
  jcmd "$sluice_pid" GC.run >/dev/null 2>&1 || true
  jcmd "$sluice_pid" GC.heap_info 2>/dev/null | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); print int(v / 1024); exit } }'
}

say "priming for ${PRIME_SECONDS}s"
run_wrk "$url" everything__echo "$CONNECTIONS" "$PRIME_SECONDS" "Bearer $bench_key"
cp "$tmp/wrk.out" "$tmp/prime.out"
primed=$(grep '^WRK_JSON ' "$tmp/prime.out" | cut -d' ' -f2-)
series=("0:$(heap_after_gc)")
say "soaking for $MINUTES min at $CONNECTIONS connections"
run_wrk "$url" everything__echo "$CONNECTIONS" $((MINUTES * 60)) "Bearer $bench_key" &
wrk_pid=$!
for m in $(seq 1 "$MINUTES"); do
  sleep 60
  series+=("$m:$(heap_after_gc)")
  say "minute $m: heap after GC ${series[-1]#*:} MiB"
done
wait "$wrk_pid" || die "wrk failed"
soak=$(grep '^WRK_JSON ' "$tmp/wrk.out" | cut -d' ' -f2-)
rss=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$sluice_pid/status")

stop_sluice sluice-soak
h2_jar=$(ls "$wlp/usr/servers/sluice/jdbc/"h2*.jar | head -1)
rows=$(java -cp "$h2_jar" org.h2.tools.Shell -url "jdbc:h2:$wlp/usr/servers/sluice-soak/data/sluice;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE" \
  -user sa -sql "select count(*) from audit_records where action = 'tools/call'" 2>/dev/null | sed -n 2p | tr -d ' ')

answered_prime=$(( $(json_field "$primed" requests) - $(json_field "$primed" errors) ))
answered_soak=$(( $(json_field "$soak" requests) - $(json_field "$soak" errors) ))
requests=$(json_field "$soak" requests)
errors=$(( $(json_field "$soak" errors) + $(json_field "$soak" socketErrors) ))
error_pct=$(awk -v e="$errors" -v r="$requests" 'BEGIN { printf "%.4f", r ? 100 * e / r : 0 }')
rate=$(awk -v r="$requests" -v d="$(json_field "$soak" durationUs)" 'BEGIN { printf "%.0f", r / (d / 1e6) }')

report=$(cat <<MD
# Soak: $MINUTES minutes at $CONNECTIONS connections, $(date '+%Y-%m-%d %H:%M %Z')

\`bench/soak.sh\`: \`tools/call\` of server-everything's \`echo\` (a cached read tool: every call after the
first is answered from the in-process cache) through one Sluice node on its embedded defaults (H2,
audit journal with fsync), rate limits off; wrk, $THREADS threads, $CONNECTIONS connections on one session.

- machine: $(machine_line); Java: $(java_version); Sluice ${sluice_version:-—}

| calls | calls/s | errors | error % | p50 ms | p95 ms | p99 ms |
|---|---|---|---|---|---|---|
| $requests | $rate | $errors | $error_pct | $(json_field "$soak" p50Ms) | $(json_field "$soak" p95Ms) | $(json_field "$soak" p99Ms) |

Heap used after a full GC, minute by minute (MiB): $(printf '%s ' "${series[@]}")

Resident set size at the end: $rss MiB.

Audit: $rows rows with action tools/call; wrk saw $answered_prime answered calls while priming and
$answered_soak during the soak, $((answered_prime + answered_soak)) in all. (Calls in flight when wrk
stops are answered and audited but not counted by wrk: up to $CONNECTIONS per phase, so the rows may
exceed the answered calls by that much, never fall short.)

First error, if any: $(json_field "$soak" firstError)
MD
)
echo "$report"
result=$(result_file soak)
echo "$report" >"$result"
say "written $result"
