#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# dashboard_http.sh BUILD_DIR [SCALE] [N]: the dashboard's requests at volume.
# A ledger from `frontera synth --scale SCALE --seed 1` (default 0.1) imported
# with `frontera import`, served by `frontera serve` on loopback; then, with
# an analyst's token, each request the dashboard makes is sent N times (default
# 20) with distinct parameters (other months, ports, report dates), one at a
# time, timed by curl (time_total). The server loads the analytics index
# before it listens (timed as "serve"); the first report is timed on its
# own. Prints one line per request: median, p90 and max in milliseconds.
set -euo pipefail
build=${1:-build}
scale=${2:-0.1}
n=${3:-20}
F=$build/frontera
T=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
t0=$(date +%s.%N)
"$F" synth --scale "$scale" --seed 1 --quiet --out "$T/all.csv"
t1=$(date +%s.%N)
"$F" --db "$T/l.db" init >/dev/null
"$F" --db "$T/l.db" import "$T/all.csv" >/dev/null 2>&1
t2=$(date +%s.%N)
events=$(($(wc -l <"$T/all.csv") - 1))
printf 'synth: %d events in %.1f s; import: %.1f s\n' "$events" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)"
tok=$("$F" --db "$T/l.db" user add bench-analyst --role analyst | grep -o 'frt_[A-Za-z0-9_-]\{43\}' | head -n 1)
t3=$(date +%s.%N)
"$F" --db "$T/l.db" serve --listen 127.0.0.1:0 --quiet >"$T/out" 2>"$T/err" &
PID=$!
for _ in $(seq 1000); do grep -q '^listening on' "$T/out" 2>/dev/null && break; sleep 0.02; done
printf 'serve: listening after %.2f s (the report index loaded before)\n' "$(echo "$(date +%s.%N) - $t3" | bc)"
U=$(sed -n 's/^listening on //p' "$T/out")
[ -n "$U" ] || { echo "the server did not start: $(cat "$T/err")" >&2; exit 1; }

get() { # PATH -> milliseconds; fails on a status other than 200
  local out
  out=$(curl -s -o "$T/body" -w '%{http_code} %{time_total}' -H "Authorization: Bearer $tok" "$U$1")
  [ "${out%% *}" = 200 ] || { echo "GET $1: ${out%% *} $(head -c 300 "$T/body")" >&2; exit 1; }
  echo "${out#* }" | awk '{printf "%.1f\n", $1 * 1000}'
}
stats() { # NAME, then milliseconds on stdin
  sort -n | awk -v name="$1" '{v[NR]=$1} END {printf "%-44s n=%3d  median %7.1f  p90 %7.1f  max %7.1f ms\n", name, NR, v[int((NR+1)/2)], v[int(NR*0.9+0.999)], v[NR]}'
}

printf '%-44s %.1f ms\n' "first report (flows by port)" "$(get '/v1/reports/flows?by=port')"
ports=$(python3 -c 'import json,sys; print(" ".join(r["port"] for r in json.load(open(sys.argv[1]))["rows"]))' "$T/body")
# n distinct periods: a month of 2022-2024 as from, a year later as to (or the last month)
month() { local k=$1; printf '%04d-%02d' $((2022 + k / 12)) $((k % 12 + 1)); }
periods=()
for i in $(seq 0 $((n - 1))); do
  a=$(((i * 7) % 24))
  b=$((a + 12 > 35 ? 35 : a + 12))
  periods+=("from=$(month $a)&to=$(month $b)")
done
for i in "${!periods[@]}"; do get "/v1/reports/flows?by=nationality,month&${periods[$i]}"; done | stats "flows by nationality,month (a year)"
for i in "${!periods[@]}"; do get "/v1/reports/flows?by=port&${periods[$i]}"; done | stats "flows by port (the port picker)"
for i in "${!periods[@]}"; do
  d=$(printf '2024-%02d-%02d' $((i % 12 + 1)) $((i % 28 + 1)))
  get "/v1/reports/overstays?by=nationality&${periods[$i]}&as_of=$d"
done | stats "overstays by nationality, as of a date"
np=$(wc -w <<<"$ports")
for i in "${!periods[@]}"; do
  p=$(tr ' ' '\n' <<<"$ports" | sed -n "$((i % np + 1))p")
  get "/v1/reports/port-days?port=$p&${periods[$i]}"
done | stats "port-days (a port, a year, day by day)"
for i in "${!periods[@]}"; do
  p=$(tr ' ' '\n' <<<"$ports" | sed -n "$((i % np + 1))p")
  get "/v1/reports/port-days?port=$p&from=$(month $((i % 36)))&to=$(month $((i % 36)))"
done | stats "port-days (a port, a month)"
for i in 0 1 2 3 4; do get "/v1/reports/port-days?port=$(tr ' ' '\n' <<<"$ports" | sed -n "$((i % np + 1))p")"; done |
  stats "port-days (a port, the whole ledger)"
for i in $(seq 0 4); do
  d=$(printf '2024-%02d-28' $((i * 2 + 2)))
  get "/v1/alerts?${periods[$i]}&as_of=$d"
done | stats "alerts (the ledger read per request)"
