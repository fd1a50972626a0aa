#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench-server.sh BUILD_DIR [SECONDS] [CONNECTIONS]: admissions per second and
# p50/p99 latency of the real server under wrk on loopback (8 server
# threads, wrk with 1 thread, both on this machine's cores). Three cases:
#   unknown  a traveller the ledger does not know: decision only, no
#            personal record read, nothing audited (the common booth case);
#   known    a traveller with history: the history is read, so the read is
#            audited and the answer waits for the audit group commit;
#   record   "record": true of the same admission (an idempotent retry after
#            the first: a store write transaction plus the audit entry).
# Target (issue 8): > 10,000 decisions/s with p99 < 5 ms, no errors.
set -euo pipefail
build=${1:-build}
secs=${2:-10}
conns=${3:-8}
threads=${FR_BENCH_THREADS:-8}
top=$(cd "$(dirname "$0")/.." && pwd)
F="$build/frontera"
command -v wrk >/dev/null || { echo "bench-server.sh: wrk is needed" >&2; exit 2; }
T=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
export FRONTERA_DB="$T/ledger.db"
export FR_TOKEN=$("$F" user add bench --role officer)
"$F" serve --listen 127.0.0.1:0 --policy "$top/data/policy/ecu.policy" --threads "$threads" --quiet >"$T/out" 2>"$T/err" &
PID=$!
for _ in $(seq 100); do grep -q '^listening on' "$T/out" 2>/dev/null && break; sleep 0.1; done
U=$(sed -n 's/^listening on //p' "$T/out")
[ -n "$U" ] || { cat "$T/err" >&2; exit 3; }
L1='P<CHNZHANG<<WEI<<<<<<<<<<<<<<<<<<<<<<<<<<<<<'
L2='E123456782CHN8503149M3005017<<<<<<<<<<<<<<<8'
UNK="{\"mrz\":[\"$L1\",\"$L2\"],\"port\":\"ECUIO\",\"at\":\"2024-06-30T10:15-05:00\"}"
REC="{\"mrz\":[\"$L1\",\"$L2\"],\"port\":\"ECUIO\",\"at\":\"2024-06-30T10:15-05:00\",\"record\":true}"
KNOWN="{\"mrz\":[\"$L1\",\"$L2\"],\"port\":\"ECUIO\",\"at\":\"2024-07-10T10:15-05:00\",\"visa\":\"V1\"}"
run() { # run NAME BODY
  export FR_BODY=$2
  local cmd="wrk -t1 -c$conns -d${secs}s -s bench/wrk_admissions.lua $U/v1/admissions"
  local line; line=$(cd "$top" && $cmd | grep '^RESULT')
  local rps p99 errs non2xx
  rps=$(echo "$line" | sed 's/.*rps=\([0-9]*\).*/\1/'); p99=$(echo "$line" | sed 's/.*p99_ms=\([0-9.]*\).*/\1/')
  errs=$(echo "$line" | sed 's/.*errors=\([0-9]*\).*/\1/'); non2xx=$(echo "$line" | sed 's/.*non2xx=\([0-9]*\).*/\1/')
  local verdict=met
  awk -v r="$rps" -v p="$p99" 'BEGIN{exit !(r > 10000 && p < 5)}' || verdict="NOT met"
  [ "$errs" = 0 ] && [ "$non2xx" = 0 ] || verdict="NOT met (errors)"
  printf '%-8s %s  target(>10000/s, p99<5ms): %s\n         command: %s\n' "$1" "${line#RESULT }" "$verdict" "$cmd"
}
echo "frontera serve --threads $threads on $(nproc) cores; wrk -t1 -c$conns for ${secs}s per case; load $(cut -d' ' -f1-3 /proc/loadavg)"
run unknown "$UNK"
curl -s -o /dev/null -H "Authorization: Bearer $FR_TOKEN" -H 'Content-Type: application/json' --data-binary "$REC" "$U/v1/admissions"
run known "$KNOWN"
run record "$REC"
audited=$("$F" audit verify | sed -n 's/^OK: \([0-9]*\) entries.*/\1/p')
echo "audit chain after the run: ${audited:-BROKEN} entries, verified"
