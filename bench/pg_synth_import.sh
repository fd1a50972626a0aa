#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pg_synth_import.sh BUILD_DIR [SCALE] [SEED]: `frontera synth --scale SCALE
# --seed SEED` imported into SQLite and into PostgreSQL (a throw-away cluster,
# tests/pg-cluster.sh; fsync on), one process each, default batch; prints
# for each: seconds, events/s, travellers, documents by link kind (renewal =
# linked to a known traveller), open reviews, and linkeval's precision and
# recall against the synthetic ground truth. Both backends make the linking
# decision with the same code, so the counts must be equal, and so must
# the exports (their sha256 is compared).
set -euo pipefail
build=${1:-build}
scale=${2:-0.1}
seed=${3:-1}
src=$(cd "$(dirname "$0")/.." && pwd)
F=$build/frontera
T=$(mktemp -d)
PGDIR=/tmp/frontera-pg-synth.$$
trap 'bash "$src/tests/pg-cluster.sh" stop "$PGDIR" >/dev/null 2>&1 || true; rm -rf "$T"' EXIT
URI=$(bash "$src/tests/pg-cluster.sh" start "$PGDIR")
"$F" synth --scale "$scale" --seed "$seed" --out "$T/s.csv" --truth "$T/truth.csv" --quiet
rows=$(($(wc -l <"$T/s.csv") - 1))
psql -q "$URI" -c "CREATE DATABASE ledger"
PG="${URI%/*}/ledger"
now() { date +%s.%N; }
run() { # run NAME DB
    "$F" --db "$2" init >/dev/null
    local t0 t1
    t0=$(now)
    "$F" --db "$2" import "$T/s.csv" >"$T/$1.out" 2>/dev/null
    t1=$(now)
    local secs
    secs=$(python3 -c "print(f'{$t1 - $t0:.1f}')")
    local q="SELECT (SELECT count(*) FROM travellers) || ' travellers, '
             || (SELECT count(*) FROM documents) || ' documents, '
             || (SELECT count(*) FROM documents WHERE link = 3) || ' renewal links, '
             || (SELECT count(*) FROM link_reviews WHERE status = 'open') || ' open reviews'"
    local counts
    if [ "$1" = sqlite ]; then counts=$(sqlite3 "$2" "$q"); else counts=$(psql -tAq "$2" -c "$q"); fi
    echo "$1: $rows events in $secs s ($(python3 -c "print(round($rows / ($t1 - $t0)))") events/s); $counts"
    "$F" --db "$2" linkeval --truth "$T/truth.csv" 2>&1 | sed -n '2,3p' | sed 's/^/  /' || true
    "$F" --db "$2" export | sha256sum | cut -c1-16 >"$T/$1.sha"
    echo "  export sha256 $(cat "$T/$1.sha")"
}
run sqlite "$T/l.db"
run postgres "$PG"
if cmp -s "$T/sqlite.sha" "$T/postgres.sha"; then echo "exports: identical"; else echo "exports: DIFFER"; fi
echo "uptime: $(uptime)"
