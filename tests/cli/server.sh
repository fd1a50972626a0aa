#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# server.sh: the real HTTP server on a free loopback port: every route, the
# roles (no token -> 401, an analyst asking for a traveller -> 403, a revoked
# token -> 401), the limits (oversized body -> 413, malformed JSON -> 400),
# the same answer as `frontera admit --json`, idempotent events, overrides,
# PUT /v1/policy all or nothing with FILE.prev kept, no personal data in the
# access log, the audit chain (and a tampered copy that `audit verify`
# catches), and SIGTERM: requests in flight finish, the server exits 0.
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
# FR_BACKEND=pg (tests/cli/pg_server.sh): the same on the PostgreSQL test cluster
if [ "${FR_BACKEND:-sqlite}" = pg ]; then
  ADMIN=$(cat "${FR_TEST_PG_DIR:-/nonexistent}/uri" 2>/dev/null || true)
  if [ -z "$ADMIN" ]; then
    [ -z "${CI:-}" ] || fail "no PostgreSQL test cluster, and CI is set"
    echo "SKIP: no PostgreSQL test cluster (PostgreSQL 15 is not installed)"; exit 77
  fi
  pgdb() { psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1 ${2:+TEMPLATE $2}" >/dev/null 2>&1; echo "${ADMIN%/*}/$1"; }
  export FRONTERA_DB=$(pgdb srv$$)
  sql() { psql -tAq "$1" -c "$2"; }
  # a copy of the database whose audit log can be edited past the trigger
  tamper_copy() { local u; u=$(pgdb "srv$$_$1" "srv$$"); psql -q "$u" -c "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only" -c "$2"; echo "$u"; }
else
  command -v sqlite3 >/dev/null || fail "the sqlite3 shell is needed"
  export FRONTERA_DB="$T/ledger.db"
  sql() { sqlite3 "$1" "$2"; }
  tamper_copy() { cp "$FRONTERA_DB" "$T/$1.db"; sqlite3 "$T/$1.db" "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; $2"; echo "$T/$1.db"; }
fi
cp "$SRC/data/policy/ecu.policy" "$T/ecu.policy"
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

OFF=$("$F" user add olga --role officer)
SUP=$("$F" user add sam --role supervisor)
ANA=$("$F" user add ann --role analyst)
ADM=$("$F" user add adam --role admin)
OLD=$("$F" user add gone --role officer)
OTH=$("$F" user add otto --role officer)
"$F" user revoke gone
[ ${#OFF} = 47 ] && [ "${OFF:0:4}" = frt_ ] || fail "token shape: $OFF"
"$F" user list | grep_q '^gone .*officer .*Z$' || fail "user list shows the revocation: $("$F" user list)"
"$F" user list | grep_q "$OFF" && fail "user list must never show a token"
set +e; "$F" user add olga --role admin 2>/dev/null; rc=$?; set -e
[ $rc = 3 ] || fail "adding a taken name must fail with 3, got $rc"

mkdir "$T/wl"
printf 'id,list,name,aliases,birth_date,nationality,documents,reason\nW-9,test,"GARCIA, LUIS",,1980-02-02,ESP,,wanted\n' >"$T/w.csv"
"$F" watchlist import "$T/w.csv" --dir "$T/wl" >/dev/null
"$F" serve --listen 127.0.0.1:0 --policy "$T/ecu.policy" --watchlists "$T/wl" --threads 2 --timeout 2 >"$T/out" 2>"$T/err" &
PID=$!
for _ in $(seq 100); do grep -q '^listening on' "$T/out" 2>/dev/null && break; sleep 0.1; done
U=$(sed -n 's/^listening on //p' "$T/out")
[ -n "$U" ] || fail "the server did not say where it listens"

# req METHOD PATH TOKEN [BODY] -> prints the status; the body is in $T/body
req() {
  local args=(-s -o "$T/body" -w '%{http_code}' -X "$1" -D "$T/headers")
  [ -n "$3" ] && args+=(-H "Authorization: Bearer $3")
  [ $# -ge 4 ] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
  curl "${args[@]}" "$U$2"
}
expect() { # expect STATUS METHOD PATH TOKEN [BODY]
  local want=$1; shift
  local got; got=$(req "$@")
  [ "$got" = "$want" ] || fail "$1 $2: expected $want, got $got: $(cat "$T/body")"
}
problem() { # the last answer is a problem document with this status (and field)
  grep -qi '^content-type: application/problem+json' "$T/headers" || fail "not a problem document: $(cat "$T/headers")"
  [ "$(json 'd["status"]' <"$T/body")" = "$1" ] || fail "problem status: $(cat "$T/body")"
  [ "$(json 'd["type"].startswith("urn:frontera:problem:")' <"$T/body")" = True ] || fail "problem type: $(cat "$T/body")"
  [ -z "${2:-}" ] || [ "$(json 'd.get("field")' <"$T/body")" = "$2" ] || fail "problem field $2: $(cat "$T/body")"
}

L1='P<CHNZHANG<<WEI<<<<<<<<<<<<<<<<<<<<<<<<<<<<<'
L2='E123456782CHN8503149M3005017<<<<<<<<<<<<<<<8'
ADMIT="{\"mrz\":[\"$L1\",\"$L2\"],\"port\":\"ECUIO\",\"at\":\"2024-06-30T10:15-05:00\"}"

# --- health, authentication, roles
expect 200 GET /healthz ""
[ "$(json 'd["status"]' <"$T/body")" = ok ] || fail "healthz body"
expect 401 GET /v1/policy ""; problem 401
grep -qi '^www-authenticate: Bearer' "$T/headers" || fail "401 without WWW-Authenticate"
expect 401 POST /v1/admissions "" "$ADMIT"; problem 401
expect 401 GET /v1/policy "frt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"; problem 401
expect 401 GET /v1/policy "not-a-token"
expect 401 GET /v1/policy "$OLD"; problem 401
grep -q revoked "$T/body" || fail "revoked token answer: $(cat "$T/body")"
expect 403 GET /v1/travellers/1 "$ANA"; problem 403
expect 403 POST /v1/admissions "$ANA" "$ADMIT"; problem 403
expect 403 POST /v1/events "$ANA" '{}'
expect 403 PUT /v1/policy "$OFF" 'x'
expect 403 GET /v1/reports/flows "$OFF"

# --- admissions: the same answer as `frontera admit --json`
printf '%s\n%s\n' "$L1" "$L2" >"$T/chn.mrz"
cli=$("$F" admit --policy "$T/ecu.policy" --port ECUIO --at 2024-06-30T10:15-05:00 --json "$T/chn.mrz")
expect 200 POST /v1/admissions "$OFF" "$ADMIT"
# the server screens (--watchlists) and `frontera admit` does not: apart from that reason, byte for byte
noscreen() { python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
d["reasons"] = [r for r in d["reasons"] if not r["code"].startswith(("screening.", "watchlist."))]
print(json.dumps(d, separators=(",", ":"), ensure_ascii=False))'; }
grep -q '"code":"screening.not_configured"' "$T/body" && fail "the server was given watchlists: $(cat "$T/body")"
[ "$(noscreen <"$T/body")" = "$(echo "$cli" | noscreen)" ] || fail "API and CLI differ:
API $(cat "$T/body")
CLI $cli"
[ "$(python3 -c 'import json,sys; print(list(json.load(sys.stdin)))' <"$T/body")" = "['decision', 'reasons', 'authorised_until', 'traveller_id', 'event_id', 'days_used', 'days_remaining', 'rule_ref', 'rule_ref_es', 'document']" ] \
  || fail "members and their order as frontera admit --json: $(cat "$T/body")"
expect 200 POST /v1/admissions "$SUP" "$ADMIT"
# record: the entry is written, with an event id and a traveller
REC="${ADMIT%\}},\"record\":true,\"event_id\":\"E-1\"}"
expect 200 POST /v1/admissions "$OFF" "$REC"
[ "$(json 'd["event_id"]' <"$T/body")" = E-1 ] || fail "recorded event id: $(cat "$T/body")"
TID=$(json 'd["traveller_id"]' <"$T/body")
[ "$TID" != None ] || fail "recorded admission has a traveller: $(cat "$T/body")"
# the report index is loaded now, with one event; what follows is appended to it live
expect 200 GET /v1/reports/flows "$ANA"
[ "$(json 'd["total"]["entries"]' <"$T/body")" = 1 ] || fail "flows after one entry: $(cat "$T/body")"
expect 200 POST /v1/admissions "$OFF" "$REC" # a retry is the same event
[ "$(sql "$FRONTERA_DB" "select count(*) from events where event_id='E-1'")" = 1 ] || fail "retry duplicated the entry"
# screening at the booth: a watchlist hit is referred with ground H
ESP=$(printf '{"format":"TD3","document_code":"P","issuing_state":"ESP","surname":"GARCIA","given_names":"LUIS","document_number":"XDA123456","nationality":"ESP","birth_date":"1980-02-02","sex":"M","expiry_date":"2033-01-01","optional_data":"","optional_data_2":null}' | "$F" mrz --make | python3 -c 'import json,sys; print(json.dumps([l for l in sys.stdin.read().split()]))')
expect 200 POST /v1/admissions "$OFF" "{\"mrz\":$ESP,\"port\":\"ECUIO\",\"at\":\"2024-06-30T10:15-05:00\"}"
[ "$(json '[r["ground"] for r in d["reasons"] if r["code"]=="watchlist.hit"][0] + "/" + d["decision"]' <"$T/body")" = H/refer ] \
  || fail "watchlist hit at admission: $(cat "$T/body")"
# refused on the day of the change (visa required): recorded as a refusal
REF="{\"mrz\":[\"$L1\",\"$L2\"],\"port\":\"ECUIO\",\"at\":\"2024-07-02T10:15-05:00\",\"record\":true}"
expect 200 POST /v1/admissions "$OFF" "$REF"
[ "$(json 'd["decision"]' <"$T/body")" = refuse ] || fail "refusal: $(cat "$T/body")"
# invalid requests name the field
expect 422 POST /v1/admissions "$OFF" '{"mrz":["x"],"port":"ECUIO"}'; problem 422 at
expect 422 POST /v1/admissions "$OFF" "{\"mrz\":[\"$L1\",\"$L2\"],\"port\":\"ECUIO\",\"at\":\"2024-06-30T10:15-05:00\",\"intended_days\":0}"; problem 422 intended_days
expect 422 POST /v1/admissions "$OFF" "{\"mrz\":[\"$L1\",\"$L2\"],\"port\":\"ECUIO\",\"at\":\"2024-06-30T10:15-05:00\",\"colour\":1}"; problem 422 colour
expect 422 POST /v1/admissions "$OFF" '{"port":"ECUIO"}'; problem 422 mrz
expect 400 POST /v1/admissions "$OFF" '{"mrz": ['; problem 400
expect 400 POST /v1/admissions "$OFF" '[1,2]'; problem 400
got=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $OFF" -H 'Content-Type: text/csv' --data-binary 'a,b' "$U/v1/admissions")
[ "$got" = 415 ] || fail "a CSV body must be 415, got $got"

# --- limits: a body over 1 MiB is refused with 413 and never read whole
head -c 1200000 /dev/zero | tr '\0' ' ' >"$T/big"
got=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $OFF" -H 'Content-Type: application/json' --data-binary @"$T/big" "$U/v1/admissions")
[ "$got" = 413 ] || fail "oversized body: expected 413, got $got"
problem 413
got=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $OFF" -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary @"$T/big" "$U/v1/events")
[ "$got" = 413 ] || fail "oversized chunked body: expected 413, got $got"

# an idle or slow client (half a request line) is cut off after the timeout (2 s here)
python3 - "$U" <<'PY' || fail "a half-sent request was not timed out"
import socket, sys, time
host, port = sys.argv[1].split("//")[1].split(":")
s = socket.create_connection((host, int(port)))
s.sendall(b"POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
s.settimeout(10)
t = time.time()
try:
    data = s.recv(4096)
except socket.timeout:
    sys.exit(1)
sys.exit(0 if time.time() - t < 8 else 1)
PY

# --- events: one, idempotent, conflicting, invalid, a batch
EV='{"event_id":"X-1","kind":"exit","at":"2024-07-20T10:00-05:00","port":"ECUIO","document_state":"CHN","document_number":"E12345678","surname":"ZHANG","given_names":"WEI","nationality":"CHN","birth_date":"1985-03-14","sex":"M"}'
expect 201 POST /v1/events "$OFF" "$EV"
[ "$(json 'd["status"]' <"$T/body")" = recorded ] || fail "event: $(cat "$T/body")"
[ "$(json 'd["traveller_id"]' <"$T/body")" = "$TID" ] || fail "exit linked to the traveller: $(cat "$T/body")"
expect 200 POST /v1/events "$OFF" "$EV"
[ "$(json 'd["status"]' <"$T/body")" = duplicate ] || fail "retry: $(cat "$T/body")"
expect 409 POST /v1/events "$OFF" "${EV/10:00/11:00}"; problem 409
expect 422 POST /v1/events "$OFF" "${EV/ECUIO/XX}"; problem 422 port
expect 422 POST /v1/events "$OFF" "${EV/\"exit\"/\"teleport\"}"; problem 422 kind
B2=${EV/X-1/X-2}; B2=${B2/exit/entry}; B2=${B2/07-20/08-01}
expect 200 POST /v1/events "$OFF" "{\"events\":[$EV,{\"event_id\":\"X-bad\",\"kind\":\"exit\"},$B2]}"
[ "$(json '(d["recorded"],d["duplicates"],d["rejected"])' <"$T/body")" = "(1, 1, 1)" ] || fail "batch counts: $(cat "$T/body")"
[ "$(json 'd["results"][1]["status"]+"/"+d["results"][1]["field"]' <"$T/body")" = rejected/at ] || fail "batch result: $(cat "$T/body")"
expect 422 POST /v1/events "$OFF" '{"events":[]}'; problem 422 events

# --- travellers: officer and admin read (audited), analyst never
expect 200 GET "/v1/travellers/$TID" "$OFF"
[ "$(json 'len(d["events"])' <"$T/body")" = 4 ] || fail "history: $(cat "$T/body")"
[ "$(json 'd["in_country"]' <"$T/body")" = True ] || fail "stay status: $(cat "$T/body")"
# who looked: this very read is the newest entry of the record's audit trail
[ "$(json 'd["audit"][0]["actor"]+"/"+d["audit"][0]["action"]' <"$T/body")" = olga/traveller.read ] \
  || fail "who looked: $(cat "$T/body")"
expect 200 GET /v1/travellers/CHN:E12345678 "$ADM"
[ "$(json 'd["traveller_id"]' <"$T/body")" = "$TID" ] || fail "by document"
# an officer sees only travellers they processed: otto decided nothing for this one, and the
# answer is the one for an absent traveller (a refusal must not tell what the ledger holds)
expect 404 GET "/v1/travellers/$TID" "$OTH"; problem 404; cp "$T/body" "$T/notyours"
expect 404 GET /v1/travellers/999999 "$OTH"; cmp -s "$T/body" "$T/notyours" || fail "not-yours differs from absent"
expect 404 GET /v1/travellers/999999 "$OFF"; problem 404
expect 404 GET /v1/travellers/abc "$SUP"

# --- overrides: a supervisor decides a referral, with a reason
VISA="{\"mrz\":[\"$L1\",\"$L2\"],\"port\":\"ECUIO\",\"at\":\"2024-09-05T10:15-05:00\",\"visa\":\"V-77\""
expect 200 POST /v1/admissions "$OFF" "$VISA}"
[ "$(json 'd["decision"]' <"$T/body")" = refer ] || fail "a visa holder is referred: $(cat "$T/body")"
expect 403 POST /v1/admissions/OV-1/override "$OFF" "$VISA,\"decision\":\"admit\",\"reason\":\"ok\"}"
expect 422 POST /v1/admissions/OV-1/override "$SUP" "$VISA,\"decision\":\"admit\"}"; problem 422 reason
expect 422 POST /v1/admissions/OV-1/override "$SUP" "$VISA,\"decision\":\"admit\",\"reason\":\"visa verified\"}"; problem 422 authorised_until
expect 200 POST /v1/admissions/OV-1/override "$SUP" "$VISA,\"decision\":\"admit\",\"reason\":\"visa verified with the consulate\",\"authorised_until\":\"2024-10-01\"}"
[ "$(json 'd["decision"]+"/"+d["overridden_from"]+"/"+d["event_id"]+"/"+d["authorised_until"]' <"$T/body")" = admit/refer/OV-1/2024-10-01 ] \
  || fail "override: $(cat "$T/body")"

# --- reports (analyst, supervisor, admin): aggregates, kept current by the server's recordings
expect 200 GET "/v1/reports/flows?by=nationality&nationality=CHN" "$ANA"
[ "$(json '(d["rows"][0]["nationality"], d["total"]["entries"], d["total"]["exits"], d["total"]["refusals"])' <"$T/body")" = "('CHN', 3, 1, 1)" ] \
  || fail "flows: $(cat "$T/body")"
EV3=${EV/X-1/X-3}; EV3=${EV3/07-20/11-20}
expect 201 POST /v1/events "$OFF" "$EV3"
expect 200 GET "/v1/reports/flows?by=month&from=2024-11" "$SUP"
[ "$(json 'd["total"]["exits"]' <"$T/body")" = 1 ] || fail "a new exit must show in the next report: $(cat "$T/body")"
expect 200 GET "/v1/reports/overstays?by=nationality&as_of=2025-06-30" "$ADM"
[ "$(json 'd["rows"][0]["expected_departures"] >= 1' <"$T/body")" = True ] || fail "overstays: $(cat "$T/body")"
expect 422 GET "/v1/reports/flows?by=planet" "$ANA"; problem 422 by
expect 422 GET "/v1/reports/flows?colour=red" "$ANA"; problem 422 colour
expect 200 GET "/v1/alerts?from=2024-01" "$ANA"
[ "$(json 'type(d["alerts"]).__name__' <"$T/body")" = list ] || fail "alerts: $(cat "$T/body")"
cp "$T/body" "$T/alerts_all.json"
expect 200 GET "/v1/alerts?from=2024-01&nationality=China,COL" "$ANA" # as report alerts --nationality
python3 - "$T/alerts_all.json" "$T/body" <<'PY' || fail "alerts by nationality: $(cat "$T/body")"
import json, sys
every, some = json.load(open(sys.argv[1]))["alerts"], json.load(open(sys.argv[2]))["alerts"]
assert some == [a for a in every if a["nationality"] in ("CHN", "COL")], (every, some)
PY
expect 422 GET "/v1/alerts?nationality=Narnia" "$ANA"; problem 422 nationality
expect 200 POST /v1/reports/whatif "$ANA" '{"baseline":true,"from":"2024-01-01"}'
[ "$(json '[r["arrivals"] for r in d["rows"] if r["nationality"]=="CHN"][0]' <"$T/body")" = 3 ] || fail "whatif: $(cat "$T/body")"
expect 422 POST /v1/reports/whatif "$ANA" '{"policy":"rule CHN visitor warp_speed"}'; problem 422 policy
grep -q '"line"' "$T/body" || fail "whatif policy errors have lines: $(cat "$T/body")"

# --- one port day by day (the dashboard's port and day view): every day of the period, the quiet
# ones as zeros, the same figures as `frontera report flows --port P --by day`, and audited
expect 200 GET "/v1/reports/port-days?port=ECUIO&from=2024-06-28&to=2024-07-03" "$ANA"
cp "$T/body" "$T/portdays.json"
"$F" report flows --port ECUIO --by day --from 2024-06-28 --to 2024-07-03 --format json >"$T/portdays.cli"
python3 - "$T/portdays.json" "$T/portdays.cli" <<'PY' || fail "port-days: $(cat "$T/portdays.json") against the CLI: $(cat "$T/portdays.cli")"
import json, sys
http, cli = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
days = [r["day"] for r in http["rows"]]
assert days == ["2024-06-28", "2024-06-29", "2024-06-30", "2024-07-01", "2024-07-02", "2024-07-03"], days
assert http["port"] == "ECUIO" and http["from"] == "2024-06-28" and http["to"] == "2024-07-03", http
by_day = {r["day"]: r for r in cli}
assert by_day, "the CLI found no crossing at ECUIO in the period"
for r in http["rows"]:
    want = by_day.get(r["day"], {"entries": 0, "exits": 0, "refusals": 0, "encounters": 0, "net": 0})
    for k in ("entries", "exits", "refusals", "encounters", "net"):
        assert r[k] == want[k], (r, want)
assert http["total"]["entries"] == sum(r["entries"] for r in cli), http["total"]
assert any(all(r[k] == 0 for k in ("entries", "exits", "refusals")) for r in http["rows"]), "no quiet day shown"
PY
expect 403 GET "/v1/reports/port-days?port=ECUIO" "$OFF"
expect 422 GET "/v1/reports/port-days?port=quito" "$ANA"; problem 422 port
expect 422 GET "/v1/reports/port-days?from=2024-07-01" "$ANA"; problem 422 port
expect 422 GET "/v1/reports/port-days?port=ECUIO&from=2024-07-02&to=2024-07-01" "$ANA"; problem 422 from
expect 422 GET "/v1/reports/port-days?port=ECUIO&from=2000-01-01&to=2024-07-01" "$ANA"; problem 422 to
expect 422 GET "/v1/reports/port-days?port=ECUIO&by=month" "$ANA"; problem 422 by
"$F" audit list | grep_q "ann(analyst) report.port_days port-days:ECUIO from=2024-06-28 to=2024-07-03 from .* -> 200" ||
  fail "the port-days read is not audited: $("$F" audit list | tail -3)"

# --- policy: read; write all or nothing, FILE.prev kept, swapped in
expect 200 GET /v1/policy "$ANA"
[ "$(json 'd["version"]' <"$T/body")" = 1 ] || fail "policy version"
[ "$(json 'd["jurisdiction"]' <"$T/body")" = ECU ] || fail "policy jurisdiction"
got=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $OFF" -H 'Accept: text/plain' "$U/v1/policy")
cmp -s "$T/body" "$T/ecu.policy" || fail "GET /v1/policy as text is the file"
printf 'jurisdiction ECU\nrule * visitor visa_free stay=per-admission:30 from=2024-01-01 ref="x"\nrule * visitor visa_free stay=per-admission:30 from=2024-01-01 ref="y"\nrule CHN visitor warp_speed\n' >"$T/bad.policy"
got=$(curl -s -o "$T/body" -w '%{http_code}' -X PUT -H "Authorization: Bearer $ADM" --data-binary @"$T/bad.policy" "$U/v1/policy")
[ "$got" = 422 ] || fail "bad policy: expected 422, got $got $(cat "$T/body")"
[ "$(json 'd["errors"][0]["line"] > 0 and d["errors"][0]["column"] > 0' <"$T/body")" = True ] || fail "policy errors have line and column: $(cat "$T/body")"
cmp -s "$T/ecu.policy" "$SRC/data/policy/ecu.policy" || fail "a bad policy changed the file"
[ ! -e "$T/ecu.policy.prev" ] || fail "a bad policy wrote FILE.prev"
{ cat "$SRC/data/policy/ecu.policy"; echo "# amended through the API"; } >"$T/new.policy"
got=$(curl -s -o "$T/body" -w '%{http_code}' -X PUT -H "Authorization: Bearer $ADM" --data-binary @"$T/new.policy" "$U/v1/policy")
[ "$got" = 200 ] || fail "good policy: expected 200, got $got $(cat "$T/body")"
[ "$(json 'd["version"]' <"$T/body")" = 2 ] || fail "new policy version: $(cat "$T/body")"
cmp -s "$T/ecu.policy" "$T/new.policy" || fail "the policy file was not rewritten"
cmp -s "$T/ecu.policy.prev" "$SRC/data/policy/ecu.policy" || fail "FILE.prev is not the previous policy"
# the same policy sent again changes nothing: same version, FILE.prev still the way back
got=$(curl -s -o "$T/body" -w '%{http_code}' -X PUT -H "Authorization: Bearer $ADM" --data-binary @"$T/new.policy" "$U/v1/policy")
[ "$got" = 200 ] && [ "$(json 'd["version"], d["unchanged"]' <"$T/body")" = "2 True" ] ||
  fail "the same policy again: $got $(head -c 300 "$T/body")"
cmp -s "$T/ecu.policy.prev" "$SRC/data/policy/ecu.policy" || fail "the same policy again overwrote FILE.prev"
expect 200 GET /healthz ""
[ "$(json 'd["policy_version"]' <"$T/body")" = 2 ] || fail "the running server did not swap the policy in"
# the ledger keeps both versions, newest first, with who and when; --show gives a version's text back
"$F" policy history --json >"$T/hist.json"
[ "$(json '[(v["version"], v["by"], v["in_force"]) for v in d]' <"$T/hist.json")" = "[(2, 'adam', True), (1, 'serve', False)]" ] ||
  fail "policy history: $(cat "$T/hist.json")"
"$F" policy history --show 1 >"$T/v1.policy"
cmp -s "$T/v1.policy" "$SRC/data/policy/ecu.policy" || fail "policy history --show 1 is not the first policy"
set +e; "$F" policy history --show 9 >/dev/null 2>&1; rc=$?; set -e
[ "$rc" = 1 ] || fail "policy history --show of an absent version exits $rc, not 1"
expect 200 POST /v1/admissions "$OFF" "$ADMIT" # still deciding on the new version

# --- the browser pages (webassets.h): no token, security headers, ETag revalidation
expect 200 GET /booth ""
grep -qi '^content-type: text/html' "$T/headers" || fail "/booth is not HTML: $(cat "$T/headers")"
grep -qi "^content-security-policy: default-src 'self'" "$T/headers" || fail "/booth without its CSP"
grep -qi '^x-content-type-options: nosniff' "$T/headers" || fail "/booth without nosniff"
etag=$(sed -n 's/^[Ee][Tt][Aa][Gg]: *//p' "$T/headers" | tr -d '\r')
[ -n "$etag" ] || fail "/booth has no ETag"
got=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$U/booth")
[ "$got" = 304 ] || fail "a matching If-None-Match must be 304, got $got"

# --- routing and metrics
expect 404 GET /v1/nothing "$OFF"; problem 404
expect 405 DELETE /v1/policy "$ADM"; problem 405
expect 200 GET /metrics "$ANA"
grep -q '^frontera_http_requests_total{method="POST",route="/v1/admissions",status="200"} ' "$T/body" || fail "metrics: requests by route"
grep -q '^frontera_decisions_total{outcome="admit"} [1-9]' "$T/body" || fail "metrics: decisions"
grep -q '^frontera_http_request_duration_seconds_bucket{route="/v1/admissions",le="+Inf"} ' "$T/body" || fail "metrics: histogram"
grep -q '^frontera_policy_swaps_total 1$' "$T/body" || fail "metrics: policy swaps"

# --- the same traveller at twelve booths at once: each recorded decision reads the history as
# committed before it (the writer decides in the group's transaction), so the outcome is that
# of some one-at-a-time order: an entry is admitted only if no entry before it in time was
# recorded first, i.e. the admitted entries, in the order they were written, go back in time
RACE=$(printf '{"format":"TD3","document_code":"P","issuing_state":"CHN","surname":"RACE","given_names":"ONE","document_number":"RC1234567","nationality":"CHN","birth_date":"1981-03-04","sex":"F","expiry_date":"2033-01-01","optional_data":"","optional_data_2":null}' | "$F" mrz --make | python3 -c 'import json,sys; print(json.dumps([l for l in sys.stdin.read().split()]))')
racers=()
for i in $(seq 10 21); do
  curl -s -o "$T/race.$i" -H "Authorization: Bearer $OFF" -H 'Content-Type: application/json' \
    --data-binary "{\"mrz\":$RACE,\"port\":\"ECUIO\",\"at\":\"2024-06-30T11:$i-05:00\",\"record\":true,\"event_id\":\"RACE-$i\"}" \
    "$U/v1/admissions" &
  racers+=($!)
done
wait "${racers[@]}"
admitted=$(grep -l '"decision":"admit"' "$T"/race.* | wc -l)
[ "$(sql "$FRONTERA_DB" "select count(*) from events where event_id like 'RACE-%'")" = "$admitted" ] \
  || fail "race: $admitted admitted, ledger: $(sql "$FRONTERA_DB" "select event_id, kind, decision, at_utc from events where event_id like 'RACE-%'") answers: $(grep -o "\"decision\":\"[a-z]*\"" "$T"/race.* | tr "\n" " ")"
if [ "${FR_BACKEND:-sqlite}" = sqlite ]; then # on PostgreSQL the request's thread decides (docs/server.md)
  order=$(sql "$FRONTERA_DB" "select at_utc from events where event_id like 'RACE-%' order by id" | tr '\n' ' ')
  python3 -c 'import sys; t = [int(x) for x in sys.argv[1].split()]; sys.exit(0 if t and all(a > b for a, b in zip(t, t[1:])) else 1)' "$order" \
    || fail "race: admitted entries not in a one-at-a-time order (times in write order: $order)"
fi

# --- SIGTERM while requests are in flight: they finish, the server exits 0
# one request is surely in flight: its body is half sent when the signal comes
SLOW="${ADMIT%\}},\"record\":true,\"event_id\":\"SLOW-1\"}"
python3 - "$U" "$OFF" "$SLOW" "$T/slow" <<'PY' &
import socket, sys, time, os
url, tok, body, out = sys.argv[1:5]
host, port = url.split("//")[1].split(":")
body = body.encode()
s = socket.create_connection((host, int(port)))
s.sendall(b"POST /v1/admissions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tok.encode() +
          b"\r\nContent-Type: application/json\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:20])
open(out + ".ready", "w").close()
time.sleep(1.0)  # the server has been told to stop meanwhile
s.sendall(body[20:])
s.settimeout(20)
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk: break
    data += chunk
open(out, "wb").write(data)
PY
SLOWPID=$!
for _ in $(seq 100); do [ -e "$T/slow.ready" ] && break; sleep 0.05; done
[ -e "$T/slow.ready" ] || fail "the slow client did not start"
for i in $(seq 1 12); do
  (curl -s -o "$T/inflight.$i" -w '%{http_code}' -H "Authorization: Bearer $OFF" -H 'Content-Type: application/json' \
     --data-binary "${ADMIT%\}},\"record\":true,\"event_id\":\"T-$i\"}" "$U/v1/admissions" >"$T/code.$i" 2>/dev/null || echo 000 >"$T/code.$i") &
done
sleep 0.05
kill -TERM "$PID"
set +e; wait "$PID"; rc=$?; set -e
PID=
wait # the clients
[ $rc = 0 ] || fail "graceful stop must exit 0, got $rc"
head -1 "$T/slow" | grep_q '^HTTP/1.1 200' || fail "the request in flight at SIGTERM was not answered: $(head -c 300 "$T/slow")"
grep -qi '^connection: close' "$T/slow" || fail "an answer while draining must close the connection"
grep -q '"event_id":"SLOW-1"' "$T/slow" || fail "the request in flight was not completed: $(head -c 300 "$T/slow")"
[ "$(sql "$FRONTERA_DB" "select count(*) from events where event_id='SLOW-1'")" = 1 ] || fail "the in-flight admission was not recorded"
grep -q 'stopped' "$T/err" || fail "no 'stopped' on stderr"
ok=0
for i in $(seq 1 12); do
  code=$(cat "$T/code.$i")
  case "$code" in
    200) ok=$((ok + 1)); json 'd["event_id"]' <"$T/inflight.$i" | grep_q -x "T-$i" || fail "request $i answered incompletely" ;;
    000) ;; # connected after the listener closed: refused, nothing done
    *) fail "request $i during shutdown got $code" ;;
  esac
done
acked=$(sql "$FRONTERA_DB" "select count(*) from events where event_id like 'T-%'")
[ "$acked" -ge "$ok" ] || fail "$ok admissions acknowledged but only $acked recorded"
curl -s -m 2 "$U/healthz" >/dev/null 2>&1 && fail "the server still answers after SIGTERM"

# --- no personal data in the access log
grep -q 'POST /v1/admissions 200' "$T/err" || fail "the access log has method, route and status"
grep -Eq 'E12345678|ZHANG|CHN:|/v1/travellers/[0-9C]' "$T/err" && fail "personal data in the access log: $(grep -E 'E12345678|ZHANG|CHN:|/v1/travellers/[0-9C]' "$T/err" | head -3)"

# --- the audit chain: intact, with who read what
out=$("$F" audit verify) || fail "audit verify on an intact log: $out"
list=$("$F" audit list)
grep -q "olga(officer) traveller.read traveller:$TID from 127.0.0.1 -> 200" <<<"$list" || fail "traveller read not audited: $list"
grep -q "adam(admin) traveller.read traveller:$TID" <<<"$list" || fail "admin read not audited"
grep -q "sam(supervisor) admission.override traveller:$TID event:OV-1 .*visa verified" <<<"$list" || fail "override not audited"
# the refused override (no authorised stay) read the traveller's history: audited with its 422
grep -q "sam(supervisor) admission.override traveller:$TID from .* -> 422.*no authorised stay" <<<"$list" || fail "refused override not audited: $(grep admission.override <<<"$list")"
grep -q "olga(officer) event.record traveller:$TID event:X-1" <<<"$list" || fail "event not audited"
grep -q "olga(officer) traveller.read traveller:999999 .*-> 404" <<<"$list" || fail "a read of a missing record is audited too"
grep -q "adam(admin) policy.write policy:2:" <<<"$list" || fail "policy write not audited"
grep -q "cli:.* user.revoke user:gone" <<<"$list" || fail "revocation not audited"
# the analyst's only entries are the refused attempts (403), audited as such
echo "$list" | grep "ann(analyst)" | grep -v " report.port_days port-days:" | grep_q -v "traveller.read .* -> 403" && fail "the analyst touched a personal record: $list"
grep -q "ann(analyst) traveller.read traveller:1 from .* -> 403" <<<"$list" || fail "the analyst's refused attempt is not audited: $list"
head=$("$F" audit head | cut -d' ' -f2)
"$F" audit verify --expect-head "$head" >/dev/null || fail "verify against the current head"
# tamper with a copy: edit entry 7 past the trigger
C1=$(tamper_copy copy "UPDATE audit_log SET actor='mallory' WHERE seq=7;")
set +e; out=$("$F" --db "$C1" audit verify); rc=$?; set -e
[ $rc = 1 ] || fail "a tampered log must make audit verify exit 1, got $rc: $out"
echo "$out" | grep_q 'BROKEN at entry 7' || fail "audit verify must name entry 7: $out"
# truncate another copy: only the kept head shows it
C2=$(tamper_copy copy2 "DELETE FROM audit_log WHERE seq=(SELECT max(seq) FROM audit_log);")
"$F" --db "$C2" audit verify >/dev/null || fail "a truncated chain still holds"
set +e; out=$("$F" --db "$C2" audit verify --expect-head "$head"); rc=$?; set -e
[ $rc = 1 ] || fail "truncation against the kept head must exit 1: $out"
echo "server.sh: ok ($ok of 12 in-flight admissions answered during shutdown)"
