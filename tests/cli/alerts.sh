#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# alerts.sh: `frontera report alerts` and `frontera report whatif` run as a
# user would: a hand-built series CSV (tests/data/alerts/surge.csv) alerts
# once, in the right month, in text, CSV and JSON; a bad series file is
# refused with line and column; a chart is written; alerts built from a
# ledger CSV and from the database agree; the what-if counts of
# tests/data/alerts/events.csv match the hand counts of test_whatif.c.
set -euo pipefail
# grep -q stops at its first match, and under pipefail the writer then
# dies of SIGPIPE and a passing check fails by chance: read it all first.
grep_q() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
F=${FRONTERA:?FRONTERA must name the program}
D=${FR_SOURCE_DIR:?}/tests/data/alerts
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$F" report alerts --help | grep_q 'Usage: frontera' || fail "alerts --help"
"$F" report whatif --help | grep_q 'Usage: frontera' || fail "whatif --help"
set +e; "$F" report alerts --format xml >/dev/null 2>&1; rc=$?; set -e
[ "$rc" = 2 ] || fail "--format xml exited $rc, expected 2"

# surge.csv: CHN steady at ~1000 for 2 years, 2400 in 2022-05 then 3000; USA steady;
# TUV at 3 a month with a month of 12
out=$("$F" report alerts --series "$D/surge.csv" --format csv)
[ "$(echo "$out" | wc -l)" = 2 ] || fail "expected one alert, got: $out"
echo "$out" | sed -n 2p | grep_q '^CHN,arrivals,2022-05,2400,' || fail "CHN alert row: $out"
json=$("$F" report alerts --series "$D/surge.csv" --format json)
for key in nationality metric period observed expected factor message; do
  echo "$json" | grep_q "\"$key\": " || fail "JSON lacks $key: $json"
done
"$F" report alerts --series "$D/surge.csv" | grep_q '^2022-05  CHN  arrivals' || fail "text row"
[ "$("$F" report alerts --series "$D/surge.csv" --from 2022-06 --format csv | wc -l)" = 1 ] ||
  fail "--from 2022-06 should leave no alert"
# --nationality: only those nationalities' alerts (codes or names)
[ "$("$F" report alerts --series "$D/surge.csv" --nationality China --format csv | wc -l)" = 2 ] ||
  fail "--nationality China should keep the CHN alert"
[ "$("$F" report alerts --series "$D/surge.csv" --nationality USA,TUV --format csv | wc -l)" = 1 ] ||
  fail "--nationality USA,TUV should leave no alert"
set +e; "$F" report alerts --series "$D/surge.csv" --nationality Atlantis >/dev/null 2>&1; rc=$?; set -e
[ "$rc" = 2 ] || fail "an unknown nationality exited $rc, expected 2"

# a bad file: every problem with its line and column, exit 3
printf 'period,nationality,metric,count\n2023-01,CHN,arrivals,1\n2023-13,QQQ,arrivals,x\n2023-02,QQQ,arrivals,1\n' > "$T/bad.csv"
set +e; "$F" report alerts --series "$T/bad.csv" > /dev/null 2> "$T/err"; rc=$?; set -e
[ "$rc" = 3 ] || fail "bad series exited $rc, expected 3"
grep -q 'bad.csv:3:1: period' "$T/err" || fail "no line/column for the bad month: $(cat "$T/err")"
grep -q 'bad.csv:4:2: nationality' "$T/err" || fail "no line/column for QQQ: $(cat "$T/err")"

# the chart: one polyline per nationality drawn, one marker for the alert;
# its words in the user's language (English under LANG=C, Spanish under es_EC)
en() { env -u LC_ALL -u LANGUAGE -u LC_MESSAGES LANG=C "$F" "$@"; }
es() { env -u LC_ALL -u LANGUAGE -u LC_MESSAGES LANG=es_EC.UTF-8 "$F" "$@"; }
en report alerts --series "$D/surge.csv" --svg "$T/c.svg" --policy "$D/whatif.policy" > /dev/null
[ "$(grep -c '<polyline' "$T/c.svg")" = 3 ] || fail "chart polylines"
[ "$(grep -c '<circle class="alert"' "$T/c.svg")" = 1 ] || fail "chart alert marker"
grep -q '<title id="chart-title">Monthly arrivals by nationality, ' "$T/c.svg" || fail "chart title"
grep -q 'class="policy-change"' "$T/c.svg" || fail "chart policy change"
grep -q '>CHN visa_required<' "$T/c.svg" || fail "chart policy change label: $(grep policy-change "$T/c.svg")"
grep -q '>CHN alert 2022-05 (x[0-9.]*)<' "$T/c.svg" || fail "chart alert label"
grep -q '>arrivals per month<' "$T/c.svg" && grep -q '>month<' "$T/c.svg" || fail "chart axis labels"
grep -q '1 alert is marked with circles' "$T/c.svg" || fail "chart description"
es report alerts --series "$D/surge.csv" --svg "$T/c.es.svg" --policy "$D/whatif.policy" > /dev/null
grep -q '<title id="chart-title">Serie mensual de llegadas por nacionalidad, de ' "$T/c.es.svg" ||
  fail "the chart's title is not Spanish: $(grep chart-title "$T/c.es.svg")"
grep -q '>alerta CHN 2022-05 (x[0-9.]*)<' "$T/c.es.svg" || fail "the chart's alert label is not Spanish"
grep -q '>llegadas por mes<' "$T/c.es.svg" && grep -q '>mes<' "$T/c.es.svg" ||
  fail "the chart's axis labels are not Spanish"
grep -q '>CHN visa obligatoria<' "$T/c.es.svg" || fail "the chart's policy change is not Spanish"
grep -q '<desc id="chart-desc">Gráfico de líneas de llegadas por mes, de .*1 alerta marcada con círculos' \
  "$T/c.es.svg" || fail "the chart's description is not Spanish: $(grep chart-desc "$T/c.es.svg")"
grep -q 'Monthly\|alert \|per month' "$T/c.es.svg" && fail "English left in the Spanish chart"

# events: ledger CSV and database give the same series, hence the same output
"$F" report alerts --events "$D/events.csv" --min-count 0 --format csv > "$T/a1"
"$F" --db "$T/l.db" init > /dev/null
"$F" --db "$T/l.db" import "$D/events.csv" > /dev/null 2>&1
"$F" --db "$T/l.db" report alerts --min-count 0 --format csv > "$T/a2"
cmp -s "$T/a1" "$T/a2" || fail "ledger CSV and database disagree: $(diff "$T/a1" "$T/a2")"

# what-if, counts checked by hand (test_whatif.c)
w=$("$F" report whatif --events "$D/events.csv" --policy "$D/whatif.policy" \
     --baseline "$D/then.policy" --from 2023-01-01 --to 2023-12-31 --as-of 2023-07-01 --format csv)
echo "$w" | grep_q -x 'CHN,5,2,0,0,5,1,2' || fail "CHN what-if row: $w"
echo "$w" | grep_q -x 'CUB,1,0,1,0,0,0,0' || fail "CUB what-if row: $w"
echo "$w" | grep_q -x 'IND,1,1,0,0,1,0,1' || fail "IND what-if row: $w"
w2=$("$F" --db "$T/l.db" report whatif --policy "$D/whatif.policy" --baseline "$D/then.policy" \
      --from 2023-01-01 --to 2023-12-31 --as-of 2023-07-01 --format csv)
[ "$w" = "$w2" ] || fail "what-if on the database differs: $w2"
# a renewed passport: Ana entered on OLD111 and left on NEW222 (same names, birth date and
# nationality: the store links both to one traveller). The database pairs by traveller: 2 due,
# 1 non-exit (Luis, who never left); the CSV file carries no traveller, so pairing falls back to
# the document and Ana counts as a non-exit too (2 of 2). Columns: nationality, arrivals,
# need_visa, need_visa_baseline, no_rule, visa_free, overstays, nonexits.
"$F" --db "$T/r.db" init > /dev/null
"$F" --db "$T/r.db" import "$D/renewed.csv" > /dev/null 2>&1
rdb=$("$F" --db "$T/r.db" report whatif --policy "$D/then.policy" --as-of 2023-06-01 --format csv)
echo "$rdb" | grep_q -x 'PER,2,0,0,0,2,0,1' || fail "renewed passport via the database: $rdb"
rcsv=$("$F" report whatif --events "$D/renewed.csv" --policy "$D/then.policy" --as-of 2023-06-01 --format csv)
echo "$rcsv" | grep_q -x 'PER,2,0,0,0,2,0,2' || fail "renewed passport via the CSV file: $rcsv"

# the tests and the backtest: the direction and each count's plural in the user's words
bt=$(en report backtest --series "$D/surge.csv")
echo "$bt" | grep_q -x '2022-05  CHN  arrivals        rise since 2022-04 (1 month before), peak 2022-06 (1 month after)  \[.*\]' ||
  fail "backtest in English: $bt"
bt=$(es report backtest --series "$D/surge.csv")
echo "$bt" | grep_q -x '2022-05  CHN  arrivals        alza desde 2022-04 (1 mes antes), máximo 2022-06 (1 mes después)  \[.*\]' ||
  fail "backtest in Spanish: $bt"
"$F" report alerts --series "$D/surge.csv" --tests noufaily,bogus > /dev/null 2> "$T/err" && fail "--tests bogus accepted"
grep -q "'bogus' is not a test" "$T/err" || fail "--tests error: $(cat "$T/err")"
# the demo's case (`make run`): a ledger whose data end 2024-12-31, then a booth that records
# at today's date, years later. The months between are a gap in the record and today's month
# is not over: neither is judged (no falls from months the ledger knows nothing of), and the
# entries whose stays span the gap count neither as due nor as non-exits (no spurious rise of
# the non-exit rate at the end of 2024). The alerts are those of the ledger before.
"$F" synth --scenario ecuador-2024 --seed 1 --scale 0.01 --out "$T/demo.csv" > /dev/null 2>&1
"$F" --db "$T/demo.db" init > /dev/null
"$F" --db "$T/demo.db" import "$T/demo.csv" > /dev/null 2>&1
"$F" --db "$T/demo.db" report alerts --format csv > "$T/demo.before"
grep_q '^VEN,arrivals,2023-03,' < "$T/demo.before" || fail "the demo ledger's VEN rise: $(cat "$T/demo.before")"
for who in ESP:XDA123456:ESP USA:A1234567:USA; do
  IFS=: read -r st num nat <<<"$who"
  "$F" --db "$T/demo.db" record entry --event-id "demo-$num" --at 2026-12-07T10:15-05:00 \
    --port ECUIO --document "$st:$num" --nationality "$nat" --authorised-until 2027-03-06 > /dev/null
done
"$F" --db "$T/demo.db" report alerts --format csv > "$T/demo.after"
cmp -s "$T/demo.before" "$T/demo.after" ||
  fail "entries at today's date changed the demo's alerts: $(diff "$T/demo.before" "$T/demo.after")"
# once today's month is over it is still not judged: the record resumed in it at an unknown point
"$F" --db "$T/demo.db" report alerts --as-of 2027-01-15 --format csv > "$T/demo.later"
cmp -s "$T/demo.before" "$T/demo.later" ||
  fail "a later report date raised alerts: $(diff "$T/demo.before" "$T/demo.later")"
echo "alerts.sh: ok"
