#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# import_crash.sh: fault injection for the bulk import. Generate 200,000
# crossings (tests/data/ledger/gen.awk), start an import, kill -9 it once it
# has committed some batches, and check that the store is consistent (only
# whole batches, integrity_check ok), that a re-run completes it counting the
# committed rows as duplicates, and that the result is exactly the result of
# an uninterrupted import: every event once, every exit paired, no anomaly.
set -euo pipefail
F=${FRONTERA:?FRONTERA must name the program}
SRC=${FR_SOURCE_DIR:?}
N=${FR_CRASH_ROWS:-200000}
BATCH=10000
T=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v sqlite3 >/dev/null || fail "the sqlite3 shell is needed"
q() { sqlite3 -cmd '.timeout 10000' "$1" "$2"; }

awk -v n="$N" -f "$SRC/tests/data/ledger/gen.awk" > "$T/c.csv"
[ "$(wc -l < "$T/c.csv")" = $((N + 1)) ] || fail "the generator wrote the wrong number of rows"
export FRONTERA_DB=$T/crash.db
"$F" init >/dev/null

"$F" import --batch $BATCH --batch-seconds 0 "$T/c.csv" > "$T/run1.out" 2>&1 &
PID=$!
seen=0
for _ in $(seq 1 2000); do
  seen=$(q "$FRONTERA_DB" 'SELECT count(*) FROM events' 2>/dev/null || echo 0)
  [ "$seen" -ge $((3 * BATCH)) ] && break
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.02
done
kill -9 "$PID" 2>/dev/null || fail "the import finished before it could be killed (raise FR_CRASH_ROWS)"
wait "$PID" 2>/dev/null || true
PID=

[ "$(q "$FRONTERA_DB" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check after the kill"
before=$(q "$FRONTERA_DB" 'SELECT count(*) FROM events')
[ "$before" -ge $((3 * BATCH)) ] || fail "only $before events were committed before the kill"
[ "$before" -lt "$N" ] || fail "everything was committed before the kill"
[ $((before % BATCH)) = 0 ] || fail "$before events: a partial batch is visible after the kill"
echo "killed after $before committed events"
# the import into an empty ledger deferred two indexes (docs/ledger.md): killed, they are missing
IDX="SELECT count(*) FROM sqlite_schema WHERE name IN ('travellers_birth', 'events_traveller_time')"
[ "$(q "$FRONTERA_DB" "$IDX")" = 0 ] || fail "the killed initial load had its indexes already"

"$F" import --batch $BATCH "$T/c.csv" > "$T/run2.out" 2>"$T/run2.err" || fail "re-run: $(cat "$T/run2.err")"
grep -q "$N rows: $((N - before)) taken, $before duplicates, 0 rejected" "$T/run2.out" \
  || fail "re-run summary: $(cat "$T/run2.out")"
[ "$(q "$FRONTERA_DB" 'SELECT count(*) FROM events')" = "$N" ] || fail "the event count is not exact"
[ "$(q "$FRONTERA_DB" "$IDX")" = 2 ] || fail "the re-run did not give the ledger its indexes back"
[ "$(q "$FRONTERA_DB" 'SELECT count(DISTINCT event_id) FROM events')" = "$N" ] || fail "duplicated events"
[ "$(q "$FRONTERA_DB" 'SELECT count(*) FROM documents')" = $((N / 4)) ] || fail "duplicated documents"
[ "$(q "$FRONTERA_DB" 'SELECT count(*) FROM travellers')" = $((N / 4)) ] || fail "duplicated travellers"
[ "$(q "$FRONTERA_DB" 'SELECT count(*) FROM events WHERE anomalies <> 0')" = 0 ] \
  || fail "the resumed import flagged anomalies"
[ "$(q "$FRONTERA_DB" 'SELECT count(*) FROM events WHERE kind = 2 AND paired_id IS NOT NULL')" = $((N / 2)) ] \
  || fail "not every exit is paired"

# the same file imported without a crash gives the same ledger
FRONTERA_DB=$T/clean.db "$F" init >/dev/null
FRONTERA_DB=$T/clean.db "$F" import --batch $BATCH "$T/c.csv" >/dev/null
"$F" export > "$T/crash.csv"
FRONTERA_DB=$T/clean.db "$F" export > "$T/clean.csv"
cmp -s "$T/crash.csv" "$T/clean.csv" || fail "the resumed ledger differs from an uninterrupted import"

# two processes importing at once into one file, the exits half first in one
# of them: writers queue on the lock, caches notice the other's commits, and
# late entries are re-paired - the ledger ends up as a sequential import's
awk -v n=$((N / 10)) -f "$SRC/tests/data/ledger/gen.awk" > "$T/small.csv"
{ head -1 "$T/small.csv"; tail -n +2 "$T/small.csv" | grep ',entry,'; } > "$T/entries.csv"
{ head -1 "$T/small.csv"; tail -n +2 "$T/small.csv" | grep ',exit,'; } > "$T/exits.csv"
export FRONTERA_DB=$T/two.db
"$F" init >/dev/null
"$F" import --batch 500 "$T/exits.csv" > "$T/p1.out" 2>&1 & P1=$!
"$F" import --batch 700 "$T/entries.csv" > "$T/p2.out" 2>&1 & P2=$!
wait $P1 || fail "concurrent import 1: $(cat "$T/p1.out")"
wait $P2 || fail "concurrent import 2: $(cat "$T/p2.out")"
[ "$(q "$FRONTERA_DB" 'SELECT count(*) FROM events')" = $((N / 10)) ] || fail "concurrent imports lost events"
[ "$(q "$FRONTERA_DB" 'SELECT count(*) FROM travellers')" = $((N / 40)) ] \
  || fail "concurrent imports duplicated travellers"
[ "$(q "$FRONTERA_DB" 'SELECT count(*) FROM events WHERE anomalies <> 0')" = 0 ] \
  || fail "concurrent, out-of-order imports left anomalies"
[ "$(q "$FRONTERA_DB" 'SELECT count(*) FROM events WHERE kind = 2 AND paired_id IS NOT NULL')" = $((N / 20)) ] \
  || fail "concurrent, out-of-order imports left exits unpaired"
"$F" export | tail -n +2 | sort > "$T/two.csv"
tail -n +2 "$T/small.csv" | sort > "$T/small.sorted"
cmp -s "$T/two.csv" "$T/small.sorted" || fail "concurrent imports changed the data"
echo "import_crash.sh: ok"
