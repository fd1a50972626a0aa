#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pg_http.sh BUILD_DIR [SECONDS] [CONNECTIONS]: recorded admissions over HTTP
# (POST /v1/admissions, "record": true, a new traveller each time:
# bench/wrk_record.lua) with two server processes on one PostgreSQL database
# (a throw-away cluster, tests/pg-cluster.sh; one wrk per server, run at
# once), beside one server on SQLite in the same run. Prints admissions/s,
# p50/p99 per wrk, and the ratio PostgreSQL/SQLite.
# Targets (issue 15): >= 3,000/s with p99 < 20 ms on PostgreSQL.
set -euo pipefail
build=${1:-build}
secs=${2:-10}
conns=${3:-8}
src=$(cd "$(dirname "$0")/.." && pwd)
F=$build/frontera
command -v wrk >/dev/null || { echo "pg_http.sh: wrk is needed" >&2; exit 2; }
T=$(mktemp -d)
PGDIR=/tmp/frontera-pg-http.$$
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    bash "$src/tests/pg-cluster.sh" stop "$PGDIR"
    rm -rf "$T"
}
trap cleanup EXIT
URI=$(bash "$src/tests/pg-cluster.sh" start "$PGDIR")
serve() { # serve DB NAME -> URL
    FRONTERA_DB=$1 "$F" serve --listen 127.0.0.1:0 --policy "$src/data/policy/ecu.policy" --threads "${FR_BENCH_THREADS:-16}" \
        --quiet >"$T/$2.out" 2>"$T/$2.err" &
    PIDS+=($!)
    for _ in $(seq 100); do grep -q '^listening on' "$T/$2.out" 2>/dev/null && break; sleep 0.1; done
    sed -n 's/^listening on //p' "$T/$2.out"
}
"$F" --db "$URI" init >/dev/null
TOKP=$("$F" --db "$URI" user add bench --role officer)
TOKS=$("$F" --db "$T/l.db" user add bench --role officer)
A=$(serve "$URI" a)
B=$(serve "$URI" b)
S=$(serve "$T/l.db" s)
run() { # run URL TOKEN PREFIX CONNS SEED
    FR_TOKEN=$2 FR_PREFIX=$3 FR_SEED=$5 wrk -t1 -c"$4" -d"${secs}s" --latency -s "$src/bench/wrk_record.lua" "$1/v1/admissions" |
        grep '^RESULT'
}
half=$(((conns + 1) / 2))
run "$A" "$TOKP" pa "$half" 1 >"$T/ra" &
run "$B" "$TOKP" pb "$half" 2 >"$T/rb" &
wait %1 %2 2>/dev/null || wait
echo "postgres server A: $(cat "$T/ra")"
echo "postgres server B: $(cat "$T/rb")"
run "$S" "$TOKS" s "$conns" 3 >"$T/rs"
echo "sqlite   server  : $(cat "$T/rs")"
rec=$(psql -tAq "$URI" -c "SELECT count(*) FROM events")
echo "events recorded in PostgreSQL: $rec"
python3 - "$T/ra" "$T/rb" "$T/rs" <<'PY'
import re, sys
def parse(p):
    return dict(re.findall(r"(\w+)=([\d.]+)", open(p).read()))
a, b, s = (parse(p) for p in sys.argv[1:4])
pg = float(a["rps"]) + float(b["rps"])
print(f"PostgreSQL, 2 servers: {pg:.0f} admissions/s, p99 {max(float(a['p99_ms']), float(b['p99_ms'])):.1f} ms"
      f" (target >= 3000/s, p99 < 20 ms)")
print(f"SQLite, 1 server:      {float(s['rps']):.0f} admissions/s, p99 {float(s['p99_ms']):.1f} ms")
print(f"ratio PostgreSQL/SQLite: {pg / float(s['rps']):.2f}")
PY
