#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# hardening.sh: the regressions of issue 19 (an attack on frontera and its
# use by a new user), each through the real program and server on loopback:
# implausible and future dates refused and one bad stored row not poisoning
# the reports (1), recording an event is not the key to a history and
# "not yours" answers as "absent" (2), per-address connection limits and idle
# timeouts (3), audit verification of every row, byte and type and the
# listings (5), names with NUL or bad UTF-8 (6), the HTTP edges (7), the
# store and list edges (8) and the new-user findings (9).
set -euo pipefail
# grep -q stops at its first match, and under pipefail the writer then
# dies of SIGPIPE and a passing check fails by chance: read it all first.
grep_q() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
F=${FRONTERA:?}
SRC=${FR_SOURCE_DIR:?}
T=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$T/err" ] && { echo "--- server stderr:" >&2; tail -20 "$T/err" >&2; }; exit 1; }
command -v curl >/dev/null || fail "curl is needed"
command -v sqlite3 >/dev/null || fail "the sqlite3 shell is needed"
export FRONTERA_DB="$T/ledger.db"
cp "$SRC/data/policy/ecu.policy" "$T/ecu.policy"
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
rc_of() { set +e; "$@" >"$T/out" 2>"$T/cerr"; local rc=$?; set -e; echo $rc; }

OFF=$("$F" user add olga --role officer)
OTH=$("$F" user add otto --role officer)
SUP=$("$F" user add sam --role supervisor)
ANA=$("$F" user add ann --role analyst)
ADM=$("$F" user add adam --role admin)

start_server() {
  "$F" serve --listen 127.0.0.1:0 --policy "$T/ecu.policy" --threads 2 "$@" >"$T/sout" 2>"$T/err" &
  PID=$!
  for _ in $(seq 100); do grep -q '^listening on' "$T/sout" 2>/dev/null && break; sleep 0.1; done
  U=$(sed -n 's/^listening on //p' "$T/sout")
  [ -n "$U" ] || fail "the server did not say where it listens"
}
stop_server() { kill "$PID"; wait "$PID" || true; PID=; }
req() { # req METHOD PATH TOKEN [BODY] -> status; body in $T/body
  local args=(-s -o "$T/body" -w '%{http_code}' -X "$1" -D "$T/headers")
  [ -n "$3" ] && args+=(-H "Authorization: Bearer $3")
  [ $# -ge 4 ] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
  curl "${args[@]}" "$U$2"
}
expect() {
  local want=$1; shift
  local got; got=$(req "$@")
  [ "$got" = "$want" ] || fail "$1 $2: expected $want, got $got: $(cat "$T/body")"
}
field() { [ "$(json 'd.get("field")' <"$T/body")" = "$1" ] || fail "problem field $1: $(cat "$T/body")"; }

start_server --per-address 4 --max-connections 16 --timeout 2
EV() { # EV ID KIND AT DOCNUMBER
  echo "{\"event_id\":\"$1\",\"kind\":\"$2\",\"at\":\"$3\",\"port\":\"ECUIO\",\"document_state\":\"CHN\",\"document_number\":\"$4\",\"nationality\":\"CHN\",\"surname\":\"LIU\",\"given_names\":\"YANG\",\"birth_date\":\"1980-01-01\"}"
}

# --- 1: dates outside 2000..2099, and events after the post's clock, are refused where they enter
expect 422 POST /v1/events "$OFF" "$(EV D-1 entry 2207-01-01T10:00-05:00 G1)"; field at
expect 422 POST /v1/events "$OFF" "$(EV D-2 entry 1969-12-31T10:00-05:00 G1)"; field at
grep -q 'plausible range' "$T/body" || fail "the range is not said: $(cat "$T/body")"
future=$(date -u -d '+2 days' +%Y-%m-%dT%H:%M+00:00)
expect 422 POST /v1/events "$OFF" "$(EV D-3 entry "$future" G1)"; field at
grep -q "before it happens" "$T/body" || fail "the clock is not said: $(cat "$T/body")"
[ "$(rc_of "$F" record entry --event-id D-4 --at 1969-07-01T10:00-05:00 --port ECUIO --document CHN:G1)" = 2 ] \
  || fail "record of 1969 must exit 2"
[ "$(rc_of "$F" record entry --event-id D-5 --at "$future" --port ECUIO --document CHN:G1)" = 2 ] \
  || fail "record of a future event must exit 2"
printf 'event_id,kind,at,port,document_state,document_number\nD-6,entry,2207-01-01T10:00-05:00,ECUIO,CHN,G1\nD-7,entry,2024-01-01T10:00-05:00,ECUIO,CHN,G1\n' >"$T/dates.csv"
[ "$(rc_of "$F" import "$T/dates.csv" --no-policy)" = 1 ] || fail "import of 2207 must reject the row: $(cat "$T/cerr")"
grep -q '1 taken, 0 duplicates, 1 rejected' "$T/out" || fail "import summary: $(cat "$T/out")"
grep -q 'line 2: at: ' "$T/cerr" || fail "the rejected row is not located: $(cat "$T/cerr")"
# a row stored before the check (written past it here) no longer stops every report
"$F" record entry --event-id D-8 --at 2024-02-01T10:00-05:00 --port ECUIO --document CHN:G2 --nationality CHN >/dev/null
sqlite3 "$FRONTERA_DB" "UPDATE events SET local_date = 86000, at_utc = 7430000000 WHERE event_id = 'D-8'"
"$F" report flows --by nationality >"$T/out" 2>"$T/cerr" || fail "report flows with one bad row: $(cat "$T/cerr")"
"$F" report overstays >/dev/null 2>"$T/cerr" || fail "report overstays with one bad row: $(cat "$T/cerr")"
expect 200 GET /v1/reports/flows "$ANA"
[ "$(json 'd["total"]["entries"]' <"$T/body")" = 1 ] || fail "flows leave the bad row out: $(cat "$T/body")"
expect 200 GET /v1/reports/overstays "$ANA"
expect 200 GET /v1/alerts "$ANA"

# --- 2: a made-up encounter does not open a history; "not yours" is "absent"
expect 201 POST /v1/events "$OTH" "$(EV FAKE-1 encounter 2024-03-01T10:00-05:00 G1)"
expect 404 GET /v1/travellers/CHN:G1 "$OTH"; cp "$T/body" "$T/notyours"
expect 404 GET /v1/travellers/CHN:NOSUCH1 "$OTH"
cmp -s "$T/body" "$T/notyours" || fail "not yours and absent differ: $(cat "$T/notyours") / $(cat "$T/body")"
expect 200 GET /v1/travellers/CHN:G1 "$SUP"
L1='P<CHNZHANG<<WEI<<<<<<<<<<<<<<<<<<<<<<<<<<<<<'
L2='E123456782CHN8503149M3005017<<<<<<<<<<<<<<<8'
expect 200 POST /v1/admissions "$OFF" "{\"mrz\":[\"$L1\",\"$L2\"],\"port\":\"ECUIO\",\"at\":\"2024-06-30T10:15-05:00\",\"record\":true,\"event_id\":\"A-1\"}"
TID=$(json 'd["traveller_id"]' <"$T/body")
expect 200 GET "/v1/travellers/$TID" "$OFF"
# who looked: the recorded admission is in the record's trail
json '[a["action"] for a in d["audit"]]' <"$T/body" | grep_q admission.record || fail "who looked lacks admission.record: $(cat "$T/body")"
expect 404 GET "/v1/travellers/$TID" "$OTH"
[ "$(sqlite3 "$FRONTERA_DB" "select detail from audit_log where actor='otto' and action='traveller.read' order by seq desc limit 1")" = "refused: not processed by this officer" ] \
  || fail "the refusal is not audited with its reason"

# --- 3: one address cannot hold every connection; idle connections are closed
python3 - "$U" <<'PY' || fail "per-address limit or idle timeout"
import socket, sys, time
host, port = sys.argv[1].split("//")[1].split(":")
port = int(port)
def get(src):
    s = socket.socket()
    s.bind((src, 0))
    s.settimeout(5)
    s.connect((host, port))
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    data = b""
    try:
        while True:
            b = s.recv(4096)
            if not b: break
            data += b
    except OSError:
        pass
    s.close()
    return data.startswith(b"HTTP/1.1 200")
idle = []
for _ in range(4):  # the limit for one address (--per-address 4)
    s = socket.create_connection((host, port)); idle.append(s)
time.sleep(0.3)
if get("127.0.0.1"): sys.exit("a fifth connection from the same address was served")
if not get("127.0.0.2"): sys.exit("another address was locked out")
time.sleep(3.5)  # --timeout 2: the idle ones are closed
if not get("127.0.0.1"): sys.exit("idle connections were not closed after the timeout")
for s in idle: s.close()
PY

# --- 7: HTTP edges
got=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $OFF" -H 'Content-Type:' --data-binary "$(EV H-1 entry 2024-03-01T10:00-05:00 H1)" "$U/v1/events")
[ "$got" = 415 ] || fail "a body without Content-Type must be 415, got $got: $(cat "$T/body")"
got=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $OFF" -H 'Content-Type: application/jsonp' --data-binary '{}' "$U/v1/events")
[ "$got" = 415 ] || fail "application/jsonp must be 415, got $got"
expect 422 POST /v1/admissions "$OFF" "{\"mrz\":[\"$L1\",\"$L2\"],\"port\":\"ECUIO\",\"at\":\"2024-06-30T10:15\"}"; field at
expect 422 POST /v1/admissions "$OFF" "{\"mrz\":[\"$L1\",\"$L2\"],\"port\":\"12345\",\"at\":\"2024-06-30T10:15-05:00\"}"; field port
# a member of the wrong kind is not "required": it is there, and must be something else
detail() { python3 -c "import json,sys; print(json.load(sys.stdin).get('detail',''))" <"$T/body"; }
expect 422 POST /v1/admissions "$OFF" '{"mrz":42,"port":"ECUIO","at":"2024-06-30T10:15-05:00"}'; field mrz
case "$(detail)" in "mrz must be"*) ;; *) fail "mrz of the wrong kind: $(cat "$T/body")" ;; esac
expect 422 POST /v1/admissions "$OFF" "{\"port\":\"ECUIO\",\"at\":\"2024-06-30T10:15-05:00\"}"; field mrz
case "$(detail)" in "mrz is required"*) ;; *) fail "mrz missing: $(cat "$T/body")" ;; esac
expect 422 POST /v1/admissions "$OFF" "{\"mrz\":[\"$L1\",\"$L2\"],\"port\":7,\"at\":\"2024-06-30T10:15-05:00\"}"; field port
case "$(detail)" in "port must be"*) ;; *) fail "port of the wrong kind: $(cat "$T/body")" ;; esac
# a finding about the whole MRZ (one line read) is placed at its start, never at line 0, column 0
expect 200 POST /v1/admissions "$OFF" '{"mrz":"P<CHNZHANG","port":"ECUIO","at":"2024-06-30T10:15-05:00"}'
grep -q 'Line 1, column 1: Only one line' "$T/body" || fail "the one-line finding: $(cat "$T/body")"
grep -q 'Line 0' "$T/body" && fail "a finding at line 0: $(cat "$T/body")"
# the path is percent-decoded once (by libmicrohttpd), not twice
expect 200 GET /v1/travellers/CHN%3AE12345678 "$SUP"
expect 404 GET /v1/travellers/CHN%253AE12345678 "$SUP"
# a long unknown member with a character cut by the limit keeps its detail
long=$(python3 -c 'print("x"*47 + "ñ" * 10)')
expect 422 POST /v1/admissions "$OFF" "{\"mrz\":[\"$L1\",\"$L2\"],\"port\":\"ECUIO\",\"at\":\"2024-06-30T10:15-05:00\",\"$long\":1}"
[ "$(json '"unknown member" in d.get("detail", "")' <"$T/body")" = True ] || fail "the 422 lost its detail: $(cat "$T/body")"
# detail_parts: the formats and values the detail is made of, which give it
# back (a client says it in its language from them); a detail mended after a
# cut character no longer comes from its parts, so it carries none
[ "$(json '"detail_parts" in d' <"$T/body")" = False ] || fail "parts that do not give the mended detail: $(cat "$T/body")"
parts_give_detail() {
  python3 - "$T/body" <<'PY' || fail "detail_parts do not give the detail: $(cat "$T/body")"
import json, re, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
conv = re.compile(r"%(?:\d+\$)?[-+ #0']*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?:hh|h|ll|l|j|z|t|L)?([diouxXcsfFeEgGaAp%])")
out = ""
for p in d["detail_parts"]:
    vals = iter(p["values"])
    out += conv.sub(lambda m: "%" if m.group(1) == "%" else next(vals), p["format"])
    assert next(vals, None) is None, "a value left over"
sys.exit(0 if out == d["detail"] else 1)
PY
}
expect 422 POST /v1/admissions "$OFF" "{\"mrz\":[\"$L1\",\"$L2\"],\"port\":\"ECUIO\",\"at\":\"2024-02-30T10:15-05:00\"}"; field at
parts_give_detail
[ "$(json 'd["detail_parts"][0]["values"]' <"$T/body")" = "['30', '2024', '02']" ] ||
  fail "the day's values are not in detail_parts: $(cat "$T/body")"
# a detail whose format says nothing of its own ("%s" around an MRZ finding)
# has no parts: a client would "translate" it into the same English
expect 422 POST /v1/exits "$OFF" '{"mrz":"P<CHNZHANG","port":"ECUIO","at":"2024-06-30T10:15-05:00"}'; field mrz
[ "$(json '"detail_parts" in d' <"$T/body")" = False ] || fail "parts of a bare '%s' detail: $(cat "$T/body")"
# the misread document's findings as an admission lists them (fr_admit_mrz_reasons): codes and places
[ "$(json '[(r["code"][:4], r["level"], "line" in r["params"]) for r in d["reasons"]][:1]' <"$T/body")" = "[('mrz.', 'refer', True)]" ] ||
  fail "the exit's problem does not list the findings as reasons: $(cat "$T/body")"
# a crossing is not recorded before it happens, whatever the route (POST /v1/events refuses it too);
# deciding about a future date without recording stays possible
expect 422 POST /v1/admissions "$OFF" "{\"mrz\":[\"$L1\",\"$L2\"],\"port\":\"ECUIO\",\"at\":\"2099-06-30T10:15-05:00\",\"record\":true,\"event_id\":\"F-1\"}"; field at
grep -q 'days after this post' "$T/body" || fail "the refusal does not say how far ahead: $(cat "$T/body")"
expect 422 POST /v1/exits "$OFF" "{\"mrz\":[\"$L1\",\"$L2\"],\"port\":\"ECUIO\",\"at\":\"2099-06-30T10:15-05:00\"}"; field at
expect 200 POST /v1/admissions "$OFF" "{\"mrz\":[\"$L1\",\"$L2\"],\"port\":\"ECUIO\",\"at\":\"2099-06-30T10:15-05:00\"}"
# a policy that is not UTF-8 is refused with its line, and the one in force stays readable
{ head -3 "$T/ecu.policy"; printf '# caf\xe9\n'; tail -n +4 "$T/ecu.policy"; } >"$T/latin1.policy"
got=$(curl -s -o "$T/body" -w '%{http_code}' -X PUT -H "Authorization: Bearer $ADM" --data-binary @"$T/latin1.policy" "$U/v1/policy")
[ "$got" = 422 ] || fail "a policy not in UTF-8 must be 422, got $got: $(cat "$T/body")"
[ "$(json 'd["line"]' <"$T/body")" = 4 ] || fail "the bad line is not named: $(cat "$T/body")"
expect 200 GET /v1/policy "$ANA"
[ "$(json 'len(d.get("text", "")) > 0' <"$T/body")" = True ] || fail "GET /v1/policy lost its text: $(head -c 300 "$T/body")"
# an analyst's refused attempt on a traveller is audited
expect 403 GET "/v1/travellers/$TID" "$ANA"
[ "$(sqlite3 "$FRONTERA_DB" "select status||' '||object from audit_log where actor='ann' and action='traveller.read' order by seq desc limit 1")" = "403 traveller:$TID" ] \
  || fail "the analyst's 403 is not audited"

stop_server

# --- 5: audit verification covers every row, byte and type
"$F" audit verify >/dev/null || fail "the intact log must verify"
head=$("$F" audit head | grep -o '[0-9a-f]\{64\}' | sed -n 1p)
[ ${#head} = 64 ] || fail "audit head: $("$F" audit head)"
tamper() { # tamper NAME SQL: on a copy; audit verify must exit 1
  cp "$FRONTERA_DB" "$T/$1.db"
  sqlite3 "$T/$1.db" "DROP TRIGGER audit_log_no_update; $2"
  set +e; out=$("$F" --db "$T/$1.db" audit verify --expect-head "$head" 2>&1); rc=$?; set -e
  [ $rc = 1 ] || fail "audit tampering '$1' was not caught (exit $rc): $out"
}
tamper seq0 "INSERT INTO audit_log SELECT 0, at_ms, actor, role, action, object, origin, status, detail, prev, hash FROM audit_log WHERE seq = 1"
tamper seqneg "INSERT INTO audit_log SELECT -5, at_ms, actor, role, action, object, origin, status, detail, prev, hash FROM audit_log WHERE seq = 1"
tamper nul "UPDATE audit_log SET detail = detail || char(0) || 'hidden' WHERE seq = 1"
tamper status_real "UPDATE audit_log SET status = status + 0.25 WHERE seq = 1"
tamper at_real "UPDATE audit_log SET at_ms = at_ms + 0.25 WHERE seq = 1"
tamper actor_blob "UPDATE audit_log SET actor = CAST(actor AS BLOB) WHERE seq = 1"
tamper hash_text "UPDATE audit_log SET hash = CAST(hash AS TEXT) WHERE seq = 2"
# an entry whose object is not UTF-8 is listed, escaped, not dropped
cp "$FRONTERA_DB" "$T/bad8.db"
sqlite3 "$T/bad8.db" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET object = CAST(X'747261766C3AFF' AS TEXT) WHERE seq = 1"
n=$(sqlite3 "$T/bad8.db" "select count(*) from audit_log")
[ "$("$F" --db "$T/bad8.db" audit list --json | wc -l)" = "$n" ] || fail "audit list --json dropped an entry"
"$F" --db "$T/bad8.db" audit list --json | sed -n 1p | grep_q 'travl:\\\\xFF' || fail "the bad byte is not escaped: $("$F" --db "$T/bad8.db" audit list --json | head -1)"

# --- 6: names with a NUL or invalid UTF-8 are rejected with line and column, never cut
printf 'event_id,kind,at,port,document_state,document_number,surname\nU-1,entry,2024-07-01T10:15-05:00,ECUIO,ECU,U1,"D\0OE"\nU-2,entry,2024-07-01T10:15-05:00,ECUIO,ECU,U2,L\xffPEZ\n' >"$T/names.csv"
[ "$(rc_of "$F" import "$T/names.csv" --no-policy)" = 1 ] || fail "bad names must be rejected"
grep -q '0 taken, 0 duplicates, 2 rejected' "$T/out" || fail "names summary: $(cat "$T/out")"
grep -q 'line 2: surname: byte 2' "$T/cerr" && grep -q 'line 3: surname: byte 2' "$T/cerr" || fail "names not located: $(cat "$T/cerr")"

# --- 9: ISO alpha-3 taken in imports; a ';' header named as such
printf 'event_id,kind,at,port,document_state,document_number,nationality\nK-1,entry,2024-07-01T10:15-05:00,ECUIO,DEU,K1,XKX\n' >"$T/a3.csv"
"$F" import "$T/a3.csv" --no-policy >/dev/null || fail "DEU/XKX import: $(cat "$T/cerr")"
[ "$(sqlite3 "$FRONTERA_DB" "select d.state from documents d where d.number='K1'")" = D ] || fail "DEU not stored as D"
# --- 9b: a ';' file (a spreadsheet set to Spanish) is read as such, and said so; from stdin it needs
# --sep, and the refusal names it; a ',' inside a ';' field is text
printf 'event_id;kind;at;port;document_state;document_number;surname\nS-1;entry;2024-07-01T10:15-05:00;ECUIO;ECU;S1;"PEREZ, JR"\n' >"$T/semi.csv"
[ "$(rc_of "$F" import "$T/semi.csv" --no-policy)" = 0 ] || fail "a ';' file: $(cat "$T/cerr")"
grep -q "separated by ';'" "$T/cerr" || fail "the separator read is not said: $(cat "$T/cerr")"
[ "$(sqlite3 "$FRONTERA_DB" "select t.surname from documents d join travellers t on t.id = d.traveller_id where d.number='S1'")" = "PEREZ, JR" ] \
  || fail "the ';' row was not read field by field"
sed 's/S-1/S-2/; s/;S1;/;S2;/' "$T/semi.csv" >"$T/semi2.csv"
[ "$(rc_of sh -c "\"$F\" import - --no-policy <\"$T/semi2.csv\"")" = 3 ] || fail "a ';' stdin without --sep must be refused"
grep -q -- "--sep semicolon" "$T/cerr" || fail "the refusal names --sep: $(cat "$T/cerr")"
[ "$(rc_of sh -c "\"$F\" import - --no-policy --sep semicolon <\"$T/semi2.csv\"")" = 0 ] || fail "--sep semicolon: $(cat "$T/cerr")"
# --- 8: a revoked user stays revoked
"$F" user revoke otto >/dev/null
[ "$(rc_of "$F" user rotate otto)" = 3 ] || fail "rotating a revoked user must fail"
grep -q 'revoked and stays so' "$T/cerr" || fail "the refusal is unclear: $(cat "$T/cerr")"
"$F" user list | grep_q '^otto .*Z$' || fail "otto is active again: $("$F" user list)"

# --- 9: options checked with or without --record; a missing ledger said; CLI reads audited
printf '%s\n%s\n' "$L1" "$L2" >"$T/chn.mrz"
for bad in "--port 12345 --at 2024-06-30T10:15-05:00" "--port ZZZZZ --at 2024-06-30T10:15-05:00" \
           "--port ECUIO --at 2024-06-30T10:15"; do
  # shellcheck disable=SC2086
  [ "$(rc_of "$F" admit --policy "$T/ecu.policy" $bad "$T/chn.mrz")" = 2 ] || fail "admit $bad must exit 2"
done
# recorded only once it happened; decided for any day
[ "$(rc_of "$F" admit --record --policy "$T/ecu.policy" --port ECUIO --at 2099-06-30T10:15-05:00 "$T/chn.mrz")" = 2 ] &&
  grep -q 'days after this post' "$T/cerr" || fail "a future admit --record: $(cat "$T/cerr")"
[ "$(rc_of "$F" admit --policy "$T/ecu.policy" --port ECUIO --at 2099-06-30T10:15-05:00 "$T/chn.mrz")" != 2 ] ||
  fail "a future decision without --record is refused: $(cat "$T/cerr")"
rc_of "$F" --db "$T/nosuch.db" admit --policy "$T/ecu.policy" --port ECUIO --at 2024-06-30T10:15-05:00 "$T/chn.mrz" >/dev/null
grep -q 'no ledger at .*nosuch.db' "$T/cerr" || fail "a missing ledger is not said: $(cat "$T/cerr")"
# user add (and serve) make a ledger where there is none, and say so: a mistyped --db is seen at once
"$F" --db "$T/typo.db" user add tina --role officer >/dev/null 2>"$T/cerr"
grep -q 'there was no ledger at .*typo.db: a new, empty one was created' "$T/cerr" || fail "a new ledger is not said: $(cat "$T/cerr")"
"$F" --db "$T/typo.db" user add tom --role officer >/dev/null 2>"$T/cerr"
grep -q 'new, empty' "$T/cerr" && fail "an existing ledger called new: $(cat "$T/cerr")"
"$F" --db "sqlite:$T/typo.db" user add tess --role officer >/dev/null 2>"$T/cerr"
grep -q 'new, empty' "$T/cerr" && fail "an existing ledger named sqlite:PATH called new: $(cat "$T/cerr")"
# a --db URI is named in errors, its password never
rc_of "$F" --db 'postgresql://frontera:S3cretPw@127.0.0.1:1/none' report flows >/dev/null
grep -q 'postgresql://frontera:\*\*\*@127.0.0.1:1/none' "$T/cerr" && ! grep -q S3cretPw "$T/cerr" ||
  fail "the password is shown or the URI is not named: $(cat "$T/cerr")"
rc_of "$F" --db 'host=127.0.0.1 port=1 dbname=none password=S3cretKw' report flows >/dev/null
grep -q 'password=\*\*\*' "$T/cerr" && ! grep -q S3cretKw "$T/cerr" ||
  fail "a keyword password is shown: $(cat "$T/cerr")"
# a new ledger holds people's records: its owner only may read it
[ "$(stat -c %a "$T/typo.db")" = 600 ] || fail "a new ledger is readable by others: $(stat -c %a "$T/typo.db")"
[ "$(rc_of "$F" screen --name 'DOE, JOHN' --dir "$T/no-such-lists")" = 3 ] || fail "screen --dir missing must fail"
grep -q 'does not exist' "$T/cerr" || fail "screen --dir missing: $(cat "$T/cerr")"
me=$(id -un)
n0=$(sqlite3 "$FRONTERA_DB" "select count(*) from audit_log where actor='cli:$me'")
"$F" traveller "$TID" >/dev/null
"$F" export >/dev/null
"$F" admit --policy "$T/ecu.policy" --port ECUIO --at 2024-06-29T10:15-05:00 --record --event-id C-1 "$T/chn.mrz" >/dev/null
got=$(sqlite3 "$FRONTERA_DB" "select action||' '||object from audit_log where actor='cli:$me' and seq > (select max(seq) from audit_log) - 3 order by seq" | tr '\n' '|')
[ "$got" = "traveller.read traveller:$TID|ledger.export ledger:..|admission.record traveller:$TID event:C-1|" ] \
  || fail "CLI reads and exports are not audited as the OS user: $got"
# one name convention: SURNAME, GIVEN NAMES (as the admission prints it)
"$F" traveller "$TID" | grep_q 'ZHANG, WEI' || fail "traveller name order: $("$F" traveller "$TID")"
grep -q "docs\[0\].surname, docs\[0\].given_names" "$SRC/web/assets/traveller.js" || fail "the web page's name order"
"$F" synth --help | grep_q 'about 6.65 million events' || fail "synth --help volume"
"$F" report whatif --policy "$T/ecu.policy" --baseline "$T/ecu.policy" >"$T/out" || fail "whatif"
grep -q '^What if: the entries from' "$T/out" && grep -q 'need visa before' "$T/out" || fail "whatif header: $(head -3 "$T/out")"
# without a baseline, no baseline column (it was a column of zeros headed '-')
"$F" report whatif --policy "$T/ecu.policy" >"$T/out" || fail "whatif without a baseline"
grep -q '^nat  *arrivals  *need visa  *visa free  *overstays  *non-exits$' "$T/out" || fail "whatif columns: $(sed -n 4p "$T/out")"
# a second entry on the same day is flagged as the next day's is (the first has no exit)
"$F" --db "$T/same.db" init >/dev/null
"$F" --db "$T/same.db" admit --policy "$T/ecu.policy" --port ECUIO --at 2024-05-01T08:00-05:00 --record --event-id S-1 "$T/chn.mrz" >/dev/null
for at in 2024-05-01T15:00-05:00 2024-05-02T09:00-05:00; do
  rc_of "$F" --db "$T/same.db" admit --policy "$T/ecu.policy" --port ECUIO --at "$at" --json "$T/chn.mrz" >/dev/null
  json '[r["code"] for r in d["reasons"]]' <"$T/out" | grep_q history.no_exit || fail "entry at $at not flagged: $(cat "$T/out")"
done
# a retry of the recorded admission itself (same instant) is not its own open entry
rc_of "$F" --db "$T/same.db" admit --policy "$T/ecu.policy" --port ECUIO --at 2024-05-01T08:00-05:00 --json "$T/chn.mrz" >/dev/null
json '[r["code"] for r in d["reasons"]]' <"$T/out" | grep_q history.no_exit && fail "the same instant flagged itself: $(cat "$T/out")"
echo "hardening: ok"
