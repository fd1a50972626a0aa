#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sync_status.sh: what a post officer sees of the post's sync, GET
# /v1/sync/status on a post's own server (docs/sync.md, "Status a post
# officer sees"), with real processes on loopback: a central `frontera
# serve --watchlists` on SQLite and a land post's `serve --central` on its
# own SQLite ledger, pushing and pulling every second.
# 1. The central is down: three events recorded at the post wait, since
#    their time; the last attempt failed (warnings offline, stale), the
#    background sync runs. Officers, supervisors and admins read it; an
#    analyst does not.
# 2. The central comes up: nothing waits, the last success is seconds old,
#    no warning; the policy, watchlist and lost/stolen list pulled are
#    shown with the central's versions and digests.
# 3. The post's clock 5 minutes ahead (LD_PRELOAD shim tests/cli/sync/skew.c):
#    the skew is measured (about -300 s) and warned of.
# 4. A server that syncs with no central says {"configured": false}.
set -euo pipefail
# grep -q stops at its first match, and under pipefail the writer then
# dies of SIGPIPE and a passing check fails by chance: read it all first.
grep_q() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
F=${FRONTERA:?}
SRC=${FR_SOURCE_DIR:?}
T=$(mktemp -d)
declare -A PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; for f in "$T"/*.err; do [ -s "$f" ] && { echo "--- $f" >&2; tail -8 "$f" >&2; }; done; exit 1; }
command -v cc >/dev/null || fail "a C compiler is needed for the clock shim"
. "$SRC/tests/cli/sync/servers.inc"
cc -shared -fPIC -O1 -o "$T/skew.so" "$SRC/tests/cli/sync/skew.c" -ldl || fail "cannot build the clock shim"
SKEW="$(ldd "$F" 2>/dev/null | awk '/lib(a|ub|t)san/ { printf "%s ", $3 }')$T/skew.so"
# status TOKEN [URL]: the answer's body into $T/st.json, its HTTP status printed
status() { curl -s -o "$T/st.json" -w '%{http_code}' -H "Authorization: Bearer $1" "${2:-$POST}/v1/sync/status"; }
# check 'PYTHON CONDITION': over j (the answer) and c (its first central)
check() {
  python3 - "$T/st.json" "$1" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
c = (j.get("centrals") or [None])[0]
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}
# until 'CONDITION' [TRIES]: the status, asked every 0.2 s until the condition holds
until_status() {
  for _ in $(seq "${2:-100}"); do status "$OFF" >/dev/null; check "$1" && return 0; sleep 0.2; done
  return 1
}

CENTRAL="$T/C.db"
"$F" --db "$CENTRAL" init >/dev/null
TOK=$("$F" --db "$CENTRAL" user add post-land --role post --ports ECTUL)
printf '%s\n' "$TOK" >"$T/tok"
"$F" --db "$T/P.db" init >/dev/null
OFF=$("$F" --db "$T/P.db" user add officer-p --role officer)
SUP=$("$F" --db "$T/P.db" user add supervisor-p --role supervisor)
ADM=$("$F" --db "$T/P.db" user add admin-p --role admin)
ANA=$("$F" --db "$T/P.db" user add analyst-p --role analyst)
central_lists

PC=$(free_port); PP=$(free_port)
CURL="http://127.0.0.1:$PC"
POST="http://127.0.0.1:$PP"
post_up() { serve P "$T/P.db" "$PP" --policy "$T/post.policy" --watchlists "$PW" --central "$CURL" \
  --central-token-file "$T/tok" --sync-every 1 --pull-every 1 "$@"; }

# --- 1. the central is down: the post's events wait
post_up
AT=$(date -u -d '-20 minutes' +%Y-%m-%dT%H:%M:00Z)
HEAD='event_id,kind,at,port,document_type,document_state,document_number,document_expiry,surname,given_names,nationality,birth_date,sex,admission_class,authorised_until'
{ echo "$HEAD"; for i in 1 2 3; do echo "S-$i,entry,$AT,ECTUL,P,PER,ST000000$i,2030-01-01,QUISPE,LUIS,PER,1985-0$i-02,M,visitor,"; done; } >"$T/e.csv"
python3 "$SRC/tests/cli/sync/post_events.py" "$POST" "$OFF" "$T/e.csv" || fail "recording at the post"
until_status 'c and c["last_attempt"] and c["waiting"] == 3' || fail "the events wait while the central is down: $(cat "$T/st.json")"
check 'j["configured"] and j["background"]["central"] == "'"$CURL"'" and j["background"]["running"]' \
  || fail "the background sync is shown: $(cat "$T/st.json")"
check 'c["oldest_waiting"] == "'"$AT"'" and c["oldest_waiting_age_s"] >= 20 * 60' \
  || fail "they wait since their time: $(cat "$T/st.json")"
check 'c["last_success"] is None and "no answer" in c["last_error"] and set(c["warnings"]) == {"stale", "offline", "waiting"}' \
  || fail "never reached, the last attempt failed, waiting for 20 min: $(cat "$T/st.json")"
check 'j["warnings"] == c["warnings"] and j["limits"] == {"stale_s": 900, "waiting_s": 600, "skew_s": 120, "lists_s": 3600}' \
  || fail "the warnings and the default limits they follow: $(cat "$T/st.json")"
grep -q "$TOK" "$T/st.json" && fail "the token is never in the status"
grep -q QUISPE "$T/st.json" && fail "no personal data in the status"
for who in "$SUP" "$ADM"; do [ "$(status "$who")" = 200 ] || fail "supervisors and admins read the status"; done
[ "$(status "$ANA")" = 403 ] || fail "an analyst does not read a post's status"
[ "$(status "")" = 401 ] || fail "the status needs a token"

# --- 2. the central comes up: nothing waits, the lists arrive
serve C "$CENTRAL" "$PC" --policy "$T/central.policy" --watchlists "$CW"
until_status 'c["waiting"] == 0 and c["lists"]["watchlist"] and c["lists"]["lost-stolen"] and c["lists"]["policy"]' \
  || fail "the post catches up and pulls: $(cat "$T/st.json")"
check 'c["last_error"] is None and c["last_success_age_s"] <= 5 and c["oldest_waiting"] is None and j["warnings"] == []' \
  || fail "nothing to warn of once synchronised: $(cat "$T/st.json")"
WANT=$(curl -s -H "Authorization: Bearer $OFF" "$POST/v1/policy" | python3 -c 'import json,sys; print(json.load(sys.stdin)["digest"])')
check 'c["lists"]["policy"]["version"] == 1 and c["lists"]["policy"]["digest"] == "'"$WANT"'"' \
  || fail "the policy pulled, as the central's version 1: $(cat "$T/st.json")"
check 'all(len(c["lists"][k]["digest"]) == 64 and c["lists"][k]["version"] > 1700000000 and c["lists"][k]["warnings"] == [] for k in ("watchlist", "lost-stolen"))' \
  || fail "the lists pulled, as the central's file times: $(cat "$T/st.json")"
"$F" --db "$CENTRAL" export | grep_q '^S-3,' || fail "the central holds the post's events"
# a central the post once tried by hand (an old address): the booth's panel is about its own central only
"$F" --db "$T/P.db" sync --central "http://127.0.0.1:$(free_port)" --token-file "$T/tok" >/dev/null 2>&1 || true
"$F" --db "$T/P.db" sync status --json >"$T/all.json"
[ "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <"$T/all.json")" = 2 ] ||
  fail "sync status lists every central the post tried: $(cat "$T/all.json")"
until_status 'len(j["centrals"]) == 1 and c["central"] == "'"$CURL"'"' ||
  fail "the post server's panel lists another central than its own: $(cat "$T/st.json")"

# --- 3. the post's clock 5 minutes ahead: the skew is warned of
stop P
FR_SKEW_S=300 LD_PRELOAD="$SKEW" post_up
until_status 'c["skew_ms"] is not None and c["skew_ms"] < -250000' || fail "the skew is measured: $(cat "$T/st.json")"
check 'c["skew_ms"] > -350000 and "skew" in c["warnings"] and j["warnings"] == ["skew"]' \
  || fail "a post 5 minutes ahead is warned of: $(cat "$T/st.json")"
"$F" --db "$T/P.db" sync status | grep_q '^warning .*the clocks differ by more than 120 s' \
  || fail "the command line says the same: $("$F" --db "$T/P.db" sync status)"
stop P

# --- 4. a server with no central
OFF_C=$("$F" --db "$CENTRAL" user add officer-c --role officer)
[ "$(status "$OFF_C" "$CURL")" = 200 ] || fail "the central answers its status"
check 'j["configured"] is False' || fail "a server with no central says so: $(cat "$T/st.json")"
echo "sync_status: the status route shows what waits, the lists, the skew, and who may read it"
