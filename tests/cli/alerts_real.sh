#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# alerts_real.sh: the alert targets on the real series (tests/data/alerts/real, docs/alerts.md):
# - Chinese regular entries into Ecuador: a rise raised by 2023-02, and the fall after the visa
#   requirement of 2024-07-01 raised as a fall in 2024-07;
# - US Border Patrol Chinese encounters: a rise raised within FY2023 (2022-10..2023-09), also
#   when only alerts from 2023-01 on are asked for (the slow rise goes on: reported again);
# - no rise alert that the first (seasonal) detector alone would not raise: without escalation,
#   every rise alert of the default tests is one of the seasonal detector's, on both series;
#   with escalation, every extra alert follows an episode that "rose further";
# - the backtest (each month judged with the future hidden) raises the same Ecuador alerts.
set -euo pipefail
# grep -q stops at its first match, and under pipefail the writer then
# dies of SIGPIPE and a passing check fails by chance: read it all first.
grep_q() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
F=${FRONTERA:?FRONTERA must name the program}
D=${FR_SOURCE_DIR:?}/tests/data/alerts/real
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# CSV columns: 1 nationality 2 metric 3 period 4 observed 5 expected 6 factor 7 since 8 until
# 9 ongoing 10 raised 11 direction 12 tests
"$F" report alerts --series "$D/ecu-entries.csv" --format csv > "$T/ecu"
awk -F, '$1=="CHN" && $11=="rise" && $10<="2023-02"' "$T/ecu" | grep_q . ||
  fail "Ecuador CHN rise not raised by 2023-02: $(grep ^CHN "$T/ecu")"
awk -F, '$1=="CHN" && $11=="fall" && $10=="2024-07"' "$T/ecu" | grep_q . ||
  fail "Ecuador CHN fall not raised in 2024-07: $(grep ^CHN "$T/ecu")"

for from in 2022-10 2023-01; do
  "$F" report alerts --series "$D/usbp-encounters.csv" --from $from --to 2023-09 --format csv > "$T/us"
  awk -F, '$1=="CHN" && $11=="rise"' "$T/us" | grep_q . ||
    fail "US CHN rise not raised in $from..2023-09: $(cat "$T/us")"
done

for s in ecu-entries usbp-encounters; do
  "$F" report alerts --series "$D/$s.csv" --tests seasonal --min-tests 1 --escalate 0 --format csv |
    awk -F, 'NR>1{print $1","$3}' | sort > "$T/old"
  "$F" report alerts --series "$D/$s.csv" --escalate 0 --format csv |
    awk -F, 'NR>1 && $11=="rise"{print $1","$3}' | sort > "$T/new"
  [ -s "$T/new" ] || fail "$s: no rise alert at all"
  extra=$(comm -13 "$T/old" "$T/new")
  [ -z "$extra" ] || fail "$s: rise alerts the seasonal detector would not raise: $extra"
  # with escalation (the default), every extra rise follows an alert of the same nationality
  # whose level "rose further"
  "$F" report alerts --series "$D/$s.csv" --format csv > "$T/esc"
  awk -F, 'NR>1 && $11=="rise"{print $1","$3}' "$T/esc" | sort > "$T/new2"
  for x in $(comm -13 "$T/old" "$T/new2"); do
    nat=${x%%,*} per=${x#*,}
    awk -F, -v n="$nat" -v p="$per" '$1==n && $3<p && /rose further after/' "$T/esc" | grep_q . ||
      fail "$s: $x is neither a seasonal alert nor an escalation"
  done
done

"$F" report backtest --series "$D/ecu-entries.csv" --format csv | awk -F, 'NR>1{print $1","$2","$4}' | sort > "$T/bt"
awk -F, 'NR>1{print $10","$1","$11}' "$T/ecu" | sort > "$T/full"
cmp -s "$T/bt" "$T/full" || fail "backtest and whole-series run disagree: $(diff "$T/bt" "$T/full")"
echo "alerts_real.sh: ok"
