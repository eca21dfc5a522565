#!/usr/bin/env bash
# Starts/stops the real backing services of the extended MCP-server tests, run locally from Maven Central jars
# (no Docker, no downloads besides Maven): an in-process Neo4j 5.26 with APOC core (neo4j-harness) and a
# single-node Kafka 4.4 KRaft broker+controller. Sources: tests/backing-services (a standalone Maven project,
# not a module of the root pom).
#
# Usage: scripts/backing-services.sh start neo4j|kafka [--port N] [--dir DIR]
#        scripts/backing-services.sh stop  neo4j|kafka|all
#        scripts/backing-services.sh status
#        scripts/backing-services.sh build          (build only; start builds when needed)
#
#   start   builds tests/backing-services once (again only when its pom.xml or sources changed), launches the
#           service in the background and waits for its READY line (SLUICE_SERVICES_TIMEOUT, default 180 s).
#           Prints ONLY the address on stdout (neo4j: bolt://localhost:PORT, kafka: localhost:PORT), so
#           `uri=$(scripts/backing-services.sh start neo4j)` works; progress goes to stderr. A service that is
#           already running is left alone and its address printed (exit 0).
#           neo4j: --port = Bolt port (default 7687), no auth (any user/password works), HTTP off; the database
#                  lives in a fresh folder under DIR/data and is removed at stop (nothing persists).
#           kafka: --port = PLAINTEXT port (default 9092), controller on PORT+1; logs in DIR/logs, formatted on
#                  first start and kept across restarts (remove DIR for a clean broker). Topic auto-creation on.
#           DIR defaults to $SLUICE_SERVICES_DIR/<service>.
#   stop    SIGTERM (clean shutdown), SIGKILL after 60 s; a service that is not running is fine (exit 0).
#   status  one line per service: running (pid, address, heap) or stopped; exit 0.
#
# Environment: SLUICE_SERVICES_DIR (default <repo>/target/backing-services: pid files, logs, default data dirs),
#              SLUICE_NEO4J_HEAP (default 512m), SLUICE_KAFKA_HEAP (default 384m), SLUICE_SERVICES_TIMEOUT (180),
#              JAVA (default: java on PATH; Java 17+), SLUICE_SERVICES_JAVA_OPTS (extra JVM options).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROJECT=$repo_root/tests/backing-services
STATE=${SLUICE_SERVICES_DIR:-$repo_root/target/backing-services}
JAVA=${JAVA:-java}
TIMEOUT=${SLUICE_SERVICES_TIMEOUT:-180}
JAR=$PROJECT/target/backing-services-0.1.0-SNAPSHOT.jar
STAMP=$PROJECT/target/.sluice-build-stamp

die() { echo "backing-services: $*" >&2; exit 2; }
say() { echo "backing-services: $*" >&2; }
usage() { sed -n '/^# Usage:/,/^#        scripts\/backing-services.sh build/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64; }

main_class() {
  case $1 in
    neo4j) echo dev.sluice.testservices.Neo4jService ;;
    kafka) echo dev.sluice.testservices.KafkaService ;;
    *) die "unknown service '$1' (neo4j or kafka)" ;;
  esac
}
default_port() { case $1 in neo4j) echo 7687 ;; kafka) echo 9092 ;; esac; }
heap() { case $1 in neo4j) echo "${SLUICE_NEO4J_HEAP:-512m}" ;; kafka) echo "${SLUICE_KAFKA_HEAP:-384m}" ;; esac; }

sources_hash() {
  (cd "$PROJECT" && find pom.xml src -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

build() {
  mkdir -p "$STATE"
  command -v mvn >/dev/null || die "mvn not found on PATH"
  # Two `start`s at once (neo4j and kafka) must not build the project concurrently.
  exec 9>"$STATE/.build.lock"
  command -v flock >/dev/null && flock 9
  local want; want=$(sources_hash)
  if [[ -f $STAMP && $(cat "$STAMP") == "$want" && -f $JAR && -s $PROJECT/target/classpath-neo4j.txt \
        && -s $PROJECT/target/classpath-kafka.txt ]]; then
    exec 9>&-; return 0
  fi
  say "building tests/backing-services (mvn package; the first build downloads ~300 jars from Maven Central)"
  local t0=$SECONDS
  # `package` also writes target/classpath-neo4j.txt and target/classpath-kafka.txt (dependency:build-classpath)
  if ! mvn -B -q -f "$PROJECT/pom.xml" package >"$STATE/build.log" 2>&1; then
    tail -40 "$STATE/build.log" >&2
    die "build failed (full output: $STATE/build.log)"
  fi
  echo "$want" >"$STAMP"
  say "built in $((SECONDS - t0)) s"
  exec 9>&-
}

# pid of the running service, or nothing (stale pid files are removed)
running_pid() {
  local svc=$1 pidf=$STATE/$1.pid pid
  [[ -f $pidf ]] || return 0
  pid=$(cat "$pidf" 2>/dev/null || true)
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$(main_class "$svc")"; then
    echo "$pid"
  else
    rm -f "$pidf" "$STATE/$svc.addr"
  fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  local svc=$1; shift
  local class; class=$(main_class "$svc")
  local port dir=""
  port=$(default_port "$svc")
  while [[ $# -gt 0 ]]; do
    case $1 in
      --port) port=${2:?--port needs a value}; shift 2 ;;
      --dir) dir=${2:?--dir needs a value}; shift 2 ;;
      *) die "start: unknown option '$1'" ;;
    esac
  done
  [[ $port =~ ^[0-9]+$ ]] || die "--port must be a number"
  mkdir -p "$STATE"
  dir=${dir:-$STATE/$svc}
  local pid; pid=$(running_pid "$svc")
  if [[ -n $pid ]]; then
    say "$svc is already running (pid $pid)"
    cat "$STATE/$svc.addr"
    return 0
  fi
  if port_open "$port"; then die "port $port is already in use (not by a $svc started here)"; fi
  if [[ $svc == kafka ]] && port_open $((port + 1)); then die "controller port $((port + 1)) is already in use"; fi
  build
  mkdir -p "$dir"
  local log=$STATE/$svc.log cp
  cp="$JAR:$(cat "$PROJECT/target/classpath-$svc.txt")"
  : >"$log"
  local t0; t0=$(date +%s.%N)
  # setsid: the service outlives this script and the caller's terminal/session
  # C1 only (TieredStopAtLevel=1) more than halves the start-up on 2 cores (Neo4j ~25 s -> ~10 s, Kafka ~9 s -> ~4 s);
  # peak throughput does not matter for these tests. SerialGC: fewer threads and a smaller footprint.
  # shellcheck disable=SC2086  # SLUICE_SERVICES_JAVA_OPTS is a list of options
  setsid "$JAVA" -Xms64m -Xmx"$(heap "$svc")" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    ${SLUICE_SERVICES_JAVA_OPTS:-} -cp "$cp" "$class" --port "$port" --dir "$dir" </dev/null >>"$log" 2>&1 &
  pid=$!
  echo "$pid" >"$STATE/$svc.pid"
  say "starting $svc (pid $pid, log $log)"
  local deadline=$((SECONDS + TIMEOUT)) addr=""
  while (( SECONDS < deadline )); do
    addr=$(sed -n 's/^READY //p' "$log" | head -1)
    [[ -n $addr ]] && break
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -40 "$log" >&2
      rm -f "$STATE/$svc.pid"
      die "$svc exited during start-up (log: $log)"
    fi
    sleep 0.5
  done
  if [[ -z $addr ]]; then
    tail -40 "$log" >&2
    stop "$svc" >/dev/null 2>&1 || true
    die "$svc did not print READY within $TIMEOUT s (log: $log)"
  fi
  echo "$addr" >"$STATE/$svc.addr"
  say "$svc ready at $addr after $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"
  echo "$addr"
}

stop() {
  local svc=$1 pid
  main_class "$svc" >/dev/null
  pid=$(running_pid "$svc")
  if [[ -z $pid ]]; then
    say "$svc is not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 600; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$svc (pid $pid) did not stop within 60 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$STATE/$svc.pid" "$STATE/$svc.addr"
  say "$svc stopped"
}

status() {
  local svc pid heapinfo
  for svc in neo4j kafka; do
    pid=$(running_pid "$svc")
    if [[ -n $pid ]]; then
      heapinfo=""
      if command -v jcmd >/dev/null; then
        # G1: "garbage-first heap total X, used Y"; Serial/Parallel: one such line per generation
        heapinfo=$(jcmd "$pid" GC.heap_info 2>/dev/null | awk '
          /(heap|generation|PSYoungGen|ParOldGen) +total/ {
            for (i = 1; i < NF; i++) if ($i == "total") { t += $(i+1) + 0 } else if ($i == "used") { u += $(i+1) + 0 } }
          END { if (t) printf ", heap used %d MiB of %d MiB", u / 1024, t / 1024 }' || true)
      fi
      echo "$svc: running (pid $pid, $(cat "$STATE/$svc.addr" 2>/dev/null || echo 'starting')$heapinfo, log $STATE/$svc.log)"
    else
      echo "$svc: stopped"
    fi
  done
}

[[ $# -ge 1 ]] || usage
cmd=$1; shift
case $cmd in
  start) [[ $# -ge 1 ]] || usage; start "$@" ;;
  stop)
    [[ $# -eq 1 ]] || usage
    if [[ $1 == all ]]; then stop neo4j; stop kafka; else stop "$1"; fi ;;
  status) status ;;
  build) build ;;
  -h|--help|help) usage ;;
  *) usage ;;
esac
