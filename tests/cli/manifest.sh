#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# manifest.sh: `frontera manifest check` under Ecuador's policy on a
# constructed D12B manifest IST -> UIO arriving 2024-07-01: the Chinese
# passenger without a visa is no-board, the one with DOC+V board, the German
# (DEU) board; exit 1 because one is not board; the port comes from the last
# leg (EC + UIO); usage errors exit 2; and POST /v1/manifests answers a
# carrier the same while an officer gets 403.
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
rc_of() { set +e; "$@" >"$T/out" 2>"$T/err"; local rc=$?; set -e; echo "$rc"; }
expect_rc() { local want=$1; shift; local rc; rc=$(rc_of "$@")
  [ "$rc" = "$want" ] || { cat "$T/err" >&2; fail "'$*' exited $rc, expected $want"; }; }
export FRONTERA_DB="$T/ledger.db" FRONTERA_POLICY="$SRC/data/policy/ecu.policy"
cd "$T"

expect_rc 1 "$F" manifest check "$D/constructed_d12b_ist_uio.edi"
jq -e '.port == "ECUIO" and .flight == "TK1801" and .arrival == "2024-07-01T07:30" and .valid' \
  "$T/out" >/dev/null || fail "header: $(cat "$T/out")"
[ "$(jq -c '[.persons[] | [.surname, .answer]]' "$T/out")" = \
  '[["WANG","no-board"],["ZHANG","board"],["MUELLER","board"]]' ] || fail "answers: $(cat "$T/out")"
jq -e '.persons[0].reasons[0].code == "visa.required"' "$T/out" >/dev/null || fail "reason"
jq -e 'any(.persons[1].reasons[]; .code == "visa.presented")' "$T/out" >/dev/null || fail "visa"
cp "$T/out" "$T/cli.json"

# a message whose segment count is wrong: said as such, not as a missing arrival port
sed 's/^UNT+[0-9]*/UNT+99/' "$D/constructed_d12b_ist_uio.edi" >"$T/badcount.edi"
expect_rc 1 "$F" manifest check "$T/badcount.edi"
jq -e '(.valid | not) and .findings[0].code == "unt.count" and (.problem | test("could not be read")) and
  (.problem | test("arrival port: give") | not)' "$T/out" >/dev/null || fail "a wrong UNT count: $(cat "$T/out")"

expect_rc 2 "$F" manifest
expect_rc 2 "$F" manifest check
expect_rc 2 "$F" manifest check --country ECU "$D/constructed_d12b_ist_uio.edi"
expect_rc 0 "$F" manifest --help
expect_rc 3 "$F" manifest check "$T/missing.edi"

# the server: a carrier may check a manifest, an officer may not
"$F" init >/dev/null
"$F" user add airline --role carrier > "$T/tok.carrier"
"$F" user add desk --role officer > "$T/tok.officer"
"$F" serve --listen 127.0.0.1:0 --quiet >"$T/sout" 2>"$T/serr" &
PID=$!
for _ in $(seq 100); do grep -q '^listening on' "$T/sout" 2>/dev/null && break; sleep 0.1; done
U=$(sed -n 's/^listening on //p' "$T/sout")
[ -n "$U" ] || fail "the server did not start: $(cat "$T/serr")"
jq -Rs '{paxlst: .}' "$D/constructed_d12b_ist_uio.edi" > "$T/body.json"
code=$(curl -s -o "$T/resp" -w '%{http_code}' -H "Authorization: Bearer $(cat "$T/tok.carrier")" \
  -H 'Content-Type: application/json' --data-binary @"$T/body.json" "$U/v1/manifests")
[ "$code" = 200 ] || fail "carrier: HTTP $code $(cat "$T/resp")"
[ "$(jq -c '.messages[0] | del(.file)' "$T/resp")" = "$(jq -c 'del(.file)' "$T/cli.json")" ] \
  || fail "server and CLI answers differ"
code=$(curl -s -o "$T/resp" -w '%{http_code}' -H "Authorization: Bearer $(cat "$T/tok.officer")" \
  -H 'Content-Type: application/json' --data-binary @"$T/body.json" "$U/v1/manifests")
[ "$code" = 403 ] || fail "officer: HTTP $code"
"$F" audit list 2>/dev/null | grep_q 'manifest.check' || fail "no audit entry for the manifest check"
echo ok
