#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# overstayers.sh: the list to act on (ctest cli.overstayers). A small ledger
# made with `frontera record`: one traveller past the stay and still in, one
# who left late, one within the stay, one past the stay whose exit comes after
# the date of the list. `frontera overstayers` and GET /v1/overstayers must
# name exactly the two still in past their stay, most days over first, with
# name, document, entry and days over; filter by nationality, port and days
# over; write CSV with the separator asked for, JSON and XLSX; refuse an analyst;
# and audit every access.
set -euo pipefail
# grep -q stops at its first match, and under pipefail the writer then
# dies of SIGPIPE and a passing check fails by chance: read it all first.
grep_q() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
: "${FRONTERA:?}" "${FR_SOURCE_DIR:?}"
F=$FRONTERA
T=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "overstayers.sh: FAIL: $*" >&2; exit 1; }
export FRONTERA_DB="$T/ledger.db"
"$F" init >/dev/null

rec() { # kind id at port state:number nat surname given [until]
  local extra=()
  [ -n "${9:-}" ] && extra=(--authorised-until "$9")
  "$F" record "$1" --event-id "$2" --at "$3" --port "$4" --document "$5" --nationality "$6" \
    --surname "$7" --given-names "$8" --birth-date 1980-01-01 "${extra[@]}" >/dev/null
}
rec entry E1 2024-01-01T10:00-05:00 ECUIO USA:A0000001 USA SMITH "JOHN PAUL" 2024-03-30
rec entry E2 2024-01-10T10:00-05:00 ECGYE CHN:E0000002 CHN WANG LI 2024-04-08
rec entry E3 2024-01-01T10:00-05:00 ECUIO USA:A0000003 USA JONES ANN 2024-03-30
rec exit  X3 2024-04-10T10:00-05:00 ECUIO USA:A0000003 USA JONES ANN
rec entry E4 2024-04-01T10:00-05:00 ECUIO USA:A0000004 USA BROWN "MARY; JO" 2024-06-29
rec entry E5 2024-01-01T10:00-05:00 ECUIO COL:C0000005 COL PEREZ ANA 2024-01-31
rec exit  X5 2024-05-02T10:00-05:00 ECUIO COL:C0000005 COL PEREZ ANA

"$F" overstayers --as-of 2024-05-01 >"$T/list.csv"
head -n 1 "$T/list.csv" | tr -d '\r' | grep_q -x 'traveller_id,surname,given_names,nationality,document_state,document_number,birth_date,entered,entry_port,authorised_until,days_over' ||
  fail "the CSV header is wrong: $(head -n 1 "$T/list.csv")"
[ "$(wc -l <"$T/list.csv")" -eq 4 ] || fail "expected 3 people on 2024-05-01: $(cat "$T/list.csv")"
sed -n 2p "$T/list.csv" | grep_q ',PEREZ,ANA,COL,COL,C0000005,1980-01-01,2024-01-01,ECUIO,2024-01-31,91' ||
  fail "the first row is not PEREZ 91 days over: $(sed -n 2p "$T/list.csv")"
sed -n 3p "$T/list.csv" | grep_q ',SMITH,JOHN PAUL,USA,USA,A0000001,1980-01-01,2024-01-01,ECUIO,2024-03-30,32' ||
  fail "the second row is not SMITH 32 days over: $(sed -n 3p "$T/list.csv")"
sed -n 4p "$T/list.csv" | grep_q ',WANG,LI,CHN,CHN,E0000002,1980-01-01,2024-01-10,ECGYE,2024-04-08,23' ||
  fail "the third row is not WANG 23 days over: $(sed -n 4p "$T/list.csv")"
grep -q 'JONES\|BROWN' "$T/list.csv" && fail "someone who left, or is within the stay, is listed"

"$F" overstayers --as-of 2024-05-01 --nationality USA --format json >"$T/usa.json"
python3 - "$T/usa.json" <<'PY' || fail "the JSON list is wrong: $(cat "$T/usa.json")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["as_of"] == "2024-05-01" and j["total"] == 1 and j["count"] == 1, j
r = j["rows"][0]
assert (r["surname"], r["given_names"], r["document_number"], r["days_over"]) == ("SMITH", "JOHN PAUL", "A0000001", 32), r
assert isinstance(r["traveller_id"], int)
PY
[ "$("$F" overstayers --as-of 2024-05-01 --port ECGYE | wc -l)" -eq 2 ] || fail "--port ECGYE is not WANG alone"
[ "$("$F" overstayers --as-of 2024-05-01 --min-days-over 30 | wc -l)" -eq 3 ] || fail "--min-days-over 30 is not two people"
"$F" overstayers --as-of 2024-05-01 --sep semicolon | sed -n 1p | grep_q '^traveller_id;surname;' || fail "--sep semicolon ignored"
# a field holding the separator is quoted (BROWN's given names, once she overstays)
"$F" overstayers --as-of 2024-07-15 --sep semicolon | grep_q ';BROWN;"MARY; JO";' || fail "a field with the separator is not quoted"
# a spreadsheet: names as text, days over as numbers, dates as dates
"$F" overstayers --as-of 2024-05-01 --format xlsx --out "$T/list.xlsx"
python3 - "$T/list.xlsx" <<'PY' || fail "the XLSX workbook is wrong"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
strings = z.read("xl/sharedStrings.xml").decode()
sheet = z.read("xl/worksheets/sheet1.xml").decode()
for name in ("Traveller", "Days over", "PEREZ", "SMITH", "JOHN PAUL", "WANG", "C0000005"):
    assert name in strings, name
assert "days_over" not in strings  # the CSV's names are for programs
assert "JONES" not in strings and "BROWN" not in strings
cells = dict(re.findall(r'<c r="([A-Z]+\d+)"[^>]*><v>([^<]*)</v>', sheet))
assert cells["K2"] == "91" and cells["K3"] == "32" and cells["K4"] == "23", cells
assert cells["H2"] == str(19723 + 25569), cells["H2"]  # 2024-01-01 as an Excel date
assert "autoFilter" in sheet and "pane" in sheet
PY
# headed in Spanish for a Spanish reader
LANGUAGE=es "$F" overstayers --as-of 2024-05-01 --format xlsx --out "$T/lista.xlsx"
python3 - "$T/lista.xlsx" <<'PY' || fail "the Spanish workbook is not headed in Spanish"
import sys, zipfile
strings = zipfile.ZipFile(sys.argv[1]).read("xl/sharedStrings.xml").decode()
for name in ("Viajero", "Apellidos", "Días de exceso", "PEREZ"):
    assert name in strings, name
assert "Days over" not in strings
PY
set +e
"$F" overstayers --as-of 2024-05-01 --format xlsx >/dev/null 2>&1; rc0=$?
set -e
[ "$rc0" -eq 2 ] || fail "--format xlsx without --out exits $rc0, not 2"
set +e
"$F" overstayers >/dev/null 2>&1; rc1=$?
"$F" overstayers --as-of 2024-05-01 --nationality XYZ >/dev/null 2>&1; rc2=$?
set -e
[ "$rc1" -eq 2 ] || fail "no --as-of exits $rc1, not 2"
[ "$rc2" -eq 2 ] || fail "an unknown nationality exits $rc2, not 2"
LANG=es_EC.UTF-8 "$F" overstayers --help | grep_q '^Uso: frontera' || fail "the help is not in Spanish"
"$F" audit list 2>/dev/null | grep -c 'overstayers.read' | grep_q -x 8 || fail "each CLI run is not audited: $("$F" audit list 2>&1 | grep overstayers | head -3)"

# the server
"$F" user add sup --role supervisor >"$T/token.sup"
"$F" user add ana --role analyst >"$T/token.ana"
"$F" serve --listen 127.0.0.1:0 --policy "$FR_SOURCE_DIR/data/policy/ecu.policy" --quiet >"$T/out" 2>"$T/err" &
PID=$!
for _ in $(seq 100); do grep -q '^listening on' "$T/out" 2>/dev/null && break; sleep 0.1; done
U=$(sed -n 's/^listening on //p' "$T/out")
[ -n "$U" ] || fail "the server did not start: $(cat "$T/err")"
python3 - "$U" "$T" <<'PY' || fail "GET /v1/overstayers"
import json, re, sys, urllib.request, urllib.error
base, tmp = sys.argv[1:3]
tok = lambda r: re.search(r"frt_[A-Za-z0-9_-]{43}", open(f"{tmp}/token.{r}").read()).group(0)
def get(path, role):
    req = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + tok(role)})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.headers.get("Content-Type"), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read().decode()
st, ct, body = get("/v1/overstayers?as_of=2024-05-01", "ana")
assert st == 403, (st, body)
st, ct, body = get("/v1/overstayers?as_of=2024-05-01", "sup")
assert st == 200 and ct.startswith("application/json"), (st, ct, body)
j = json.loads(body)
assert [r["surname"] for r in j["rows"]] == ["PEREZ", "SMITH", "WANG"], j
st, ct, body = get("/v1/overstayers?as_of=2024-05-01&format=csv&sep=tab&nationality=CHN", "sup")
assert st == 200 and ct.startswith("text/csv"), (st, ct)
lines = body.split("\r\n")
assert lines[0].startswith("traveller_id\tsurname\t") and "\tWANG\tLI\tCHN\t" in lines[1] and lines[2] == "", lines
# a country's name or ISO alpha-3 code is read as its ICAO code; an unknown one is said
st, ct, body = get("/v1/overstayers?as_of=2024-05-01&nationality=china", "sup")
assert st == 200 and [r["surname"] for r in json.loads(body)["rows"]] == ["WANG"], (st, body)
# in Spanish too, as Ecuador's analysts write them (case and accents do not matter)
for q, want in (("Estados%20Unidos", "SMITH"), ("colombia", "PEREZ"), ("EE.%20UU.", "SMITH")):
    st, ct, body = get(f"/v1/overstayers?as_of=2024-05-01&nationality={q}", "sup")
    assert st == 200 and [r["surname"] for r in json.loads(body)["rows"]] == [want], (q, st, body)
st, ct, body = get("/v1/reports/flows?by=nationality&nationality=Estados%20Unidos,China", "sup")
assert st == 200 and sorted(r["nationality"] for r in json.loads(body)["rows"]) == ["CHN", "USA"], (st, body)
st, ct, body = get("/v1/overstayers?as_of=2024-05-01&nationality=CHI", "sup")
assert st == 422 and json.loads(body)["field"] == "nationality", (st, body)
req = urllib.request.Request(base + "/v1/overstayers?as_of=2024-05-01&format=xlsx",
                             headers={"Authorization": "Bearer " + tok("sup")})
with urllib.request.urlopen(req) as r:
    assert r.headers.get("Content-Type") == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    data = r.read()
assert data[:2] == b"PK" and b"sharedStrings" in data, data[:40]
import io, zipfile
req = urllib.request.Request(base + "/v1/overstayers?as_of=2024-05-01&format=xlsx&lang=es",
                             headers={"Authorization": "Bearer " + tok("sup")})
with urllib.request.urlopen(req) as r:
    strings = zipfile.ZipFile(io.BytesIO(r.read())).read("xl/sharedStrings.xml").decode()
assert "Días de exceso" in strings and "Days over" not in strings, strings[:200]
st, ct, body = get("/v1/overstayers?as_of=2024-05-01&format=xlsx&lang=fr", "sup")
assert st == 422 and json.loads(body)["field"] == "lang", (st, body)
st, ct, body = get("/v1/overstayers?as_of=2024-13-01", "sup")
assert st == 422 and json.loads(body)["field"] == "as_of", body
# a misspelt filter is refused: never answered as everyone overstaying today
for q, bad in (("as-of=2025-01-15", "as-of"), ("as_of=2024-05-01&nationalty=CHN", "nationalty")):
    st, ct, body = get(f"/v1/overstayers?{q}", "sup")
    assert st == 422 and json.loads(body)["field"] == bad, (q, st, body)
st, ct, body = get("/v1/reviews?stauts=all", "sup")
assert st == 422 and json.loads(body)["field"] == "stauts", (st, body)
PY
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
"$F" audit list 2>/dev/null | grep 'overstayers.read' | grep -c 'sup' | grep_q -x 8 ||
  fail "the server's eight answers are not all audited: $("$F" audit list 2>&1 | grep overstayers)"
echo "overstayers.sh: ok"
