#!/usr/bin/env bash
# The extended suite: the data-stack servers whose backing services are too heavy for the default run
# (about 5 minutes more on a warm machine), each against the real service — Neo4j 5.26 + APOC and a
# Kafka 4.4 broker from Maven Central (tests/backing-services, run by scripts/backing-services.sh),
# Apache Airflow 2 from PyPI (scripts/airflow-service.sh) — plus everything DataStackIT runs, so that
# the federated tools/list and the catalog verification cover the whole runnable catalog
# (DataStackExtendedIT). Its verification table lands in modules/app/target/catalog-verification-extended.md.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/test-services.sh
bash scripts/install-mcp-test-deps.sh
# the default set plus Airflow's and Confluent's servers (Confluent needs Node 22 and a native build)
bash scripts/install-mcp-servers.sh --extended
bash scripts/airflow-service.sh install
bash scripts/backing-services.sh build
mvn -B -ntp install -DskipTests
mvn -B -ntp verify -pl modules/app -Dit.test='*ExtendedIT' -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false "$@"
