#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mrz.sh: `frontera mrz` on real files: the ICAO specimens read exactly as
# tests/data/mrz/specimens.jsonl says, invalid documents give findings and
# exit 1, --repair fixes OCR misreads, --make round trips (MRZ -> JSON -> MRZ
# is the identity on canonical zones, JSON -> MRZ -> JSON too), --today moves
# the century, usage errors exit 2, and the docs/mrz.md example is true.
set -euo pipefail
# grep -q stops at its first match, and under pipefail the writer then
# dies of SIGPIPE and a passing check fails by chance: read it all first.
grep_q() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
F=${FRONTERA:?FRONTERA must name the program}
SRC=${FR_SOURCE_DIR:?}
D=$SRC/tests/data/mrz
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
rc_of() { set +e; "$@" >"$T/out" 2>"$T/err"; local rc=$?; set -e; echo "$rc"; }
expect_rc() { local want=$1; shift; local rc; rc=$(rc_of "$@")
  [ "$rc" = "$want" ] || { cat "$T/err" >&2; fail "'$*' exited $rc, expected $want"; }; }
TODAY=(--today 2026-11-29)

# 1. the specimens, exactly
expect_rc 0 "$F" mrz "${TODAY[@]}" --specimen "$D/specimens.mrz"
diff -u "$D/specimens.jsonl" "$T/out" || fail "specimens differ from specimens.jsonl"
# the same from stdin, with CRLF line ends and trailing blanks
sed 's/$/  \r/' "$D/specimens.mrz" > "$T/crlf.mrz"
set +e; "$F" mrz "${TODAY[@]}" --specimen < "$T/crlf.mrz" > "$T/out2"; rc=$?; set -e
[ "$rc" = 0 ] || fail "CRLF input exited $rc"
diff -u "$D/specimens.jsonl" "$T/out2" || fail "CRLF/trailing-space input reads differently"
# without --specimen, UTO is not a state: every document is invalid
expect_rc 1 "$F" mrz "${TODAY[@]}" "$D/specimens.mrz"
[ "$(grep -c '"valid":false' "$T/out")" = 5 ] || fail "UTO accepted without --specimen"
[ "$(grep -c '"code":"country.issuing_state"' "$T/out")" = 5 ] || fail "no country finding"

# 2. invalid documents: one JSON line each, the right finding, exit 1
expect_rc 1 "$F" mrz "${TODAY[@]}" --specimen "$D/invalid.mrz"
[ "$(wc -l < "$T/out")" = 4 ] || fail "invalid.mrz: expected 4 JSON lines"
sed -n 1p "$T/out" | grep_q '"findings":\[{"code":"check_digit.composite","line":2,"column":44,' \
  || fail "composite finding"
sed -n 2p "$T/out" | grep_q '"sex":"Q".*"code":"sex","line":2,"column":8,' || fail "sex finding"
sed -n 3p "$T/out" | grep_q '^{"format":null,.*"code":"format","line":1,"column":1,' || fail "format"
sed -n 4p "$T/out" | grep_q '"code":"length","line":2,"column":44' || fail "length finding"
# keys, in order, on every line
keys='"format":.*"document_code":.*"issuing_state":.*"surname":.*"given_names":.*"document_number":.*"nationality":.*"birth_date":.*"sex":.*"expiry_date":.*"optional_data":.*"optional_data_2":.*"valid":.*"findings":'
[ "$(grep -c "^{$keys" "$T/out")" = 4 ] || fail "keys missing or out of order"

# 2b. every finding has a place, 1-based: one about the whole zone (one line,
# four lines, a TD1 missing a line) at line 1, column 1, and the admission
# (text and --json) says the same place as `frontera mrz`, as the booth does;
# never "line 0" (docs/mrz.md "Findings")
L1='P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<'
L2='L898902C36UTO7408122F1204159ZE184226B<<<<<10'
C1='I<UTOD231458907<<<<<<<<<<<<<<<'
C2='7408122F1204159UTO<<<<<<<<<<<6'
printf '%s\n\n%s\n%s\n%s\n%s\n\n%s\n%s\n\n%s\n%s\n' "$L1" "$L1" "$L2" "$L1" "$L2" "$C1" "$C2" \
  "${L1}XX" "$L2" > "$T/zone.mrz"
expect_rc 1 "$F" mrz "${TODAY[@]}" --specimen "$T/zone.mrz"
[ "$(grep -c '"findings":\[{"code":"format","line":1,"column":1,' "$T/out")" = 3 ] \
  || { cat "$T/out" >&2; fail "a whole-zone finding is not at line 1, column 1"; }
sed -n 4p "$T/out" | grep_q '"code":"length","line":1,"column":45,' || fail "a long line's place"
for f in "$T/zone.mrz" "$D/invalid.mrz" "$D/repair.mrz"; do
  rc_of "$F" mrz "${TODAY[@]}" --specimen "$f" > /dev/null
  ! grep -E '"(line|column)":0[,}]' "$T/out" || fail "$f: a finding at line or column 0"
done
printf '%s\n' "$L1" > "$T/one.mrz"
expect_rc 1 "$F" --db "$T/none.db" admit --port ECUIO --at 2024-06-30T10:15-05:00 "$T/one.mrz"
grep_q '^? Line 1, column 1: Only one line of 44 characters' < "$T/out" \
  || { cat "$T/out" >&2; fail "admit does not say the zone's finding at line 1, column 1"; }
expect_rc 1 "$F" --db "$T/none.db" admit --port ECUIO --at 2024-06-30T10:15-05:00 --json \
  "$T/one.mrz"
grep_q '"code":"mrz.format",.*"params":{"line":"1","column":"1",' < "$T/out" \
  || { cat "$T/out" >&2; fail "admit --json: the zone's finding is not at line 1, column 1"; }
expect_rc 1 env -u LC_ALL -u LANGUAGE -u LC_MESSAGES LANG=es_EC.UTF-8 "$F" --db "$T/none.db" \
  admit --port ECUIO --at 2024-06-30T10:15-05:00 "$T/one.mrz"
grep_q '^? Línea 1, columna 1: ' < "$T/out" || { cat "$T/out" >&2; fail "the Spanish place"; }

# 3. repair
expect_rc 1 "$F" mrz "${TODAY[@]}" --specimen "$D/repair.mrz"
grep -q '"code":"date.birth"' "$T/out" || fail "misread date not reported without --repair"
expect_rc 0 "$F" mrz "${TODAY[@]}" --specimen --repair "$D/repair.mrz"
[ "$(grep -o '"code":"repair.applied"' "$T/out" | wc -l)" = 5 ] || fail "expected 5 repairs"
grep -q '"surname":"ERIKSSON".*"nationality":"UTO","birth_date":"1974-08-12"' "$T/out" \
  || fail "repaired fields"

# 4. --make round trips
"$F" mrz "${TODAY[@]}" --specimen "$D/specimens.mrz" | "$F" mrz --make "${TODAY[@]}" --specimen \
  > "$T/made.mrz" || fail "--make failed on the reader's output"
diff -u "$D/specimens.mrz" "$T/made.mrz" || fail "MRZ -> JSON -> MRZ is not the identity"
expect_rc 0 "$F" mrz --make "${TODAY[@]}" "$D/own.jsonl"
diff -u "$D/own.mrz" "$T/out" || fail "own.jsonl no longer makes own.mrz"
"$F" mrz "${TODAY[@]}" "$D/own.mrz" > "$T/own1.jsonl" || fail "own.mrz is not all valid"
"$F" mrz --make "${TODAY[@]}" "$T/own1.jsonl" | "$F" mrz "${TODAY[@]}" > "$T/own2.jsonl"
diff -u "$T/own1.jsonl" "$T/own2.jsonl" || fail "JSON -> MRZ -> JSON is not the identity"
# a bad field is named, exit 1; the good documents are still written
printf '%s\n' '{"format":"TD3","issuing_state":"D","surname":"A","document_number":"1","nationality":"DEU","birth_date":"1980-01-01","sex":"M","expiry_date":"2030-01-01"}' \
  '{"format":"TD3","issuing_state":"D","surname":"A","document_number":"1","nationality":"D","birth_date":"1980-01-01","sex":"M","expiry_date":"2030-01-01"}' > "$T/bad.jsonl"
expect_rc 1 "$F" mrz --make "${TODAY[@]}" "$T/bad.jsonl"
grep -q 'nationality' "$T/err" || fail "--make error does not name the field"
grep -q ':1: nationality:' "$T/err" || fail "--make error does not give the line"
[ "$(wc -l < "$T/out")" = 2 ] || fail "--make stopped at the bad document"
echo '{"format":"TD3","surnam":"A"}' > "$T/typo.jsonl"
expect_rc 1 "$F" mrz --make "${TODAY[@]}" "$T/typo.jsonl"
grep -q 'surnam' "$T/err" || fail "unknown key not named"
echo '{"format":' > "$T/broken.jsonl"
expect_rc 1 "$F" mrz --make "$T/broken.jsonl"

# 5. --today chooses the century
line1='V<ESPNAKAMURA<<<<<<<<<<<<<<<<<<<<<<<'
line2='9876543<<6JPN2612018F2701312ZZ<<<<<<'
printf '%s\n%s\n' "$line1" "$line2" > "$T/c.mrz"
"$F" mrz --today 2026-11-29 "$T/c.mrz" | grep_q '"birth_date":"1926-12-01"' || fail "century 1926"
"$F" mrz --today 2027-01-01 "$T/c.mrz" | grep_q '"birth_date":"2026-12-01"' || fail "century 2026"

# 6. edges and usage
: > "$T/empty"
expect_rc 1 "$F" mrz "${TODAY[@]}" "$T/empty" # nothing read is not "every document valid"
[ ! -s "$T/out" ] || fail "empty input printed something"
expect_rc 2 "$F" mrz --no-such-option
expect_rc 2 "$F" mrz --today 2026-02-30 "$D/specimens.mrz"
expect_rc 2 "$F" mrz "$D/specimens.mrz" "$D/own.mrz"
expect_rc 2 "$F" mrz --make --repair
expect_rc 3 "$F" mrz "$T/no-such-file"
expect_rc 0 "$F" mrz --help
grep -q '^Usage: frontera mrz' "$T/out" || fail "--help"
"$F" help mrz | grep_q 'Usage: frontera mrz' || fail "help mrz"
# the default --today (the clock) works
"$F" mrz --specimen "$D/specimens.mrz" > /dev/null || fail "default --today"

# 7. the example in docs/mrz.md is true
awk '/^<!-- example:begin -->/{on=1;next} /^<!-- example:end -->/{on=0} on' "$SRC/docs/mrz.md" \
  > "$T/doc"
cmd=$(sed -n 's/^\$ //p' "$T/doc" | sed -n 1p)
[ -n "$cmd" ] || fail "docs/mrz.md has no example"
want=$(sed -n '/^\$ /,/^```$/p' "$T/doc" | sed '1d;$d')
got=$(cd "$SRC" && eval "\"$F\" ${cmd#frontera }")
[ "$got" = "$want" ] || { echo "want: $want"; echo "got:  $got"; fail "docs/mrz.md example"; }
echo "mrz.sh: ok"
