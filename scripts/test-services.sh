#!/usr/bin/env bash
# Installs (when missing) and starts the real services the test suite talks to: PostgreSQL and
# Redis from Debian packages; installs nginx, which the tests start themselves, and Chromium. Idempotent; safe
# to run on a machine where they already run.
# Environment: SLUICE_TEST_PG_USER / SLUICE_TEST_PG_PASSWORD (default sluice / sluice).
set -euo pipefail

PG_USER="${SLUICE_TEST_PG_USER:-sluice}"
PG_PASSWORD="${SLUICE_TEST_PG_PASSWORD:-sluice}"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
command -v pg_ctlcluster >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# the load balancer in front of two nodes (NodePairIT); the tests run it themselves
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
# promtool checks the shipped alert rules (AlertRulesTest); the Prometheus server itself is not run
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
# headless Chromium for the admin UI's browser tests (AdminUiIT, driven by playwright-core)
[ -x /usr/lib/chromium/chromium ] || missing+=(chromium chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test-services: installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# PostgreSQL: the newest installed cluster, created if the package did not create one
pg_version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^${pg_version} main$"; then
  as_root pg_createcluster "$pg_version" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$pg_version" '$1==v && $2=="main" {print $4}' | grep -q online; then
  as_root pg_ctlcluster "$pg_version" main start
fi
for _ in $(seq 1 30); do
  pg_isready -q -h localhost && break
  sleep 1
done
pg_isready -h localhost

# the role the tests and DB_TYPE=postgres defaults connect as; it may create databases
as_root runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${PG_USER}') THEN
    CREATE ROLE ${PG_USER} LOGIN CREATEDB PASSWORD '${PG_PASSWORD}';
  ELSE
    ALTER ROLE ${PG_USER} LOGIN CREATEDB PASSWORD '${PG_PASSWORD}';
  END IF;
END
\$\$;
SQL
if ! as_root runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'sluice'" | grep -q 1; then
  as_root runuser -u postgres -- createdb -O "$PG_USER" sluice
fi

# Redis on its default port, in the background, without persistence
if ! redis-cli -p 6379 ping >/dev/null 2>&1; then
  redis-server --port 6379 --save "" --appendonly no --daemonize yes >/dev/null
  for _ in $(seq 1 20); do
    redis-cli -p 6379 ping >/dev/null 2>&1 && break
    sleep 0.5
  done
fi
redis-cli -p 6379 ping >/dev/null

echo "test-services: PostgreSQL ${pg_version} and Redis are up"
