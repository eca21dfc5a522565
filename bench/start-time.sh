#!/usr/bin/env bash
# Measures the time from launching a Sluice node (Liberty's `server start`) to its first
# /health/ready answer of 200, on the embedded defaults, several times over.
# Needs a built server: run `mvn -B -DskipTests verify` (or the README's test command) first.
# Usage: bench/start-time.sh [runs]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-5}"
wlp=modules/app/target/liberty/wlp
[ -x "$wlp/bin/server" ] || { echo "no server at $wlp: build first (mvn -B -DskipTests verify)" >&2; exit 1; }
port="${HTTP_PORT:-9080}"

"$wlp/bin/server" stop sluice >/dev/null 2>&1 || true
times=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  "$wlp/bin/server" start sluice >/dev/null
  until curl -sf -o /dev/null "http://localhost:${port}/health/ready"; do sleep 0.1; done
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  times+=("$ms")
  echo "run $i: ${ms} ms to ready"
  "$wlp/bin/server" stop sluice >/dev/null
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(echo "$sorted" | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}')
echo "median: ${median} ms over ${runs} runs (min $(echo "$sorted" | head -1), max $(echo "$sorted" | tail -1)); $(nproc) cores, $(java -version 2>&1 | head -1)"
