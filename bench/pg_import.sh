#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pg_import.sh BUILD_DIR [N]: `frontera import` of N generated crossings
# (tests/data/ledger/gen.awk) into PostgreSQL, beside a plain COPY of the
# same CSV into an unindexed table of text columns, in the same run on a
# throw-away cluster (tests/pg-cluster.sh); and the same import into SQLite.
# Prints rows/s and the ratio import/COPY (target >= 0.8).
set -euo pipefail
build=${1:-build}
n=${2:-200000}
src=$(cd "$(dirname "$0")/.." && pwd)
F=$build/frontera
T=$(mktemp -d)
PGDIR=/tmp/frontera-pg-bench.$$
trap 'bash "$src/tests/pg-cluster.sh" stop "$PGDIR"; rm -rf "$T"' EXIT
URI=$(bash "$src/tests/pg-cluster.sh" start "$PGDIR")
awk -v n="$n" -f "$src/tests/data/ledger/gen.awk" >"$T/c.csv"
chmod 755 "$T"; chmod 644 "$T/c.csv"
now() { date +%s.%N; }
psql -q "$URI" -c "CREATE TABLE plain(event_id text, kind text, at text, port text, document_type text,
  document_state text, document_number text, document_expiry text, surname text, given_names text,
  nationality text, birth_date text, sex text, admission_class text, authorised_until text,
  officer text, decision text, reasons text)"
t0=$(now)
psql -q "$URI" -c "\\copy plain FROM '$T/c.csv' WITH (FORMAT csv, HEADER true)"
t1=$(now)
psql -q "$URI" -c "CREATE DATABASE ledger"
L="${URI%/*}/ledger"
"$F" --db "$L" init >/dev/null
t2=$(now)
"$F" --db "$L" import "$T/c.csv" >"$T/out"
t3=$(now)
"$F" --db "$T/l.db" init >/dev/null
t4=$(now)
"$F" --db "$T/l.db" import "$T/c.csv" >/dev/null
t5=$(now)
cat "$T/out"
python3 - "$n" "$t0" "$t1" "$t2" "$t3" "$t4" "$t5" <<'PY'
import sys
n = int(sys.argv[1]); t = [float(x) for x in sys.argv[2:]]
copy, imp, sq = t[1] - t[0], t[3] - t[2], t[5] - t[4]
print(f"rows: {n}")
print(f"plain COPY into an unindexed table : {copy:7.2f} s  {n / copy:10.0f} rows/s")
print(f"frontera import into PostgreSQL    : {imp:7.2f} s  {n / imp:10.0f} rows/s")
print(f"frontera import into SQLite        : {sq:7.2f} s  {n / sq:10.0f} rows/s")
print(f"ratio import/COPY (PostgreSQL)      : {copy / imp:.3f}  (target >= 0.8)")
print(f"ratio PostgreSQL/SQLite import      : {sq / imp:.3f}")
PY
