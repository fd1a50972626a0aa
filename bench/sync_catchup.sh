#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sync_catchup.sh BUILD_DIR [N] [BATCH] [sqlite|pg]: a busy border post's
# catch-up after a day offline: N events (default 20,000, synthetic traffic)
# waiting in the post's SQLite ledger are sent with `frontera sync` to a
# central `frontera serve` on loopback, on SQLite or on a throw-away
# PostgreSQL cluster (tests/pg-cluster.sh). Prints the wall time, events/s
# and checks that the central holds all N. Target: under 10 s for 20,000.
set -euo pipefail
build=${1:-build}
n=${2:-20000}
batch=${3:-500}
backend=${4:-sqlite}
src=$(cd "$(dirname "$0")/.." && pwd)
F=$build/frontera
T=$(mktemp -d)
PGDIR=/tmp/frontera-pg-syncbench.$$
PID=
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null
  [ "$backend" = pg ] && bash "$src/tests/pg-cluster.sh" stop "$PGDIR" >/dev/null 2>&1
  rm -rf "$T"
}
trap cleanup EXIT
"$F" synth --scale 0.004 --seed 3 --quiet --out "$T/all.csv"
head -n $((n + 1)) "$T/all.csv" >"$T/post.csv"
[ "$(($(wc -l <"$T/post.csv") - 1))" = "$n" ] || { echo "not enough synthetic events" >&2; exit 1; }
"$F" --db "$T/post.db" init >/dev/null
"$F" --db "$T/post.db" import "$T/post.csv" >/dev/null 2>&1
if [ "$backend" = pg ]; then
  URI=$(bash "$src/tests/pg-cluster.sh" start "$PGDIR")
  psql -q "$URI" -c "CREATE DATABASE central"
  C="${URI%/*}/central"
else
  C="$T/central.db"
fi
"$F" --db "$C" init >/dev/null
TOK=$("$F" --db "$C" user add post --role post --ports ECUIO,ECGYE,ECTUL,ECMCH,ECCUE)
"$F" --db "$C" serve --listen 127.0.0.1:0 --policy "$src/data/policy/ecu.policy" --threads 2 \
  >"$T/srv.out" 2>"$T/srv.err" &
PID=$!
for _ in $(seq 100); do grep -q '^listening on' "$T/srv.out" 2>/dev/null && break; sleep 0.1; done
U=$(sed -n 's/^listening on //p' "$T/srv.out")
[ -n "$U" ] || { cat "$T/srv.err" >&2; exit 1; }
printf '%s\n' "$TOK" >"$T/tok"
t0=$(date +%s.%N)
"$F" --db "$T/post.db" sync --central "$U" --token-file "$T/tok" --batch "$batch" >"$T/sync.out"
t1=$(date +%s.%N)
got=$("$F" --db "$C" export | tail -n +2 | wc -l)
[ "$got" = "$n" ] || { echo "the central holds $got events, not $n" >&2; exit 1; }
python3 - "$t0" "$t1" "$n" "$batch" "$backend" <<'PY'
import sys
t0, t1, n, batch, backend = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
print(f"catch-up: {n} events, batches of {batch}, central on {backend}: {t1 - t0:.2f} s, {n / (t1 - t0):,.0f} events/s")
PY
cat "$T/sync.out"
