#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# screen.sh: `frontera watchlist import/stats`, `frontera documents import` and
# `frontera screen` (single traveller, --json, --manifest): row errors with
# line and field, one file per list replaced atomically, FRONTERA_WATCHLISTS,
# bands and exit codes, the lost_stolen flag, and the docs/screening.md example.
set -euo pipefail
# grep -q stops at its first match, and under pipefail the writer then
# dies of SIGPIPE and a passing check fails by chance: read it all first.
grep_q() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
F=${FRONTERA:?FRONTERA must name the program}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
rc() { set +e; "$@" >"$T/out" 2>"$T/err"; local r=$?; set -e; echo "$r"; }

cat >"$T/list.csv" <<'CSV'
id,list,name,aliases,birth_date,nationality,documents,reason
Z1,SANCTIONS,"ZHANG, Wei Ming",张伟明,1970-03-02,CHN,CHN:E12345678,fraud
Z2,SANCTIONS,"AL-ZAWAHIRI, Ayman Muhammad",Abd al-Rahman,1951-06-19,EGY,,
Z3,WANTED,"IVANOV, Aleksandr Sergeyevich",Иванов Александр,1965,RUS,,
B1,WANTED,"BAD, Nationality",,1970,XYZ,,
CSV
D="$T/wl"
[ "$(rc "$F" watchlist import "$T/list.csv" --dir "$D")" = 1 ] || fail "a rejected row must exit 1"
grep -q 'list.csv:5:.*nationality.*XYZ' "$T/err" || fail "row error lacks line/field: $(cat "$T/err")"
[ -f "$D/SANCTIONS.wl.csv" ] && [ -f "$D/WANTED.wl.csv" ] || fail "one file per list"
grep -q 'imported 3 entries, rejected 1 row$' "$T/out" || fail "import summary: $(cat "$T/out")"
ls "$D" | grep_q tmp && fail "temporary file left behind"

# re-import one list from JSON Lines: that list is replaced, the other kept
printf '%s\n' '{"id":"W9","name":"PETROV, Ivan","birth_date":"1980"}' >"$T/w.jsonl"
[ "$(rc "$F" watchlist import "$T/w.jsonl" --list WANTED --dir "$D")" = 0 ] || fail "jsonl import: $(cat "$T/err")"
grep -q '^W9,' "$D/WANTED.wl.csv" || fail "WANTED not replaced"
grep -q '^Z3,' "$D/WANTED.wl.csv" && fail "old WANTED entry survived the replace"
grep -q '^Z1,' "$D/SANCTIONS.wl.csv" || fail "SANCTIONS lost"
"$F" watchlist import "$T/list.csv" --dir "$D" >/dev/null 2>&1 || true

# stats through the environment variable
FRONTERA_WATCHLISTS="$D" "$F" watchlist stats >"$T/out"
grep -Eq '^entries +3$' "$T/out" || fail "stats entries: $(cat "$T/out")"

# lost/stolen documents
printf 'state,number,type\nD,C01X00T47,P\nXYZ,1,P\nDEU,C02X00T48,P\n' >"$T/docs.csv"
[ "$(rc "$F" documents import "$T/docs.csv" --dir "$D")" = 1 ] || fail "documents with a bad row must exit 1"
grep -q "docs.csv:3:" "$T/err" || fail "a bad document row names its file and line: $(cat "$T/err")"
[ -f "$D/lost-stolen.docs.csv" ] || fail "documents file"
# an ISO alpha-3 code is read as its ICAO code (DEU is D)
grep -q '^D,C02X00T48' "$D/lost-stolen.docs.csv" || fail "DEU not kept as D: $(cat "$D/lost-stolen.docs.csv")"
# a file of which no row can be read (the wrong file) leaves the list in force as it was
cp "$D/lost-stolen.docs.csv" "$T/docs.before"
printf 'state,number\nXYZ,1\nQQQ,2\n' >"$T/wrong.csv"
[ "$(rc "$F" documents import "$T/wrong.csv" --dir "$D")" = 3 ] || fail "a file of bad rows only must fail"
grep -q "the list in force is kept" "$T/err" || fail "the refusal does not say the list is kept: $(cat "$T/err")"
cmp -s "$T/docs.before" "$D/lost-stolen.docs.csv" || fail "the list in force was changed by a file of bad rows"

# screening: a Cantonese romanisation is a hit; exit 1 on an alert
[ "$(rc "$F" screen --dir "$D" --name "CHEUNG, Wai Ming" --json)" = 1 ] || fail "hit must exit 1"
python3 - "$T/out" <<'PY' || fail "json result: $(cat "$T/out")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["band"] == "hit" and r["lost_stolen"] is False, r
top = r["results"][0]
assert top["id"] == "Z1" and top["band"] == "hit" and 0.85 <= top["score"] <= 1, top
assert "CHEUNG=ZHANG variant" in top["explanation"], top
PY
[ "$(rc "$F" screen --dir "$D" --name "SMITH, John")" = 0 ] || fail "a clear traveller must exit 0"
grep -q ': clear' "$T/out" || fail "clear output"
# in Spanish: the band and the explanation in words, the names as they are
es() { env -u LC_ALL -u LANGUAGE -u LC_MESSAGES LANG=es_EC.UTF-8 "$@"; }
[ "$(rc es "$F" screen --dir "$D" --name "CHEUNG, Wai Ming" --birth-date 1970-03-02)" = 1 ] || fail "hit in Spanish"
grep -q '^CHEUNG, Wai Ming: coincidencia$' "$T/out" || fail "the band in Spanish: $(cat "$T/out")"
grep -q 'nombre 0.[0-9]* (nombre principal): .*CHEUNG=ZHANG variante; .*fecha de nacimiento coincide' "$T/out" ||
  fail "the explanation in Spanish: $(cat "$T/out")"
grep -Ewq 'primary|variant|exact|birth date' "$T/out" && fail "English left in the Spanish explanation: $(cat "$T/out")"
[ "$(rc "$F" screen --dir "$D" --name "Müller, Hans" --document D:c01x-00t47 --json)" = 1 ] || fail "stolen doc must exit 1"
grep -q '"lost_stolen": true' "$T/out" || fail "lost_stolen flag: $(cat "$T/out")"
[ "$(rc "$F" screen --dir "$D" --name "X" --nationality ZZZ)" = 2 ] || fail "bad nationality is a usage error"
[ "$(rc "$F" screen --dir "$D")" = 2 ] || fail "no --name nor --manifest"

# manifest: one line out per line in, in order; errors are located
cat >"$T/m.jsonl" <<'JL'
{"name":"Иванов Александр Сергеевич","birth_date":"1965"}
{"name":"Jane DOE","birth_date":"1990-01-01","nationality":"FRA"}
{"name":"ZAWAHIRI<<AYMAN<MOHAMMED","document":"EGY:X1"}
JL
[ "$(rc "$F" screen --dir "$D" --manifest "$T/m.jsonl")" = 1 ] || fail "manifest exit"
[ "$(wc -l <"$T/out")" = 3 ] || fail "manifest: one line per traveller"
python3 - "$T/out" <<'PY' || fail "manifest results: $(cat "$T/out")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["line"] for r in rows] == [1, 2, 3]
assert rows[0]["results"][0]["id"] == "Z3" and rows[0]["band"] == "hit", rows[0]
assert rows[1]["band"] == "clear", rows[1]
assert rows[2]["results"][0]["id"] == "Z2" and rows[2]["band"] in ("hit", "possible"), rows[2]
PY
echo '{"name":' >"$T/bad.jsonl"
[ "$(rc "$F" screen --dir "$D" --manifest "$T/bad.jsonl")" = 3 ] || fail "bad manifest line exits 3"
grep -q 'bad.jsonl:1: bad JSON' "$T/err" || fail "manifest error location: $(cat "$T/err")"

# the example in docs/screening.md
if [ -n "${FR_SOURCE_DIR:-}" ] && [ -f "$FR_SOURCE_DIR/docs/screening.md" ]; then
  grep -q 'frontera screen --name "CHEUNG, Wai Ming"' "$FR_SOURCE_DIR/docs/screening.md" || fail "doc example missing"
fi
echo "screen.sh: ok"
