#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# stay.sh: `frontera stay` end to end: the JSON object has exactly the seven
# documented keys, worked cases give the documented figures, the human text
# says what a traveller needs, overstay exits 1, bad input exits 2. Also
# runs the examples of docs/stay.md (lines starting "$ frontera stay").
set -euo pipefail
# grep -q stops at its first match, and under pipefail the writer then
# dies of SIGPIPE and a passing check fails by chance: read it all first.
grep_q() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
F=${FRONTERA:?FRONTERA must name the program}
SRC=${FR_SOURCE_DIR:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_rc() { local want=$1; shift; set +e; "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?; set -e
  [ "$rc" = "$want" ] || { cat "$tmp/out" "$tmp/err" >&2; fail "'$*' exited $rc, expected $want"; }; }

# Schengen: 90 days used Jan-Mar 2025; back on 30 June (day 180 after 1 Jan)
out=$("$F" stay --rule rolling:90/180 --on 2025-06-30 --json 2025-01-01..2025-03-31)
want='{"window_start":"2025-01-02","days_used":89,"days_remaining":1,"latest_exit":"2025-09-27","max_stay_days":90,"overstay_days":0,"days_in_breach":0}'
[ "$out" = "$want" ] || fail "rolling json: $out"
# exactly the seven keys, in order
keys=$(printf '%s' "$out" | grep -o '"[a-z_]*":' | tr -d '":' | tr '\n' ' ')
[ "$keys" = "window_start days_used days_remaining latest_exit max_stay_days overstay_days days_in_breach " ] || fail "keys: $keys"

# one day earlier nothing is left: latest_exit is null
out=$("$F" stay --rule rolling:90/180 --on 2025-06-29 --json 2025-01-01..2025-03-31)
case $out in *'"latest_exit":null,"max_stay_days":0'*) ;; *) fail "exhausted: $out";; esac

# open stay in overstay: exit 1, human text says OVERSTAY
expect_rc 1 "$F" stay --rule per-admission:90 --on 2024-05-01 2024-01-10..
grep -q 'OVERSTAY: 23 days' "$tmp/out" || fail "overstay text"
grep -q 'Present in the country' "$tmp/out" || fail "presence text"

# Ecuador: 90 days in a year from the first entry, extension granted
out=$("$F" stay --rule period:90/1y+90 --extended --on 2024-05-01 --json 2024-01-10..2024-02-10 2024-04-20..)
case $out in *'"days_used":44,"days_remaining":136,"latest_exit":"2024-09-14"'*) ;; *) fail "period ext: $out";; esac
"$F" stay --rule period:90/1y+90 --on 2024-05-01 2024-01-10..2024-02-10 2024-04-20.. | grep_q 'may remain until 2024-06-16 inclusive (47 days)' || fail "period text"

# per admission capped at document expiry
out=$("$F" stay --rule per-admission:90,doc-expiry --doc-expiry 2024-04-15 --on 2024-03-01 --json)
case $out in *'"latest_exit":"2024-04-15","max_stay_days":46'*) ;; *) fail "doc cap: $out";; esac

# usage errors
expect_rc 2 "$F" stay --on 2025-01-01 2025-01-01..
expect_rc 2 "$F" stay --rule weekly:3 --on 2025-01-01
grep -q 'unknown stay rule' "$tmp/err" || fail "bad rule message"
expect_rc 2 "$F" stay --rule rolling:90/180 --on 2025-02-30
expect_rc 2 "$F" stay --rule rolling:90/180 --on 2025-01-01 2025-01-01
expect_rc 2 "$F" stay --rule rolling:90/180 --on 2025-03-01 2025-02-10..2025-02-01
grep -q 'ends before it starts' "$tmp/err" || fail "reversed stay message"
"$F" stay --help | grep_q '^Usage: frontera stay' || fail "--help"

# the documentation's examples run as written
n=0
while IFS= read -r line; do
  cmd=${line#\$ frontera }
  read -r -a args <<<"$cmd"
  expected=$(awk -v l="$line" 'f && /^```/{exit} f{print} $0==l{f=1}' "$SRC/docs/stay.md")
  set +e; got=$("$F" "${args[@]}"); set -e
  [ "$got" = "$expected" ] || fail "docs/stay.md example '$cmd' printed:
$got
expected:
$expected"
  n=$((n+1))
done < <(grep '^\$ frontera stay' "$SRC/docs/stay.md")
[ "$n" -ge 3 ] || fail "docs/stay.md has only $n runnable examples"
echo "stay.sh: ok"
