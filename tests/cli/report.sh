#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# report.sh: `frontera report flows|overstays` through the real program, on
# the hand-computed ledger tests/data/analytics/ledger.csv (the same ledger as
# tests/test_analytics.c, whose comment lists it; the figures below are
# worked out there): read straight from the CSV (--csv-input) and from a
# ledger database (init + import) with identical output; JSON, CSV and text;
# DHS edge cases through --as-of; --persons; usage errors exit 2 and a bad
# input row is named by line and column.
set -euo pipefail
# grep -q stops at its first match, and under pipefail the writer then
# dies of SIGPIPE and a passing check fails by chance: read it all first.
grep_q() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
F=${FRONTERA:?FRONTERA must name the program}
SRC=${FR_SOURCE_DIR:?}
L=$SRC/tests/data/analytics/ledger.csv
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
rc_of() { set +e; "$@" >"$T/out" 2>"$T/err"; local rc=$?; set -e; echo $rc; }
export FRONTERA_DB=$T/a.db
P=(--from 2024-01-01 --to 2024-06-30)

# --- overstays as JSON: CHN 4 = 2 in time + 1 late + 1 not left; crude (5 - 3) / 5.
# COL 3 = 1 + 2 + 0 (T6's extension makes it in time; T9's exit was sent first); (4 - 5) / 4.
"$F" report overstays --csv-input "$L" "${P[@]}" --as-of 2024-06-30 --by nationality --format json \
  >"$T/ovs.json"
python3 - "$T/ovs.json" <<'EOF' || fail "overstays JSON: $(cat "$T/ovs.json")"
import json, sys
rows = json.load(open(sys.argv[1]))
want = [
    {"nationality": "CHN", "expected_departures": 4, "in_time": 2, "out_of_country_overstays": 1,
     "in_country_overstays": 1, "overstay_rate": 0.5, "in_country_rate": 0.25,
     "crude_entries": 5, "crude_exits": 3, "crude_rate": 0.4},
    {"nationality": "COL", "expected_departures": 3, "in_time": 1, "out_of_country_overstays": 2,
     "in_country_overstays": 0, "overstay_rate": 0.666667, "in_country_rate": 0.0,
     "crude_entries": 4, "crude_exits": 5, "crude_rate": -0.25},
]
assert rows == want, rows
EOF

# --- the same from the ledger database
"$F" init >/dev/null
"$F" import "$L" >/dev/null 2>&1 || fail "import of the test ledger failed"
"$F" report overstays "${P[@]}" --as-of 2024-06-30 --by nationality --format json >"$T/ovs_db.json"
cmp -s "$T/ovs.json" "$T/ovs_db.json" || fail "the database and the CSV disagree: $(cat "$T/ovs_db.json")"

# --- DHS edge cases through the report date: as of 04-08 T2's stay (ends 04-08) is not over;
# as of 04-09 it is, and its exit that day is one day late.
"$F" report overstays "${P[@]}" --as-of 2024-04-08 --nationality CHN --format csv >"$T/o"
[ "$(sed -n 2p "$T/o")" = "1,1,0,0,0.000000,0.000000,3,1,0.666667" ] || fail "as of 04-08: $(cat "$T/o")"
"$F" report overstays "${P[@]}" --as-of 2024-04-09 --nationality CHN --format csv >"$T/o"
[ "$(sed -n 2p "$T/o")" = "2,1,1,0,0.500000,0.000000,3,2,0.333333" ] || fail "as of 04-09: $(cat "$T/o")"
# T10's stay ended 01-31; as of 04-30 its 05-10 exit has not happened: not left.
"$F" report overstays "${P[@]}" --as-of 2024-04-30 --nationality COL --format csv >"$T/o"
[ "$(sed -n 2p "$T/o" | cut -d, -f1-4)" = "3,1,1,1" ] || fail "as of 04-30: $(cat "$T/o")"

# --- persons: T2 (late, then in time) counts once, as late; crude persons enter 4, leave 2
"$F" report overstays "${P[@]}" --as-of 2024-06-30 --nationality CHN --persons --format csv >"$T/o"
[ "$(sed -n 2p "$T/o" | cut -d, -f1-4,7-8)" = "3,1,1,1,4,2" ] || fail "persons: $(cat "$T/o")"

# --- flows by month as CSV (test_analytics.c lists each month's events)
"$F" report flows "${P[@]}" --by month --format csv >"$T/f"
cat >"$T/want" <<'EOF'
month,entries,exits,refusals,encounters,net
2024-01,4,1,0,0,3
2024-02,2,1,0,0,1
2024-03,1,3,1,0,-2
2024-04,1,1,0,1,0
2024-05,0,2,0,0,-2
2024-06,1,0,0,0,1
EOF
diff "$T/want" "$T/f" >&2 || fail "flows by month"
"$F" report flows "${P[@]}" --by month --cumulative --format csv | tail -n 1 >"$T/f"
[ "$(cat "$T/f")" = "2024-06,9,8,1,1,1" ] || fail "cumulative flows: $(cat "$T/f")"

# --- flows by port as an aligned text table with a total line
"$F" report flows --csv-input "$L" "${P[@]}" --by port >"$T/f"
cat >"$T/want" <<'EOF'
port   entries  exits  refusals  encounters  net
ECGYE        3      3         0           0    0
ECTUL        0      0         0           1    0
ECUIO        6      5         1           0    1
TOTAL        9      8         1           1    1
EOF
diff "$T/want" "$T/f" >&2 || fail "flows by port (text)"

# --- by class: exits recorded without a class take the class of the entry they close
# (T1 T2 T2 T5 T6 T9 T10); T7's exit closes nothing, the refusal and the encounter have none
"$F" report flows --csv-input "$L" "${P[@]}" --by class --format csv >"$T/f"
printf 'class,entries,exits,refusals,encounters,net\n-,0,1,1,1,-1\ntourist,9,7,0,0,2\n' >"$T/want"
diff "$T/want" "$T/f" >&2 || fail "flows by class"

# --- usage errors exit 2, failures 3, --help 0
[ "$(rc_of "$F" report flows --by planet)" = 2 ] || fail "--by planet should exit 2"
grep -q "planet" "$T/err" || fail "the bad key is not named: $(cat "$T/err")"
[ "$(rc_of "$F" report flows --format xml)" = 2 ] || fail "--format xml should exit 2"
[ "$(rc_of "$F" report flows --by month,week)" = 2 ] || fail "two periods should exit 2"
[ "$(rc_of "$F" report overstays --nationality QQQ)" = 2 ] || fail "QQQ should be refused"
[ "$(rc_of "$F" report overstays --nationality DEU)" = 0 ] || fail "DEU (ISO alpha-3) should be taken as D"
[ "$(rc_of "$F" report weather)" = 2 ] || fail "an unknown kind should exit 2"
[ "$(rc_of "$F" report flows --from 2024-02-01 --to 2024-01-01)" = 2 ] || fail "from after to"
# months as the server takes them: --from 2024-01 --to 2024-06 is 2024-01-01 to 2024-06-30
"$F" report flows --csv-input "$L" --from 2024-01 --to 2024-06 --by nationality >"$T/m"
"$F" report flows --csv-input "$L" "${P[@]}" --by nationality >"$T/d"
cmp -s "$T/m" "$T/d" || fail "--from/--to as months differ from their days: $(diff "$T/m" "$T/d")"
[ "$(rc_of "$F" report flows --from 2024-13)" = 2 ] || fail "month 13 should exit 2"
grep -q -- "--from: '2024-13'" "$T/err" || fail "the error does not name --from: $(cat "$T/err")"
[ "$(rc_of "$F" --db "$T/none.db" report flows)" = 3 ] || fail "a missing database should exit 3"
"$F" report flows --help | grep_q -- "--cumulative" || fail "flows --help"
"$F" report overstays --help | grep_q "DHS" || fail "overstays --help"
"$F" report --help | grep_q "overstays" || fail "report --help"
printf 'event_id,kind,at,port,document_state,document_number\nB1,entry,2024-01-01T10:00-05:00,ECUIO,CHN,X1\nB2,arrival,2024-01-02T10:00-05:00,ECUIO,CHN,X1\n' >"$T/bad.csv"
[ "$(rc_of "$F" report flows --csv-input "$T/bad.csv")" = 3 ] || fail "a bad row should exit 3"
grep -q "bad.csv:3:2: kind" "$T/err" || fail "the bad row is not located: $(cat "$T/err")"
# --- the example in docs/analytics.md is what the program prints
"$F" synth --scenario ecuador-2024 --seed 1 --scale 0.01 --out "$T/crossings.csv" 2>/dev/null
"$F" report overstays --csv-input "$T/crossings.csv" --from 2023-01-01 --to 2024-06-30 \
  --as-of 2024-12-31 --by nationality --nationality CHN,VEN,USA >"$T/ex"
awk '/<!-- example: overstays -->/ { on = 1; next } on && /^```$/ { if (n++) exit; next } on' \
  "$SRC/docs/analytics.md" >"$T/doc"
diff "$T/doc" "$T/ex" >&2 || fail "docs/analytics.md's overstays example differs from the program"
# the store and the CSV reader find the same travellers on a synthetic ledger
"$F" synth --scenario ecuador-2024 --seed 2 --scale 0.002 --out "$T/crossings.csv" 2>/dev/null
"$F" --db "$T/s.db" init >/dev/null
"$F" --db "$T/s.db" import "$T/crossings.csv" >/dev/null 2>&1
"$F" --db "$T/s.db" report overstays --from 2023-01-01 --to 2024-06-30 --as-of 2024-12-31 \
  --by nationality --persons --format csv >"$T/a"
"$F" report overstays --csv-input "$T/crossings.csv" --from 2023-01-01 --to 2024-06-30 \
  --as-of 2024-12-31 --by nationality --persons --format csv >"$T/b"
# by person the two may differ in one way only: the CSV reader takes equal names,
# nationality and birth date for one person, the ledger does not merge a possible
# namesake without a supervisor's review (docs/ledger.md), so it may count more
# persons entering, never fewer, and the overstay columns agree
paste -d, "$T/a" "$T/b" | awk -F, 'NR > 1 { n = NF / 2; for (i = 1; i <= 7; i++) if ($i != $(i + n)) bad = 1;
    if ($8 + 0 < $(8 + n) + 0) bad = 1 } END { exit bad }' ||
    fail "ledger and CSV disagree on the synthetic ledger: $(diff "$T/a" "$T/b")"
"$F" --db "$T/s.db" report overstays --from 2023-01-01 --to 2024-06-30 --as-of 2024-12-31 \
  --by nationality --format csv >"$T/a"
"$F" report overstays --csv-input "$T/crossings.csv" --from 2023-01-01 --to 2024-06-30 \
  --as-of 2024-12-31 --by nationality --format csv >"$T/b"
cmp -s "$T/a" "$T/b" || fail "ledger and CSV disagree per entry: $(diff "$T/a" "$T/b")"

# --- a report reads only its columns of the snapshot and checks them then
# (FR_SNAPSHOT_LAZY): a damaged date column is found by flows, which rebuild
# the snapshot, say why, and give the numbers of the CSV
"$F" report flows --csv-input "$T/crossings.csv" --by nationality,month --format csv >"$T/b"
"$F" --db "$T/s.db" report flows --by nationality,month --format csv >"$T/a" 2>"$T/err"
cmp -s "$T/a" "$T/b" || fail "flows from the snapshot differ: $(diff "$T/a" "$T/b")"
[ ! -s "$T/err" ] || fail "a current snapshot said something: $(cat "$T/err")"
python3 - "$T/s.db.analytics" <<'EOF'
import struct, sys
with open(sys.argv[1], "r+b") as f:
    f.seek(128)  # the section table: {offset, length, checksum}, the dates first
    off = struct.unpack("<Q", f.read(8))[0]
    f.seek(off + 10)
    b = f.read(1)
    f.seek(off + 10)
    f.write(bytes([b[0] ^ 0x10]))
EOF
LANGUAGE=en "$F" --db "$T/s.db" report flows --by nationality,month --format csv >"$T/a" 2>"$T/err" ||
  fail "flows on a damaged snapshot failed: $(cat "$T/err")"
cmp -s "$T/a" "$T/b" || fail "flows after the rebuild differ: $(diff "$T/a" "$T/b")"
grep -q "rebuilt the analytics snapshot: .*checksum of its date section fails" "$T/err" ||
  fail "the rebuild does not say why: $(cat "$T/err")"
"$F" --db "$T/s.db" report flows --by nationality,month --format csv >"$T/a" 2>"$T/err"
cmp -s "$T/a" "$T/b" && [ ! -s "$T/err" ] || fail "the rebuilt snapshot is not current: $(cat "$T/err")"
echo "report.sh: ok"
