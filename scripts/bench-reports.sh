#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench-reports.sh DIR [REPS]: the SQL side of bench/bench_reports.c.
# DIR holds events.csv (seq,trav,kind,d,t,port,nat,cls,until) and frontera's
# results (frontera_flows.csv, frontera_overstays.csv). For DuckDB (node,
# @duckdb/node-api installed into bench/node on first use), SQLite (sqlite3)
# and PostgreSQL 15 (a throw-away server: initdb as user postgres, socket in
# DIR, port 55432), load the events, run bench/sql/<report>.<engine>.sql REPS
# times, keep the best time and the rows. Writes DIR/times.txt lines
# "engine load|flows|overstays SECONDS" and DIR/<engine>_<report>.sorted (rows
# sorted bytewise), the same for frontera, for bench_reports to compare.
# DuckDB also runs a variant with the pairing materialised first
# ("duckdb-paired pairing|overstays"). An engine that is not installed is
# skipped with a message.
set -euo pipefail
dir=$1
reps=${2:-3}
src=$(cd "$(dirname "$0")/.." && pwd)
sql=$src/bench/sql
times=$dir/times.txt
: >"$times"
chmod 755 "$dir"

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc -l | sed 's/^\./0./'; }
best() { # best of the numbers on stdin
  sort -g | head -n 1
}
sorted() { tr -d '\r' <"$1" | LC_ALL=C sort >"${1%.csv}.sorted"; }

for r in flows overstays; do sorted "$dir/frontera_$r.csv"; done

# ---- DuckDB (node) ----
if command -v node >/dev/null; then
  if [ ! -d "$src/bench/node/node_modules/@duckdb/node-api" ]; then
    (cd "$src/bench/node" && npm install --no-audit --no-fund --silent) >&2
  fi
  node "$src/bench/node/duckdb-reports.mjs" "$dir/events.csv" "$dir" "$sql/flows.duckdb.sql" \
    "$sql/overstays.duckdb.sql" "$reps" "$sql/pairing.duckdb.sql" "$sql/overstays_paired.duckdb.sql" \
    >>"$times"
  for r in flows overstays; do sorted "$dir/duckdb_$r.csv"; done
  sorted "$dir/duckdb-paired_overstays.csv"
else
  echo "bench-reports: node not found: DuckDB skipped" >&2
fi

# ---- SQLite (sqlite3 shell; .timer gives each statement's real time) ----
if command -v sqlite3 >/dev/null; then
  db=$dir/bench.sqlite
  t0=$(now)
  sqlite3 -batch "$db" >/dev/null <<EOF
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE events(seq INTEGER, trav INTEGER, kind INTEGER, d TEXT, t INTEGER, port TEXT,
                    nat TEXT, cls TEXT, until TEXT);
.mode csv
.import --skip 1 '$dir/events.csv' events
CREATE INDEX events_trav ON events(trav, t, seq);
ANALYZE;
EOF
  echo "sqlite load $(elapsed "$t0")" >>"$times"
  for r in flows overstays; do
    for _ in $(seq "$reps"); do
      printf '.mode csv\n.output %s\n.timer on\n.read %s\n' "$dir/sqlite_$r.csv" "$sql/$r.sqlite.sql" |
        sqlite3 -batch "$db" | sed -n 's/^Run Time: real \([0-9.]*\).*/\1/p'
    done | best | sed "s/^/sqlite $r /" >>"$times"
    sorted "$dir/sqlite_$r.csv"
  done
  rm -f "$db"
else
  echo "bench-reports: sqlite3 not found: SQLite skipped" >&2
fi

# ---- PostgreSQL 15 (a real server in DIR) ----
pgbin=/usr/lib/postgresql/15/bin
if [ -x "$pgbin/initdb" ] && { [ "$(id -u)" != 0 ] || id postgres >/dev/null 2>&1; }; then
  pg=$dir/pg
  mkdir -p "$pg"
  if [ "$(id -u)" = 0 ]; then # PostgreSQL refuses to run as root
    chown postgres "$pg"
    as_pg() { runuser -u postgres -- "$@"; }
  else
    as_pg() { "$@"; }
  fi
  as_pg "$pgbin/initdb" -D "$pg/data" -U postgres -A trust --locale=C -E UTF8 >/dev/null
  as_pg "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/log" -w \
    -o "-p 55432 -k $pg -c listen_addresses='' -c shared_buffers=2GB -c work_mem=512MB -c fsync=off -c max_wal_size=4GB" \
    start >/dev/null
  trap 'as_pg "$pgbin/pg_ctl" -D "$pg/data" -m fast stop >/dev/null 2>&1 || true' EXIT
  psql_() { psql -X -q -h "$pg" -p 55432 -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }
  t0=$(now)
  psql_ <<EOF
CREATE UNLOGGED TABLE events(seq bigint, trav integer, kind smallint, d date, t bigint, port text,
                             nat text, cls text, until date);
\copy events FROM '$dir/events.csv' CSV HEADER
CREATE INDEX events_trav ON events(trav, t, seq);
VACUUM ANALYZE events;
EOF
  echo "postgres load $(elapsed "$t0")" >>"$times"
  for r in flows overstays; do
    for _ in $(seq "$reps"); do
      { printf '\\pset format unaligned\n\\pset fieldsep ,\n\\pset tuples_only on\n\\timing on\n'
        printf '\\o %s\n' "$dir/postgres_$r.csv"; cat "$sql/$r.pg.sql"; } |
        psql_ | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | awk '{ printf "%.6f\n", $1 / 1000 }'
    done | best | sed "s/^/postgres $r /" >>"$times"
    sorted "$dir/postgres_$r.csv"
  done
  as_pg "$pgbin/pg_ctl" -D "$pg/data" -m fast stop >/dev/null
  trap - EXIT
  rm -rf "$pg"
else
  echo "bench-reports: PostgreSQL 15 or user postgres not found: PostgreSQL skipped" >&2
fi
rm -f "$dir/events.csv"
