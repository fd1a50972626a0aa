#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# browser.sh: the web pages in a real browser against the real server (ctest
# cli.browser). Makes a demo ledger with `frontera synth` + `frontera import`,
# adds an officer and an analyst with `frontera user add`, starts `frontera
# serve` on a free loopback port, and runs tests/browser/pages.test.mjs (node's
# test runner, playwright-core driving Debian's Chromium headless).
# Border posts too, for the booth's sync panel: a central `frontera serve`,
# a post whose server reaches it (in step) and a post whose central cannot be
# reached, with two events of its own waiting (the warnings).
# Screenshots go to $FR_BUILD_DIR/browser-artifacts/. Fails, never skips, when
# something it needs is missing: the serve subcommand, node, Chromium, or the
# build's node_modules.
set -euo pipefail
# grep -q stops at its first match, and under pipefail the writer then
# dies of SIGPIPE and a passing check fails by chance: read it all first.
grep_q() { local in; in=$(cat); grep -q "$@" <<<"$in"; }

: "${FRONTERA:?set FRONTERA to the frontera program}"
: "${FR_SOURCE_DIR:?set FR_SOURCE_DIR to the source tree}"
: "${FR_BUILD_DIR:?set FR_BUILD_DIR to the build tree}"
CHROMIUM=${FR_CHROMIUM:-/usr/bin/chromium}
NODE_MODULES="$FR_BUILD_DIR/web/npm/node_modules"
ART="$FR_BUILD_DIR/browser-artifacts"

fail() { echo "browser.sh: FAIL: $*" >&2; exit 1; }

"$FRONTERA" --help | awk '/^Subcommands:/{on=1;next} /^$/{on=0} on{print $1}' | grep_q -x serve ||
  fail "this build of frontera has no 'serve' subcommand (the HTTP server, issue 8): the pages cannot be tested"
command -v node >/dev/null || fail "node is not installed (make deps installs nodejs)"
[ -x "$CHROMIUM" ] || fail "no Chromium at $CHROMIUM (make deps installs Debian's chromium; FR_CHROMIUM overrides)"
[ -f "$NODE_MODULES/playwright-core/package.json" ] ||
  fail "$NODE_MODULES/playwright-core is missing: the build's 'npm ci' step (web/CMakeLists.txt) did not run"

tmp=$(mktemp -d)
server_pid=""
pids=()
cleanup() {
  # serve_bg runs in a command substitution (a subshell): its servers' pids
  # come back through a file, not the array
  [ -f "$tmp/bg.pids" ] && mapfile -t -O "${#pids[@]}" pids <"$tmp/bg.pids"
  for p in $server_pid "${pids[@]}"; do
    if kill -0 "$p" 2>/dev/null; then
      kill -TERM "$p" 2>/dev/null || true
      wait "$p" 2>/dev/null || true
    fi
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

db="$tmp/demo.db"
# Scale 0.03 (about 200,000 events): enough Chinese arrivals for the surge to
# pass the alert detector's minimum counts (at 0.01 the monthly counts are too small).
"$FRONTERA" synth --scenario ecuador-2024 --seed 1 --scale 0.03 --out "$tmp/demo.csv" >/dev/null 2>&1 ||
  fail "frontera synth failed"
"$FRONTERA" --db "$db" init >/dev/null || fail "frontera init failed"
"$FRONTERA" --db "$db" import "$tmp/demo.csv" >/dev/null || fail "frontera import failed"

token_of() { grep -o 'frt_[A-Za-z0-9_-]\{43\}' | sed -n 1p; }
officer=$("$FRONTERA" --db "$db" user add booth-officer --role officer | token_of)
analyst=$("$FRONTERA" --db "$db" user add dash-analyst --role analyst | token_of)
supervisor=$("$FRONTERA" --db "$db" user add link-supervisor --role supervisor | token_of)
[ -n "$officer" ] && [ -n "$analyst" ] && [ -n "$supervisor" ] || fail "frontera user add printed no token"
# An open link review of the demo ledger (a namesake put under review at import)
review=$("$FRONTERA" --db "$db" review list --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s)[0];if(!r)process.exit(1);console.log(r.id+" "+r.traveller_id+" "+r.candidate_traveller)})') ||
  fail "the demo ledger has no open link review for the supervisor's page"

# Two travellers: a US visitor admitted on 15 December 2024 (inside the demo
# period, so the flows do not grow a near-empty month), and a Chinese one
# refused after the visa requirement of 1 July 2024.
today=2025-01-15
printf '%s\n' '{"format":"TD3","document_code":"P","issuing_state":"USA","surname":"TESTER","given_names":"BROWSER ANN","document_number":"BT1234567","nationality":"USA","birth_date":"1985-03-14","sex":"F","expiry_date":"2033-05-20"}' |
  "$FRONTERA" mrz --make --today "$today" >"$tmp/admit.mrz" || fail "frontera mrz --make failed"
printf '%s\n' '{"format":"TD3","document_code":"P","issuing_state":"CHN","surname":"WANG","given_names":"LI","document_number":"E12345678","nationality":"CHN","birth_date":"1990-06-01","sex":"M","expiry_date":"2032-01-01"}' |
  "$FRONTERA" mrz --make --today "$today" >"$tmp/refuse.mrz" || fail "frontera mrz --make failed"
# A Peruvian whose document number's check digit is misread: referred, for
# the supervisor's decision at the booth.
printf '%s\n' '{"format":"TD3","document_code":"P","issuing_state":"PER","surname":"QUISPE","given_names":"ROSA","document_number":"PR7654321","nationality":"PER","birth_date":"1979-11-02","sex":"F","expiry_date":"2031-05-20"}' |
  "$FRONTERA" mrz --make --today "$today" >"$tmp/refer.ok.mrz" || fail "frontera mrz --make failed"
l2=$(sed -n 2p "$tmp/refer.ok.mrz")
{ sed -n 1p "$tmp/refer.ok.mrz"; echo "${l2:0:9}$(( (${l2:9:1} + 1) % 10 ))${l2:10}"; } >"$tmp/refer.mrz"
at_admit="2024-12-15T10:00-05:00"
at_refuse="2024-07-15T09:30-05:00"
at_refer="2024-12-16T11:00-05:00"
# What the booth must show: the program's own answer for the same admission.
decision=$("$FRONTERA" --db "$db" admit --port ECUIO --at "$at_admit" --json "$tmp/admit.mrz") ||
  fail "frontera admit did not admit the test traveller: $decision"
expect_until=$(printf '%s' "$decision" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(!j.authorised_until)process.exit(1);console.log(j.authorised_until)})') ||
  fail "frontera admit --json gave no authorised_until: $decision"

# A watchlist with one listed person, whom the booth must show above all else.
printf 'id,list,name,aliases,birth_date,nationality,documents,reason\nW1,WANTED,"MALLKU, Tupac Inti",,1970-04-10,BOL,,test entry\n' >"$tmp/wl.csv"
"$FRONTERA" watchlist import "$tmp/wl.csv" --dir "$tmp/wl" >/dev/null || fail "frontera watchlist import failed"
printf '%s\n' '{"format":"TD3","document_code":"P","issuing_state":"BOL","surname":"MALLKU","given_names":"TUPAC INTI","document_number":"BL1122334","nationality":"BOL","birth_date":"1970-04-10","sex":"M","expiry_date":"2030-01-01"}' |
  "$FRONTERA" mrz --make --today "$today" >"$tmp/hit.mrz" || fail "frontera mrz --make failed"

"$FRONTERA" --db "$db" serve --listen 127.0.0.1:0 --watchlists "$tmp/wl" >"$tmp/serve.out" 2>"$tmp/serve.err" &
server_pid=$!
base=""
for _ in $(seq 1 100); do
  base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$tmp/serve.out" 2>/dev/null | sed -n 1p || true)
  [ -n "$base" ] && break
  kill -0 "$server_pid" 2>/dev/null || fail "frontera serve exited: $(cat "$tmp/serve.err")"
  sleep 0.1
done
[ -n "$base" ] || fail "frontera serve did not say where it listens within 10 s"

# The pages must come from the server itself (include/frontera/webassets.h).
page_status=$(node -e 'fetch(process.argv[1]+"/dashboard").then(r=>console.log(r.status+" "+r.headers.get("content-type"))).catch(e=>console.log("error "+e.message))' "$base")
case "$page_status" in
  "200 text/html"*) ;;
  *) fail "GET $base/dashboard answered '$page_status': the server does not serve the web pages (fr_web_asset is not wired into the server; see docs/web.md)" ;;
esac

# Border posts (docs/sync.md): a central, post B that reaches it, post A whose
# central is a port nothing listens on. Each post's events wait until sent.
serve_bg() { # NAME DB OPTION...: the base URL once it listens
  "$FRONTERA" --db "$2" serve --listen 127.0.0.1:0 --threads 2 "${@:3}" >"$tmp/$1.out" 2>"$tmp/$1.err" &
  echo $! >>"$tmp/bg.pids"
  for _ in $(seq 1 100); do
    grep -o 'http://127\.0\.0\.1:[0-9]*' "$tmp/$1.out" 2>/dev/null | sed -n 1p | grep . && return 0
    sleep 0.1
  done
  fail "the $1 server did not start: $(cat "$tmp/$1.err")"
}
"$FRONTERA" --db "$tmp/central.db" init >/dev/null || fail "frontera init (central) failed"
"$FRONTERA" --db "$tmp/central.db" user add post-b --role post --ports ECUIO | token_of >"$tmp/post-b.token"
central=$(serve_bg central "$tmp/central.db")
dead=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'frt_%s\n' "$(printf 'A%.0s' $(seq 43))" >"$tmp/post-a.token"
{ head -n 1 "$tmp/demo.csv"
  grep -m 2 ',ECUIO,' "$tmp/demo.csv"; } >"$tmp/post.csv"
for p in a b; do
  "$FRONTERA" --db "$tmp/post-$p.db" init >/dev/null || fail "frontera init (post $p) failed"
  "$FRONTERA" --db "$tmp/post-$p.db" import "$tmp/post.csv" >/dev/null || fail "frontera import (post $p) failed"
done
post_a_officer=$("$FRONTERA" --db "$tmp/post-a.db" user add booth-a --role officer | token_of)
post_b_officer=$("$FRONTERA" --db "$tmp/post-b.db" user add booth-b --role officer | token_of)
post_a=$(serve_bg post-a "$tmp/post-a.db" --central "http://127.0.0.1:$dead" \
  --central-token-file "$tmp/post-a.token" --sync-every 1)
post_b=$(serve_bg post-b "$tmp/post-b.db" --central "$central" \
  --central-token-file "$tmp/post-b.token" --sync-every 1)
# post B's two events reach the central before the page looks
for _ in $(seq 1 100); do
  "$FRONTERA" --db "$tmp/post-b.db" sync status --json | grep_q '"waiting":0,' && break
  sleep 0.1
done
"$FRONTERA" --db "$tmp/post-b.db" sync status --json | grep_q '"waiting":0,' ||
  fail "post B did not send its events: $("$FRONTERA" --db "$tmp/post-b.db" sync status)"

rm -rf "$ART"
mkdir -p "$ART"
set +e
FR_BASE_URL="$base" FR_TOKEN_OFFICER="$officer" FR_TOKEN_ANALYST="$analyst" \
  FR_TOKEN_SUPERVISOR="$supervisor" FR_REVIEW="$review" \
  FR_POST_A="$post_a" FR_POST_A_OFFICER="$post_a_officer" FR_POST_B="$post_b" FR_POST_B_OFFICER="$post_b_officer" \
  FR_MRZ_ADMIT="$(cat "$tmp/admit.mrz")" FR_AT_ADMIT="$at_admit" FR_EXPECT_UNTIL="$expect_until" \
  FR_MRZ_REFUSE="$(cat "$tmp/refuse.mrz")" FR_AT_REFUSE="$at_refuse" \
  FR_MRZ_REFER="$(cat "$tmp/refer.mrz")" FR_AT_REFER="$at_refer" FR_MRZ_HIT="$(cat "$tmp/hit.mrz")" \
  FR_ARTIFACTS="$ART" FR_NODE_MODULES="$NODE_MODULES" FR_CHROMIUM="$CHROMIUM" \
  node --test --test-reporter=spec "$FR_SOURCE_DIR/tests/browser/pages.test.mjs"
rc=$?
set -e
cp "$tmp/serve.err" "$ART/serve.log" 2>/dev/null || true
[ "$rc" -eq 0 ] || fail "the browser tests failed (exit $rc); screenshots and the server log are in $ART"
echo "browser.sh: all browser tests passed; screenshots in $ART"
