#!/usr/bin/env bash
# Puts the shipped sample data (deploy/sample-data) where the built-in catalog's local servers read
# it: the CSV files in $SLUICE_MCP_HOME/data (mcp-analyst) and a DuckDB file with tables customers
# and orders, $SLUICE_MCP_HOME/data/warehouse.duckdb (motherduck, read-only). Run by
# scripts/install-mcp-servers.sh after the motherduck server is installed (its DuckDB builds the file).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
home="${SLUICE_MCP_HOME:-$repo/.mcp-servers}"
data="$home/data"
mkdir -p "$data"
cp "$repo"/deploy/sample-data/*.csv "$data/"

python="$home/venvs/motherduck/bin/python"
if [[ ! -x "$python" ]]; then
  echo "sample-data: motherduck is not installed, so $data/warehouse.duckdb is not built (install it first)" >&2
  exit 0
fi
warehouse="$data/warehouse.duckdb"
if [[ -f "$warehouse" && "$warehouse" -nt "$repo/deploy/sample-data/orders.csv" && "$warehouse" -nt "$repo/deploy/sample-data/customers.csv" ]]; then
  echo "sample-data: $warehouse is up to date"
  exit 0
fi
rm -f "$warehouse" "$warehouse.wal"
"$python" - "$warehouse" "$data" <<'PY'
import sys, duckdb
warehouse, data = sys.argv[1], sys.argv[2]
con = duckdb.connect(warehouse)
for table in ("customers", "orders"):
    con.execute(f"create table {table} as select * from read_csv_auto('{data}/{table}.csv', header = true)")
print("sample-data:", warehouse, {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("customers", "orders")})
con.close()
PY
