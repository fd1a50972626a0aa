#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# selfcheck.sh: the traveller's own check, POST /v1/self-check (ctest
# cli.selfcheck). A traveller in the country gets their authorised-until date
# and days left with their own document number, nationality and birth date;
# a wrong birth date gets exactly the answer an unknown document gets, so
# nothing about the holder leaks; one address is cut off after 10 questions a
# minute; every question is audited without what was typed.
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
fail() { echo "selfcheck.sh: FAIL: $*" >&2; exit 1; }
export FRONTERA_DB="$T/ledger.db"
"$F" init >/dev/null
# Today's stay: entered two days ago, authorised for 30 more days. Another who overstays.
today=$(date -u +%Y-%m-%d)
in2=$(date -u -d "$today -2 days" +%Y-%m-%d)
until=$(date -u -d "$today +30 days" +%Y-%m-%d)
"$F" record entry --event-id S1 --at "${in2}T10:00-05:00" --port ECUIO --document USA:P1234567 \
  --nationality USA --surname DOE --given-names JANE --birth-date 1990-05-17 --authorised-until "$until" >/dev/null
old=$(date -u -d "$today -100 days" +%Y-%m-%d)
over=$(date -u -d "$today -10 days" +%Y-%m-%d)
"$F" record entry --event-id S2 --at "${old}T10:00-05:00" --port ECUIO --document CHN:E7654321 \
  --nationality CHN --surname LI --given-names MEI --birth-date 1985-01-02 --authorised-until "$over" >/dev/null

"$F" serve --listen 127.0.0.1:0 --policy "$FR_SOURCE_DIR/data/policy/ecu.policy" --quiet >"$T/out" 2>"$T/err" &
PID=$!
for _ in $(seq 100); do grep -q '^listening on' "$T/out" 2>/dev/null && break; sleep 0.1; done
U=$(sed -n 's/^listening on //p' "$T/out")
[ -n "$U" ] || fail "the server did not start: $(cat "$T/err")"
python3 - "$U" "$until" <<'PY' || fail "POST /v1/self-check"
import json, sys, urllib.request, urllib.error
base, until = sys.argv[1:3]
def ask(body):
    req = urllib.request.Request(base + "/v1/self-check", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
# 1. her own stay, without a token (the number as typed, lower case)
st, body = ask({"document_number": "p1234567", "nationality": "USA", "birth_date": "1990-05-17"})
j = json.loads(body)
assert st == 200 and j["found"] and j["in_country"], (st, body)
assert j["authorised_until"] == until and j["days_left"] == 31 and j["days_over"] == 0, j
assert set(j) == {"found", "in_country", "as_of", "authorised_until", "days_left", "days_over"}, j
assert "DOE" not in body and "JANE" not in body and "P1234567" not in body, "the answer repeats personal data"
# 2. a wrong birth date and an unknown document: the same bytes
st_w, wrong = ask({"document_number": "P1234567", "nationality": "USA", "birth_date": "1990-05-18"})
st_u, unknown = ask({"document_number": "X0000000", "nationality": "USA", "birth_date": "1990-05-17"})
assert st_w == st_u == 200 and wrong == unknown and json.loads(wrong) == {"found": False}, (wrong, unknown)
# 3. an overstay is said as such
st, body = ask({"document_number": "E7654321", "nationality": "CHN", "birth_date": "1985-01-02"})
j = json.loads(body)
assert j["found"] and j["days_left"] == 0 and j["days_over"] == 10, j
# 4. bad input is a clear 422 (and counts as a question)
st, body = ask({"document_number": "P1234567", "nationality": "ZZZ", "birth_date": "1990-05-17"})
assert st == 422 and json.loads(body)["field"] == "nationality", body
# 5. five questions so far; the 11th in the minute is refused
codes = [ask({"document_number": "X%07d" % i, "nationality": "USA", "birth_date": "1990-05-17"})[0] for i in range(6)]
assert codes[:5] == [200] * 5 and codes[5] == 429, codes
PY
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
"$F" audit list >"$T/audit" 2>/dev/null
[ "$(grep -c 'selfcheck' "$T/audit")" -eq 9 ] || fail "the 9 answered questions are not all audited: $(grep selfcheck "$T/audit")"
grep 'selfcheck' "$T/audit" | grep_q 'no-match' || fail "a question that matched nobody is not audited as no-match"
grep -q 'P1234567\|1990-05-1\|X0000000' "$T/audit" && fail "the audit keeps what was typed"
echo "selfcheck.sh: ok"
