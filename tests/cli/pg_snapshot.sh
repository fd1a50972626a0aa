#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pg_snapshot.sh: reports on a PostgreSQL ledger keep their analytics index
# in the file --snapshot names (snapshot.h): the same figures as a report
# that builds the index from the store; a second report reads the file
# (a truncated one is refused and rebuilt); events imported since
# are read and appended; a file made from another database is not trusted;
# the server starts its report index from it too.
set -euo pipefail
F=${FRONTERA:?FRONTERA must name the program}
T=$(mktemp -d)
SRV=
trap '[ -n "$SRV" ] && kill "$SRV" 2>/dev/null; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

. "$(dirname "$0")/pg_common.inc" # ADMIN (or a skip), pg_newdb
A=$(pg_newdb a)
B=$(pg_newdb b)
"$F" synth --seed 7 --scale 0.002 --out "$T/all.csv" --quiet
head -n 8001 "$T/all.csv" >"$T/first.csv"
{ head -n 1 "$T/all.csv"; tail -n +8002 "$T/all.csv"; } >"$T/rest.csv"
"$F" --db "$A" init >/dev/null
"$F" --db "$A" import "$T/first.csv" >/dev/null 2>&1
"$F" synth --seed 8 --scale 0.004 --out "$T/other.csv" --quiet # another ledger, longer than A's
"$F" --db "$B" init >/dev/null
"$F" --db "$B" import "$T/other.csv" >/dev/null 2>&1

# reports: flows and overstays, as CSV, into $2.flows / $2.over; stderr into $2.err
reports() {
    local db=$1 out=$2; shift 2
    "$F" --db "$db" "$@" report flows --by nationality,port,month --format csv >"$out.flows" 2>"$out.err"
    "$F" --db "$db" "$@" report overstays --as-of 2024-12-31 --format csv >"$out.over" 2>>"$out.err"
}
same() { cmp -s "$1.flows" "$2.flows" && cmp -s "$1.over" "$2.over"; }

S=$T/central.analytics
reports "$A" "$T/ref1"
[ -s "$T/ref1.flows" ] && [ "$(wc -l <"$T/ref1.flows")" -gt 10 ] || fail "the reference report is empty"
[ -e "$S" ] && fail "without --snapshot nothing is written"
reports "$A" "$T/s1" --snapshot "$S"
same "$T/ref1" "$T/s1" || fail "a report kept in the snapshot differs from one built from the store"
[ -s "$S" ] || fail "--snapshot did not write $S"
[ "$(stat -c %a "$S")" = 600 ] || fail "the snapshot must be readable by its owner only: $(stat -c %a "$S")"
# read again from the file (FRONTERA_SNAPSHOT is the same option)
FRONTERA_SNAPSHOT=$S reports "$A" "$T/s2"
same "$T/ref1" "$T/s2" || fail "a report read from the snapshot differs"
[ -s "$T/s2.err" ] && fail "a current snapshot is read without a word: $(cat "$T/s2.err")"
# a truncated snapshot is refused and rebuilt (written again whole)
truncate -s 4096 "$S"
reports "$A" "$T/s3" --snapshot "$S"
same "$T/ref1" "$T/s3" || fail "after a truncated snapshot the report differs"
[ "$(stat -c %s "$S")" -gt 4096 ] || fail "the truncated snapshot was not written again"

# events imported since: read and appended, the figures of a fresh build
"$F" --db "$A" import "$T/rest.csv" >/dev/null 2>&1
reports "$A" "$T/ref2"
cmp -s "$T/ref1.flows" "$T/ref2.flows" && fail "the import changed no figure: the test proves nothing"
reports "$A" "$T/s4" --snapshot "$S"
same "$T/ref2" "$T/s4" || fail "a refreshed snapshot differs from a build from the store"

# another database with the same file: not trusted
reports "$B" "$T/refb"
reports "$B" "$T/sb" --snapshot "$S"
same "$T/refb" "$T/sb" || fail "another ledger's snapshot was trusted"

# the server starts its report index from the file
rm -f "$S"
"$F" --db "$A" user add ana --role analyst >"$T/tok"
"$F" --db "$A" --snapshot "$S" serve --listen 127.0.0.1:0 --quiet >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
for _ in $(seq 100); do grep -q '^listening on' "$T/srv.out" 2>/dev/null && break; sleep 0.1; done
U=$(sed -n 's/^listening on //p' "$T/srv.out")
[ -n "$U" ] || fail "the server did not start: $(cat "$T/srv.err")"
code=$(curl -s -o "$T/srv.json" -w '%{http_code}' -H "Authorization: Bearer $(cat "$T/tok")" \
    "$U/v1/reports/flows?by=nationality")
[ "$code" = 200 ] || fail "GET /v1/reports/flows answered $code: $(cat "$T/srv.json")"
[ -s "$S" ] || fail "the server did not keep its index in --snapshot $S"
kill "$SRV"
wait "$SRV" 2>/dev/null || true
SRV=
echo "ok: reports on PostgreSQL with --snapshot: equal to a build from the store, read, refreshed, refused when foreign or truncated"
