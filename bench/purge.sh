#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# purge.sh BUILD_DIR [SCALE] [AS_OF] [pg]: the retention purge on `frontera
# synth --scale SCALE` (Ecuador 2022-2024) imported into SQLite and, with
# "pg", into PostgreSQL (a throw-away cluster, tests/pg-cluster.sh; fsync on).
# Prints, for each: the dry run's and the purge's wall seconds, persons
# erased and events de-identified per second, and whether the flow, overstay
# and alert reports are byte-identical before and after (they must be).
set -euo pipefail
build=${1:-build}
scale=${2:-0.1}
as_of=${3:-2027-06-01}
with_pg=${4:-}
src=$(cd "$(dirname "$0")/.." && pwd)
F=$build/frontera
T=$(mktemp -d)
PGDIR=/tmp/frontera-pg-purge.$$
trap 'bash "$src/tests/pg-cluster.sh" stop "$PGDIR" >/dev/null 2>&1 || true; rm -rf "$T"' EXIT
"$F" synth --scale "$scale" --out "$T/s.csv" --quiet
rows=$(($(wc -l <"$T/s.csv") - 1))
now() { date +%s.%N; }
reports() {
    "$F" --db "$1" report flows --by nationality,port,month --format csv
    "$F" --db "$1" report flows --by nationality,month --persons --format csv
    "$F" --db "$1" report overstays --by nationality,month --as-of 2024-12-31 --format csv
    "$F" --db "$1" report alerts --format csv
}
run() { # run NAME DB
    "$F" --db "$2" init >/dev/null
    "$F" --db "$2" import "$T/s.csv" >/dev/null 2>&1
    reports "$2" >"$T/$1.before" 2>&1
    local t0 t1 t2
    t0=$(now)
    "$F" --db "$2" purge --dry-run --as-of "$as_of" --json >"$T/$1.dry"
    t1=$(now)
    "$F" --db "$2" purge --as-of "$as_of" --json >"$T/$1.json"
    t2=$(now)
    reports "$2" >"$T/$1.after" 2>&1
    local same=no
    cmp -s "$T/$1.before" "$T/$1.after" && same=yes
    python3 - "$1" "$T/$1.json" "$t0" "$t1" "$t2" "$rows" "$same" <<'PY'
import json, sys
name, path, t0, t1, t2, rows, same = sys.argv[1:]
j = json.load(open(path))
dry, run = float(t1) - float(t0), float(t2) - float(t1)
ev = sum(j["events"].values())
print(f"{name}: {rows} events; dry run {dry:.1f} s; purge {run:.1f} s: {j['persons']} persons "
      f"of {j['examined']} looked at ({j['persons'] / run:.0f}/s), {j['documents']} documents, "
      f"{ev} events de-identified ({ev / run:.0f}/s); reports identical: {same}")
PY
}
run sqlite "$T/ledger.db"
if [ "$with_pg" = pg ]; then
    URI=$(bash "$src/tests/pg-cluster.sh" start "$PGDIR")
    psql -q "$URI" -c "CREATE DATABASE ledger"
    run postgres "${URI%/*}/ledger"
fi
