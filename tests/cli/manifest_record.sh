#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# manifest_record.sh: manifests recorded as expected arrivals and reconciled
# with the booth (docs/paxlst.md): `manifest check --record` stores a message
# once (a replay, a conflict for another message under its key); `manifest
# reconcile` shows who entered, who was announced and never came, the transit
# passenger who entered and the unannounced entry; `report flows --by
# embarkation,...` counts arrivals from IST per nationality and month (also
# GET /v1/reports/flows); the server records for a carrier (POST /v1/manifests "record": true) and
# answers GET /v1/manifests/reconciliation for a supervisor as the CLI does,
# refusing a carrier, audited.
set -euo pipefail
# grep -q stops at its first match, and under pipefail the writer then
# dies of SIGPIPE and a passing check fails by chance: read it all first.
grep_q() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
F=${FRONTERA:?FRONTERA must name the program}
SRC=${FR_SOURCE_DIR:?}
D=$SRC/tests/data/paxlst
T=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export FRONTERA_DB="$T/ledger.db" FRONTERA_POLICY="$SRC/data/policy/ecu.policy"
cd "$T"
. "$SRC/tests/cli/manifest_scenario.inc"

# no ledger yet: --record cannot keep the manifest (exit 3), the check alone works
set +e
"$F" manifest check --record "$D/constructed_d12b_ist_uio.edi" >/dev/null 2>"$T/err"; rc=$?
set -e
[ "$rc" = 3 ] || fail "--record without a ledger exited $rc"
grep -q "frontera init" "$T/err" || fail "no hint to init: $(cat "$T/err")"

manifest_scenario "$T/s"
[ "$(cat "$T/s/record")" = '{"id":1,"replay":false,"persons":3}
{"id":1,"replay":true,"persons":3}
{"id":2,"replay":false,"persons":2}
conflict rc 1' ] || fail "record: $(cat "$T/s/record")"
R=$(head -1 "$T/s/reconcile")
[ "$(tail -1 "$T/s/reconcile")" = "reconcile rc 1" ] || fail "reconcile exit: $(cat "$T/s/reconcile")"
[ "$(echo "$R" | jq -c '[.flight, .port, .arrival, .manifests, .counts]')" = \
  '["TK1801","ECUIO","2024-07-01T07:30",[1,2],{"announced":4,"entered":2,"refused":0,"not_presented":1,"transit_entered":1,"transit_continued":0,"unannounced":1}]' ] \
  || fail "counts: $R"
[ "$(echo "$R" | jq -c '[.persons[] | [.surname, .role, .answer, .outcome, .event_id]]')" = \
  '[["WANG","FL","no-board","not_presented",null],["ZHANG","FL","board","entered","e1"],["MUELLER","FL","board","entered","e2"],["SILVA","DDU","check","transit_entered","e3"]]' ] \
  || fail "persons: $R"
[ "$(echo "$R" | jq -c '[.unannounced[] | [.event_id, .surname, .document.state]]')" = '[["e4","PEREZ","COL"]]' ] \
  || fail "unannounced: $R"
[ "$(cat "$T/s/reconcile.empty")" = "reconcile rc 0" ] || fail "empty day: $(cat "$T/s/reconcile.empty")"
[ "$(cat "$T/s/routes.csv")" = 'embarkation,nationality,month,announced,entered,refused,not_presented,transit_entered
IST,BRA,2024-07,1,0,0,0,1
IST,CHN,2024-07,2,1,0,1,0
IST,D,2024-07,1,1,0,0,0' ] || fail "routes: $(cat "$T/s/routes.csv")"
[ "$(cat "$T/s/routes.chn.csv")" = 'embarkation,month,announced,entered,refused,not_presented,transit_entered
IST,2024-07,2,1,0,1,0' ] || fail "routes CHN: $(cat "$T/s/routes.chn.csv")"

# usage errors
for args in "reconcile" "reconcile --date 2024-13-01" "reconcile --from 2024-07-02 --to 2024-07-01" \
            "reconcile --date 2024-07-01 --port XX" "reconcile --date 2024-07-01 extra" \
            "reconcile --from 2024-07-01 --to 2024-08-15"; do
    set +e; "$F" manifest $args >/dev/null 2>&1; rc=$?; set -e
    [ "$rc" = 2 ] || fail "manifest $args exited $rc"
done
# the issue's command: no period is the recorded arrivals' first to last day
[ "$("$F" report flows --by embarkation,nationality --format csv)" = 'embarkation,nationality,announced,entered,refused,not_presented,transit_entered
IST,BRA,1,0,0,0,1
IST,CHN,2,1,0,1,0
IST,D,1,1,0,0,0' ] || fail "routes without a period: $("$F" report flows --by embarkation,nationality --format csv)"
set +e; "$F" report flows --by embarkation --from 2024-08-01 --to 2024-07-01 >/dev/null 2>&1; rc=$?; set -e
[ "$rc" = 2 ] || fail "routes with from after to exited $rc"
set +e; "$F" report overstays --from 2024-07-01 --to 2024-07-31 --by embarkation >/dev/null 2>"$T/err"; rc=$?; set -e
[ "$rc" = 2 ] || fail "overstays by embarkation exited $rc"
grep -q "embarkation" "$T/err" || fail "overstays: $(cat "$T/err")"
"$F" manifest reconcile --help | grep_q "unannounced" || fail "reconcile --help"

# the server, on the same ledger
"$F" user add airline --role carrier >"$T/tok.carrier"
"$F" user add sup --role supervisor >"$T/tok.sup"
"$F" user add ana --role analyst >"$T/tok.ana"
"$F" serve --listen 127.0.0.1:0 --quiet >"$T/sout" 2>"$T/serr" &
PID=$!
for _ in $(seq 100); do grep -q '^listening on' "$T/sout" 2>/dev/null && break; sleep 0.1; done
U=$(sed -n 's/^listening on //p' "$T/sout")
[ -n "$U" ] || fail "the server did not start: $(cat "$T/serr")"
call() { # method path token body -> status, body in $T/resp
    local m=$1 p=$2 tok=$3 body=${4:-}
    if [ -n "$body" ]; then
        curl -s -o "$T/resp" -w '%{http_code}' -X "$m" -H "Authorization: Bearer $(cat "$tok")" \
            -H 'Content-Type: application/json' --data-binary @"$body" "$U$p"
    else
        curl -s -o "$T/resp" -w '%{http_code}' -X "$m" -H "Authorization: Bearer $(cat "$tok")" "$U$p"
    fi
}
jq -Rs '{paxlst: ., record: true}' "$D/constructed_d12b_transit.edi" >"$T/body.json"
code=$(call POST /v1/manifests "$T/tok.carrier" "$T/body.json")
[ "$code" = 200 ] || fail "record: HTTP $code $(cat "$T/resp")"
[ "$(jq -c '.messages[0].recorded' "$T/resp")" = '{"id":2,"replay":true,"persons":2}' ] \
  || fail "server replay: $(cat "$T/resp")"
sed 's/IC0002/IC0003/; s/+M2/+M3/g' "$D/constructed_d12b_transit.edi" | jq -Rs '{paxlst: ., record: true}' >"$T/body3.json"
code=$(call POST /v1/manifests "$T/tok.carrier" "$T/body3.json")
[ "$code" = 200 ] || fail "record M3: HTTP $code $(cat "$T/resp")"
[ "$(jq -c '.messages[0].recorded' "$T/resp")" = '{"id":3,"replay":false,"persons":2}' ] \
  || fail "server record: $(cat "$T/resp")"
jq -Rs '{paxlst: ., record: true}' "$T/s/changed.edi" >"$T/body4.json"
code=$(call POST /v1/manifests "$T/tok.carrier" "$T/body4.json")
[ "$code" = 409 ] || fail "conflict: HTTP $code $(cat "$T/resp")"
echo '{"paxlst": "UNA", "record": "yes"}' >"$T/bad.json"
code=$(call POST /v1/manifests "$T/tok.carrier" "$T/bad.json")
[ "$code" = 422 ] || fail "record not boolean: HTTP $code"
# a manifest sent again (M3 repeats M2's persons) changes no count
code=$(call GET "/v1/manifests/reconciliation?date=2024-07-01" "$T/tok.sup")
[ "$code" = 200 ] || fail "reconciliation: HTTP $code $(cat "$T/resp")"
[ "$(jq -c '.flights[0] | del(.manifests)' "$T/resp")" = "$(echo "$R" | jq -c 'del(.manifests)')" ] \
  || fail "server and CLI reconciliations differ: $(cat "$T/resp")"
[ "$(jq -c '.flights[0].manifests' "$T/resp")" = '[1,2,3]' ] || fail "manifests: $(cat "$T/resp")"
code=$(call GET "/v1/manifests/reconciliation?date=2024-07-01&flight=XX999" "$T/tok.sup")
[ "$code" = 200 ] && [ "$(jq -c .flights "$T/resp")" = '[]' ] || fail "other flight: $code $(cat "$T/resp")"
# an analyst gets the same counts, and no person (names and documents stay with supervisors)
code=$(call GET "/v1/manifests/reconciliation?date=2024-07-01" "$T/tok.ana")
[ "$code" = 200 ] && [ "$(jq -c '[.persons_shown, (.flights[0] | has("persons"), has("unannounced"))]' "$T/resp")" = '[false,false,false]' ] ||
  fail "analyst reconciliation: $code $(cat "$T/resp")"
[ "$(jq -c '.flights[0].counts' "$T/resp")" = "$(echo "$R" | jq -c '.counts')" ] || fail "the analyst's counts differ: $(cat "$T/resp")"
code=$(call GET "/v1/manifests/reconciliation?date=2024-07-01" "$T/tok.carrier")
[ "$code" = 403 ] || fail "carrier reconciliation: HTTP $code"
code=$(call GET "/v1/manifests/reconciliation?from=2024-07-01" "$T/tok.sup")
[ "$code" = 422 ] || fail "half a period: HTTP $code"
code=$(call GET "/v1/manifests/reconciliation?from=2024-07-01&to=2024-08-15" "$T/tok.sup")
[ "$code" = 422 ] || fail "more than 31 days: HTTP $code"
code=$(call GET "/v1/manifests/reconciliation?date=2024-07-01&who=me" "$T/tok.sup")
[ "$code" = 422 ] || fail "unknown parameter: HTTP $code"
# flows by route over HTTP: the CLI's rows (M3 repeats M2's persons: no count changes)
code=$(call GET "/v1/reports/flows?by=embarkation,nationality,month&from=2024-07-01&to=2024-07-31" "$T/tok.sup")
[ "$code" = 200 ] || fail "routes: HTTP $code $(cat "$T/resp")"
[ "$(jq -r '.rows[] | [.embarkation, .nationality, .month, .announced, .entered, .refused, .not_presented, .transit_entered] | map(tostring) | join(",")' "$T/resp")" = \
  "$(tail -n +2 "$T/s/routes.csv")" ] || fail "server routes differ from the CLI: $(cat "$T/resp")"
code=$(call GET "/v1/reports/flows?by=embarkation" "$T/tok.sup")
[ "$code" = 200 ] && [ "$(jq -c '[.rows[] | [.embarkation, .announced]]' "$T/resp")" = '[["IST",4]]' ] \
  || fail "routes without a period: HTTP $code $(cat "$T/resp")"
code=$(call GET "/v1/reports/flows?by=embarkation,class" "$T/tok.sup")
[ "$code" = 422 ] || fail "routes by class: HTTP $code"
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
"$F" audit list >"$T/audit" 2>/dev/null
grep -q 'manifest.record.*cli' "$T/audit" || fail "no audit entry for the CLI's recording"
grep -q 'manifest.reconcile.*cli' "$T/audit" || fail "no audit entry for the CLI's reconciliation"
grep -q 'manifest.record' "$T/audit" || fail "no audit entry for the recording"
grep -q 'manifest.reconcile' "$T/audit" || fail "no audit entry for the reconciliation"
grep -q 'manifest.record.*409.*not recorded' "$T/audit" || fail "the refused recording is not audited"
! grep -q 'SILVA\|ZHANG' "$T/audit" || fail "names in the audit log"

# --- the manifest retention (frontera purge --manifest-days): past it, the
# persons' names, birth dates and documents go; the outcome each had stays,
# so flows by embarkation and the flight's counts do not change
routes() { "$F" report flows --by embarkation,nationality,month --format csv; }
counts() { "$F" manifest reconcile --date 2024-07-01 | sed -n 1p | jq -c '[.announced_counts // .counts | del(.unannounced)]'; }
routes >"$T/routes.before"
set +e; counts >"$T/counts.before"; set -e
all=$(sqlite3 "$FRONTERA_DB" "SELECT count(*) FROM arrivals_persons")
[ "$all" -ge 5 ] || fail "only $all manifest persons recorded"
"$F" purge --dry-run --as-of 2024-12-01 --manifest-days 30 --json >"$T/dry.json"
[ "$(jq .manifest_persons "$T/dry.json")" = "$all" ] || fail "dry run: $(cat "$T/dry.json")"
[ "$(sqlite3 "$FRONTERA_DB" "SELECT count(*) FROM arrivals_persons WHERE surname <> ''")" = "$all" ] ||
  fail "the dry run erased something"
# a retention that has not run out yet erases nothing
"$F" purge --as-of 2024-12-01 --manifest-days 1000 --exit-years 4 --json >"$T/none.json"
[ "$(jq .manifest_persons "$T/none.json")" = 0 ] || fail "erased before its time: $(cat "$T/none.json")"
"$F" purge --as-of 2024-12-01 --manifest-days 30 --json >"$T/purge.json"
[ "$(jq .manifest_persons "$T/purge.json")" = "$all" ] || fail "purge: $(cat "$T/purge.json")"
[ "$(jq .persons "$T/purge.json")" = 0 ] || fail "the ledger's persons are kept 3 years: $(cat "$T/purge.json")"
left=$(sqlite3 "$FRONTERA_DB" "SELECT count(*) FROM arrivals_persons WHERE surname <> '' OR
  given_names <> '' OR doc_number <> '' OR birth_date IS NOT NULL OR outcome IS NULL")
[ "$left" = 0 ] || fail "$left manifest persons still hold personal data"
routes >"$T/routes.after"
cmp -s "$T/routes.before" "$T/routes.after" || fail "flows by embarkation changed: $(diff "$T/routes.before" "$T/routes.after")"
set +e; counts >"$T/counts.after"; set -e
cmp -s "$T/counts.before" "$T/counts.after" || fail "the flight's counts changed: $(cat "$T/counts.before" "$T/counts.after")"
"$F" purge --as-of 2024-12-01 --manifest-days 30 --json >"$T/purge2.json"
[ "$(jq .manifest_persons "$T/purge2.json")" = 0 ] || fail "a second purge erased again"
"$F" audit list >"$T/audit" 2>/dev/null
grep -q 'manifests.purge' "$T/audit" || fail "the manifest purge is not audited"
set +e; "$F" purge --manifest-days 2000 >/dev/null 2>"$T/err"; rc=$?; set -e
[ "$rc" = 2 ] && grep -q "shorter than" "$T/err" || fail "a manifest retention as long as the ledger's was accepted"
echo ok
