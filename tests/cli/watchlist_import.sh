#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# watchlist_import.sh: `frontera watchlist import --format` on the real UN and
# OFAC files and the EU / OFAC XML / FtM samples; alt.csv found beside sdn.csv;
# located errors for a broken file; `screen --nationality` with ISO alpha-3
# codes and country names; approximate birth dates at the command line.
set -euo pipefail
F=${FRONTERA:?FRONTERA must name the program}
S=${FR_SOURCE_DIR:?}
DATA="$S/../shared/data/watchlists"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
rc() { set +e; "$@" >"$T/out" 2>"$T/err"; local r=$?; set -e; echo "$r"; }
D="$T/wl"

if [ -d "$DATA" ]; then
  [ "$(rc "$F" watchlist import --format un-xml "$DATA/un_sc_consolidated/UN_consolidated_2026-02-27.xml" --dir "$D")" = 0 ] \
    || fail "UN import: $(cat "$T/err")"
  grep -q 'imported 730 entries, rejected 0 rows, skipped 273 that are not persons' "$T/out" \
    || fail "UN summary: $(cat "$T/out")"
  [ "$(rc "$F" watchlist import --format ofac-csv "$DATA/ofac_sdn_2021-07/sdn.csv" --dir "$D")" = 0 ] \
    || fail "OFAC import: $(cat "$T/err")"
  grep -q "aliases from .*alt.csv" "$T/out" || fail "alt.csv beside sdn.csv not used: $(cat "$T/out")"
  grep -q '^2676,OFAC-SDN,"AL ZAWAHIRI, Dr. Ayman",.*AL-ZAWAHIRI, Ayman' "$D/OFAC-SDN.wl.csv" \
    || fail "OFAC aliases from alt.csv missing"
  # the listed person, with the UN list's date and an ISO alpha-3 nationality
  [ "$(rc "$F" screen --dir "$D" --name "Ayman AL-ZAWAHIRI" --birth-date 1951-06-19 --nationality EGY)" = 1 ] \
    || fail "screen exit: $(cat "$T/err")"
  grep -q 'hit .*QDi.006 (UN-SC)' "$T/out" || fail "UN hit: $(cat "$T/out")"
fi

for f in eu_sample.xml:eu-xml ofac_sample.xml:ofac-xml ftm_sample.json:ftm; do
  [ "$(rc "$F" watchlist import --format "${f#*:}" "$S/tests/data/watchlists/${f%%:*}" --dir "$T/s")" = 0 ] \
    || fail "${f#*:} import: $(cat "$T/err")"
  # without --format: the same list, read by its first bytes, and said so
  [ "$(rc "$F" watchlist import "$S/tests/data/watchlists/${f%%:*}" --dir "$T/g")" = 0 ] \
    || fail "${f#*:} import without --format: $(cat "$T/err")"
  grep -q "as ${f#*:}, from its first bytes" "$T/err" || fail "the guessed format is said: $(cat "$T/err")"
done
for l in "$T"/s/*.wl.csv; do cmp -s "$l" "$T/g/${l##*/}" || fail "${l##*/}: the guessed format read another list"; done
printf '<?xml version="1.0"?>\n<list><entry/></list>\n' >"$T/other.xml"
[ "$(rc "$F" watchlist import "$T/other.xml" --dir "$T/g")" = 2 ] || fail "XML of no known list is a usage error"
grep -q "say which with --format" "$T/err" || fail "unknown XML names --format: $(cat "$T/err")"
grep -q '^EU.9002.02,EU-FSF,Olena Marchenko,Елена Марченко,circa 1975,RUS,RUS:751234567,' "$T/s/EU-FSF.wl.csv" \
  || fail "EU entry: $(cat "$T/s/EU-FSF.wl.csv")"
# circa 1975 holds 1976; the nationality written as a name or an alpha-3 code
[ "$(rc "$F" screen --dir "$T/s" --name "MARCHENKO, Olena" --birth-date 1976-02-02 --nationality Russia)" = 1 ] \
  || fail "screen circa: $(cat "$T/err")"
grep -q 'hit .*EU.9002.02' "$T/out" || fail "circa date not a hit: $(cat "$T/out")"
grep -q 'nationality matches' "$T/out" || fail "Russia not RUS: $(cat "$T/out")"
[ "$(rc "$F" screen --dir "$T/s" --name "MARCHENKO, Olena" --birth-date 1976-02-02 --nationality DEU)" = 1 ] \
  || fail "DEU refused: $(cat "$T/err")"
grep -q 'nationality differs' "$T/out" || fail "DEU not compared: $(cat "$T/out")"
[ "$(rc "$F" screen --dir "$T/s" --name "MARCHENKO, Olena" --nationality Narnia)" = 2 ] \
  || fail "an unknown nationality must be a usage error"
grep -q "Narnia.*not a nationality" "$T/err" || fail "nationality error: $(cat "$T/err")"

# a broken file: its first error with line and column, nothing written
printf '<?xml version="1.0"?>\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL>\n</INDIVIDUALS>\n' >"$T/bad.xml"
[ "$(rc "$F" watchlist import --format un-xml "$T/bad.xml" --dir "$T/b")" = 3 ] \
  || fail "broken XML exit: $(cat "$T/out") $(cat "$T/err")"
grep -q 'bad.xml:5:.*tag mismatch' "$T/err" || fail "XML error not located: $(cat "$T/err")"
[ -e "$T/b/UN-SC.wl.csv" ] && fail "a broken file must write nothing"
# the wrong file (every row alike): its error said once, then how many rows and lines repeat it
for i in $(seq 60); do echo "$i,x,y"; done >"$T/wrong.csv"
rc "$F" watchlist import --format ofac-csv "$T/wrong.csv" --dir "$T/b" >/dev/null
[ "$(wc -l <"$T/err")" -le 3 ] || fail "a wrong file's identical errors are repeated: $(cat "$T/err")"
grep -q 'wrong.csv:1:1: an SDN row has 12 fields' "$T/err" || fail "the first error is not given: $(cat "$T/err")"
grep -q 'wrong.csv: lines 2 to 60: the same error again (59 rows)' "$T/err" || fail "the repeats are not counted: $(cat "$T/err")"
# different errors are each said, up to 50, then counted
for i in $(seq 70); do echo "$i,x,y$(printf ',z%.0s' $(seq $((i % 9 + 1))))"; done >"$T/mixed.csv"
rc "$F" watchlist import --format ofac-csv "$T/mixed.csv" --dir "$T/b" >/dev/null
[ "$(grep -c 'an SDN row' "$T/err")" = 50 ] && grep -q 'mixed.csv: 13 more rejected rows not shown' "$T/err" ||
  fail "different errors are not each said, up to 50: $(cat "$T/err")"
[ "$(rc "$F" watchlist import --format un-json "$T/bad.xml" --dir "$T/b")" = 2 ] || fail "bad --format"
[ "$(rc "$F" watchlist import --format un-xml --alt x.csv "$T/bad.xml" --dir "$T/b")" = 2 ] || fail "--alt without ofac-csv"
echo ok
