#!/usr/bin/env bash
# The whole test suite, on a fresh machine: starts the services the tests need, then builds Sluice,
# runs the unit tests, the Arquillian in-container tests (profile arquillian: the WAR with its tests
# inside a managed Open Liberty server), then starts a real Open Liberty server (and further nodes
# where a test needs them) and runs the integration tests against it. This is the README's test
# command and all that CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/test-services.sh
bash scripts/install-mcp-test-deps.sh
# the data-stack servers the built-in catalog runs (DataStackIT), into .mcp-servers
bash scripts/install-mcp-servers.sh
# PostgreSQL's own parser (pglast) for the SQL guard's oracle test (SqlGuardOracleTest), into .sql-oracle
bash scripts/install-sql-oracle.sh
mvn -B -ntp clean verify -Parquillian "$@"
