#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# reviews_http.sh: the supervisor's link reviews over HTTP on the real
# server. Two WANG RUOXI born the same day (the second enters while the
# first is still in the country) make a review; only a supervisor may list
# it, read its evidence with both travellers' records, resolve it (link or
# distinct) and split a document off a traveller - an officer, an analyst,
# an admin and a carrier get 403, without a token 401; every access, refused
# or not, is in the audit log; a link re-pairs (the traveller shows in the
# country), a split undoes it, a closed review answers 409, a document of
# another traveller 409, a traveller's only document 422.
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
export FRONTERA_DB="$T/ledger.db"
cp "$SRC/data/policy/ecu.policy" "$T/ecu.policy"
"$F" init >/dev/null
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

person() { # event kind at number expiry
    "$F" record "$2" --event-id "$1" --at "$3" --port ECUIO --document "CHN:$4" \
        --document-expiry "$5" --surname WANG --given-names RUOXI --nationality CHN \
        --birth-date 1986-06-18 --sex F >/dev/null
}
person W1 entry 2023-03-01T10:00-05:00 XV0241368 2031-01-01
person W2 entry 2023-04-01T10:00-05:00 BI0530184 2032-02-02
person W3 exit 2023-04-10T10:00-05:00 XV0241368 2031-01-01
person W4 entry 2023-05-01T10:00-05:00 ZZ0000001 2033-01-01

SUP=$("$F" user add sam --role supervisor)
OFF=$("$F" user add olga --role officer)
ANA=$("$F" user add ann --role analyst)
ADM=$("$F" user add adam --role admin)
CAR=$("$F" user add cara --role carrier)
"$F" serve --listen 127.0.0.1:0 --policy "$T/ecu.policy" --threads 2 >"$T/out" 2>"$T/err" &
PID=$!
for _ in $(seq 100); do grep -q '^listening on' "$T/out" 2>/dev/null && break; sleep 0.1; done
U=$(sed -n 's/^listening on //p' "$T/out")
[ -n "$U" ] || fail "the server did not start"

call() { # token method path [body] -> status in $T/code, body in $T/body
    local tok=$1 m=$2 p=$3 body=${4:-}
    local args=(-s -o "$T/body" -w '%{http_code}' -X "$m")
    [ -n "$tok" ] && args+=(-H "Authorization: Bearer $tok")
    [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data "$body")
    curl "${args[@]}" "$U$p" >"$T/code"
}
expect() { [ "$(cat "$T/code")" = "$1" ] || fail "$2: expected $1, got $(cat "$T/code"): $(cat "$T/body")"; }

# --- roles: only a supervisor
for tok in "$OFF" "$ANA" "$ADM" "$CAR"; do
    call "$tok" GET /v1/reviews; expect 403 "list by a non-supervisor"
    call "$tok" GET /v1/reviews/1; expect 403 "read by a non-supervisor"
    call "$tok" POST /v1/reviews/1/resolve '{"decision":"link"}'; expect 403 "resolve by a non-supervisor"
    call "$tok" POST /v1/travellers/1/split '{"document":"CHN:ZZ0000001"}'; expect 403 "split by a non-supervisor"
done
call "" GET /v1/reviews; expect 401 "list without a token"
call "$OFF" GET /v1/reviews; expect 403 "officer"
"$F" audit list >"$T/audit"
grep -q 'olga(officer) review.list reviews from .* -> 403' "$T/audit" || fail "a refused list is not audited: $(tail -5 "$T/audit")"
grep -q 'adam(admin) traveller.split traveller:1 from .* -> 403' "$T/audit" || fail "a refused split is not audited"

# --- list: two open reviews, with the evidence
call "$SUP" GET /v1/reviews; expect 200 "list"
# BI0530184 against the first woman; ZZ0000001 against each of the two
[ "$(json 'len(d["reviews"])' <"$T/body")" = 3 ] || fail "three open reviews expected: $(cat "$T/body")"
json 'd["reviews"][0]["evidence"]' <"$T/body" | grep_q 'entry_while_still_in_country' ||
    fail "no evidence in the list: $(cat "$T/body")"
# ... and as data: each comparison read back from the stored text, the reason
# it is never linked without review as a code
json '[c["field"]+" "+c["level"] for c in d["reviews"][0]["comparisons"]]' <"$T/body" |
    grep_q "travel entry_while_still_in_country" || fail "no comparisons in the list: $(cat "$T/body")"
[ "$(json 'd["reviews"][0]["never_linked_without_review"]' <"$T/body")" = entry_while_in_country ] ||
    fail "no reason code in the list: $(cat "$T/body")"
R1=$(json 'd["reviews"][0]["id"]' <"$T/body")
call "$SUP" GET '/v1/reviews?status=bogus'; expect 422 "a bad status filter"

# --- one review: the evidence and both records
call "$SUP" GET "/v1/reviews/$R1"; expect 200 "read"
[ "$(json 'd["document"]' <"$T/body")" = CHN:BI0530184 ] || fail "review document: $(cat "$T/body")"
[ "$(json 'd["traveller"]["documents"][0]["number"]' <"$T/body")" = BI0530184 ] || fail "the review's traveller is not shown"
[ "$(json 'd["candidate_traveller"]["documents"][0]["number"]' <"$T/body")" = XV0241368 ] || fail "the candidate is not shown"
C1=$(json 'd["candidate_traveller_id"]' <"$T/body")
call "$SUP" GET /v1/reviews/999; expect 404 "an unknown review"
call "$SUP" GET /v1/reviews/abc; expect 404 "a review id that is no number"
"$F" audit list >"$T/audit"
grep -q "sam(supervisor) review.read review:$R1 from .* -> 200" "$T/audit" || fail "the review read is not audited"
grep -q "sam(supervisor) traveller.read traveller:$C1 from .* -> 200" "$T/audit" || fail "the candidate's record read is not audited"
grep -q "sam(supervisor) review.read review:999 from .* -> 404" "$T/audit" || fail "a read of an absent review is not audited"

# --- resolve: distinct, then the second as link
call "$SUP" POST "/v1/reviews/$R1/resolve" '{"decision":"maybe"}'; expect 422 "a bad decision"
call "$SUP" POST "/v1/reviews/$R1/resolve" '{"decision":"distinct","extra":1}'; expect 422 "an unknown member"
# either answer says why: the note is what the audit keeps of the decision
call "$SUP" POST "/v1/reviews/$R1/resolve" '{"decision":"distinct"}'; expect 422 "a decision without a note"
[ "$(json 'd["field"]' <"$T/body")" = note ] || fail "the refusal does not name the note: $(cat "$T/body")"
call "$SUP" POST "/v1/reviews/$R1/resolve" '{"decision":"distinct","note":"  "}'; expect 422 "a blank note"
call "$SUP" POST "/v1/reviews/$R1/resolve" '{"decision":"distinct","note":"two women, photos differ"}'
expect 200 "distinct"
[ "$(json 'd["status"]' <"$T/body")" = distinct ] || fail "distinct: $(cat "$T/body")"
call "$SUP" POST "/v1/reviews/$R1/resolve" '{"decision":"link","note":"same woman"}'; expect 409 "a closed review"
call "$SUP" POST /v1/reviews/999/resolve '{"decision":"link","note":"same woman"}'; expect 404 "an unknown review"
call "$SUP" GET /v1/reviews; expect 200 "list"
[ "$(json 'len(d["reviews"])' <"$T/body")" = 2 ] || fail "two open reviews expected: $(cat "$T/body")"
# ZZ0000001 against the first woman (the holder of XV0241368)
R2=$(json "[r['id'] for r in d['reviews'] if r['candidate_traveller_id'] == $C1][0]" <"$T/body")
call "$SUP" GET '/v1/reviews?status=all'; expect 200 "list all"
[ "$(json 'len(d["reviews"])' <"$T/body")" = 3 ] || fail "status=all: $(cat "$T/body")"
call "$SUP" POST "/v1/reviews/$R2/resolve" '{"decision":"link","note":"same woman, renewed"}'
expect 200 "link"
TL=$(json 'd["traveller_id"]' <"$T/body")
call "$SUP" GET /v1/travellers/CHN:ZZ0000001; expect 200 "the merged traveller"
json '[x["number"] for x in d["documents"]]' <"$T/body" | grep_q XV0241368 || fail "not merged: $(cat "$T/body")"
[ "$(json 'd["in_country"]' <"$T/body")" = True ] || fail "not re-paired: $(cat "$T/body")"
"$F" audit list >"$T/audit"
grep -q "sam(supervisor) review.distinct traveller:$C1 review:$R1 from .* -> 200: two women" "$T/audit" || fail "distinct is not audited: $(grep review "$T/audit")"
grep -q "sam(supervisor) review.link traveller:$TL review:$R2 from .* -> 200" "$T/audit" || fail "link is not audited"

# --- split: the wrong traveller, the only document, then done
call "$SUP" POST /v1/travellers/999999/split '{"document":"CHN:ZZ0000001","note":"wrong link"}'; expect 409 "a document of another traveller"
call "$SUP" POST "/v1/travellers/$TL/split" '{}'; expect 422 "no document"
call "$SUP" POST "/v1/travellers/$TL/split" '{"document":"chn:zz0000001","note":"wrong link"}'
expect 200 "split"
NT=$(json 'd["new_traveller_id"]' <"$T/body")
[ "$NT" != "$TL" ] || fail "split did not make a new traveller"
call "$SUP" POST "/v1/travellers/$NT/split" '{"document":"CHN:ZZ0000001","note":"wrong link"}'; expect 422 "the only document"
call "$SUP" GET /v1/travellers/CHN:XV0241368; expect 200 "after the split"
[ "$(json 'd["in_country"]' <"$T/body")" = False ] || fail "split did not re-pair: $(cat "$T/body")"
"$F" audit list >"$T/audit"
grep -q "sam(supervisor) traveller.split traveller:$NT document:CHN:ZZ0000001 from .* -> 200" "$T/audit" ||
    fail "the split is not audited on the new traveller"
# the decisions are in the ledger's link audit too, with who made them
[ "$(sqlite3 "$FRONTERA_DB" 'SELECT group_concat(action || ":" || actor) FROM link_audit')" = \
    "review_distinct:sam,review_linked:sam,split:sam" ] || fail "link audit incomplete"
"$F" audit verify >/dev/null || fail "the audit chain is broken"
echo ok
