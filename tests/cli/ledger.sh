#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ledger.sh: the crossings ledger through the real program on a real SQLite
# file: init and migrations (a newer schema is refused), record (retries,
# conflicts, anomalies, renewals, late arrivals), traveller, import (any
# column order, unknown columns said once, rejects with line/column/reason,
# missing columns named, re-import all duplicates, no progress bar on a
# pipe) and export (round trip exact).
set -euo pipefail
# grep -q stops at its first match, and under pipefail the writer then
# dies of SIGPIPE and a passing check fails by chance: read it all first.
grep_q() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
F=${FRONTERA:?FRONTERA must name the program}
SRC=${FR_SOURCE_DIR:?}
D=$SRC/tests/data/ledger
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
rc_of() { set +e; "$@" >"$T/out" 2>"$T/err"; local rc=$?; set -e; echo $rc; }
export FRONTERA_DB=$T/a.db

# --- init, migrations, refusal of a newer schema
[ "$(rc_of "$F" traveller 1)" = 3 ] || fail "traveller without a database should exit 3"
grep -q 'frontera init' "$T/err" || fail "no hint to run init: $(cat "$T/err")"
"$F" init | grep_q 'schema version 4' || fail "init did not report the schema version"
"$F" init >/dev/null || fail "a second init failed"
[ "$(sqlite3 "$FRONTERA_DB" 'PRAGMA journal_mode')" = wal ] || fail "not in WAL mode"
cp "$FRONTERA_DB" "$T/newer.db"
sqlite3 "$T/newer.db" 'PRAGMA user_version = 42'
[ "$(rc_of "$F" --db "$T/newer.db" init)" = 3 ] || fail "a newer schema was not refused"
grep -q 'schema version 42, newer than' "$T/err" || fail "unclear refusal: $(cat "$T/err")"
[ "$(sqlite3 "$T/newer.db" 'PRAGMA user_version')" = 42 ] || fail "the newer database was changed"

# --- record: idempotent retry, conflict, anomalies, renewal, late arrival
rec() { "$F" record "$@"; }
P=(--surname Perez --given-names "Ana  Maria" --nationality ECU --birth-date 1990-05-06 --sex F)
rec entry --event-id E1 --at 2024-07-01T10:15-05:00 --port ECUIO --document ECU:A1 "${P[@]}" \
  --class tourist --authorised-until 2024-09-28 >/dev/null
out=$(rec entry --event-id E1 --at 2024-07-01T10:15-05:00 --port ECUIO --document ECU:A1 "${P[@]}" \
  --class tourist --authorised-until 2024-09-28 --json)
echo "$out" | grep_q '"duplicate":true' || fail "a retry was not a no-op: $out"
[ "$(rc_of rec entry --event-id E1 --at 2024-07-01T10:20-05:00 --port ECUIO --document ECU:A1)" = 1 ] \
  || fail "a conflicting retry should exit 1"
grep -q 'different content' "$T/err" || fail "conflict message: $(cat "$T/err")"
[ "$(rc_of rec entry --event-id E9 --at 2024-07-01T10:20-05:00 --port ZZUIO --document ECU:A1)" = 2 ] \
  || fail "a bad port should exit 2"
grep -q "port" "$T/err" || fail "bad port message does not name the port"
[ "$(rc_of rec exit --event-id E8 --at 2024-07-21 --port ECUIO --document ECU:A1)" = 2 ] \
  || fail "a day without its time and offset should exit 2"
grep -qF -- "--at: '2024-07-21' needs a time and its UTC offset" "$T/err" || fail "--at without offset: $(cat "$T/err")"
grep -q "frontera help record" "$T/err" || fail "no help hint for --at: $(cat "$T/err")"
# the exit arrives late; an earlier-dated exit of the renewed passport arrives first
rec exit --event-id X2 --at 2024-08-20T09:00-05:00 --port ECGYE --document ECU:B2 "${P[@]}" \
  --json | grep_q '"link":"renewal"' || fail "the renewed passport was not linked"
out=$(rec exit --event-id X1 --at 2024-07-10T09:00-05:00 --port ECGYE --document ECU:A1 --json)
echo "$out" | grep_q '"anomalies":\[\]' || fail "late exit flagged: $out"
"$F" traveller ECU:B2 --json > "$T/t.json"
grep -q '"in_country": false' "$T/t.json" || fail "traveller should be out of the country"
grep -q '"exit_without_entry"' "$T/t.json" || fail "X2 (no open entry) is not flagged"
python3 - "$T/t.json" <<'PY' || fail "history is not in event-time order with X1 paired to E1"
import json, sys
h = json.load(open(sys.argv[1]))
ids = [e["event_id"] for e in h["events"]]
assert ids == ["E1", "X1", "X2"], ids
assert h["events"][1]["paired_with"] == "E1"
assert h["events"][0]["paired_with"] == "X1"
assert len(h["documents"]) == 2
PY
[ "$(rc_of "$F" traveller 999)" = 1 ] || fail "an unknown traveller should exit 1"
"$F" export > "$T/a.csv"
"$F" import "$T/a.csv" | grep_q '3 rows: 0 taken, 3 duplicates, 0 rejected' \
  || fail "an export imported back into its own ledger is not all duplicates"

# --- import: sample, rejects, column order, missing columns, re-run
export FRONTERA_DB=$T/b.db
"$F" init >/dev/null
"$F" import "$D/sample.csv" >"$T/out" 2>"$T/err" || fail "import sample: $(cat "$T/err")"
grep -q '12 rows: 12 taken, 0 duplicates, 0 rejected' "$T/out" || fail "summary: $(cat "$T/out")"
if grep -q $'\r' "$T/err"; then fail "a progress bar was drawn on a pipe"; fi
"$F" import "$D/sample.csv" | grep_q '12 rows: 0 taken, 12 duplicates, 0 rejected' \
  || fail "a re-import is not all duplicates"
"$F" traveller VEN:V1234567 | grep_q 'review: traveller' || fail "uncertain link not kept for review"
"$F" traveller COL:CD654321 | grep_q 'authorised until 2024-12-31' || fail "extension ignored"
"$F" traveller COL:CD654321 | grep_q 'anomaly: entry_without_exit' || fail "second entry not flagged"
"$F" export > "$T/e1.csv"
cmp -s "$D/sample.csv" "$T/e1.csv" || { diff "$D/sample.csv" "$T/e1.csv" >&2; fail "export differs from the imported file"; }
FRONTERA_DB=$T/c.db "$F" init >/dev/null
FRONTERA_DB=$T/c.db "$F" import "$T/e1.csv" >/dev/null
FRONTERA_DB=$T/c.db "$F" export > "$T/e2.csv"
cmp -s "$T/e1.csv" "$T/e2.csv" || fail "export -> import -> export is not exact"
"$F" export --from 2024-08-01 --to 2024-08-05 | tail -n +2 | cut -d, -f1 | sort | tr '\n' ' ' \
  | grep_q -x 'GYE-0003 QIT-0003 QIT-0004 UIO-0005 ' || fail "export --from/--to selects the wrong rows"

[ "$(rc_of "$F" import "$D/bad.csv" --rejects "$T/rej.csv")" = 1 ] || fail "rejected rows should exit 1"
grep -q '11 rows: 2 taken, 0 duplicates, 9 rejected' "$T/out" || fail "bad summary: $(cat "$T/out")"
[ "$(wc -l < "$T/rej.csv")" = 10 ] || fail "the rejects file should hold a header and 9 rows"
printf 'event_id,kind,at,port,document_state,document_number\nQ-1,entry,2024-07-01T10:15-05:00,ECUIO,ECU,"Q1\n' >"$T/openq.csv"
rc_of "$F" import "$T/openq.csv" --no-policy >/dev/null
grep -q 'never closed' "$T/err" || fail "an open quote is not reported: $(cat "$T/err")"
grep -q 'column 0' "$T/err" && fail "an open quote is placed at column 0: $(cat "$T/err")"
for want in '^3,kind,' '^4,at,' '^5,port,' '^6,document_state,' '^7,birth_date,' \
            '^8,authorised_until,' '^9,,column 37: a quote' '^10,,"the row has 7 fields' '^11,event_id,'; do
  grep -q "$want" "$T/rej.csv" || fail "rejects lack $want"
done

"$F" import "$D/reordered.csv" >"$T/out" 2>"$T/err" || fail "reordered import failed"
[ "$(grep -c 'ignoring unknown columns: gate' "$T/err")" = 1 ] || fail "unknown column not said once"
"$F" traveller ARG:X1111111 | grep_q 'status: not in the country' || fail "reordered rows wrong"

[ "$(rc_of "$F" import "$D/missing.csv")" = 3 ] || fail "missing columns should exit 3"
grep -q 'lacks required columns: kind, document_state' "$T/err" || fail "missing columns not named"
# the examples of docs/ledger.md run as written (the first sh block)
awk '/^```sh$/{on=1;next} /^```$/{if(on)exit} on' "$SRC/docs/ledger.md" \
  | sed -e "s#^frontera #\"$F\" #" -e "s#tests/data/ledger/#$D/#" > "$T/doc.sh"
[ "$(grep -c "$F" "$T/doc.sh")" -ge 5 ] || fail "could not extract the examples of docs/ledger.md"
(cd "$T" && unset FRONTERA_DB && bash -e "$T/doc.sh" > "$T/doc.out") || fail "a docs/ledger.md example failed"
grep -q 'status: not in the country' "$T/doc.out" || fail "the docs example traveller is not out"
[ "$(wc -l < "$T/august.csv")" = 7 ] || fail "the docs example export of August"

# on a terminal (script(1) provides one) the progress bar is drawn
if command -v script >/dev/null; then
  awk -v n=40000 -f "$D/gen.awk" > "$T/p.csv"
  FRONTERA_DB=$T/p.db "$F" init >/dev/null
  FRONTERA_DB=$T/p.db script -qec "'$F' import --batch 5000 '$T/p.csv'" /dev/null > "$T/tty.out"
  grep -q '100%' "$T/tty.out" || fail "no progress bar on a terminal"
  grep -q '40000 rows: 40000 taken' "$T/tty.out" || fail "terminal import summary"
fi
echo "ledger.sh: ok"
