#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sync_lists.sh: what a border post pulls from the central (docs/sync.md),
# all real processes on loopback: a central `frontera serve --watchlists` (on
# SQLite here; on the PostgreSQL test cluster as tests/cli/pg_sync_lists.sh)
# and a land post's server on its own SQLite ledger.
# 1. `sync pull-lists`: the watchlists and the lost/stolen list arrive whole
#    and verified; asked again, the central answers 304 (nothing sent); the
#    status shows each list's version and when it was pulled.
# 2. A list whose text does not match its digest, and an answer cut off
#    mid-body, are refused and the old file is kept; the status says the
#    post holds an older list than that central's.
# 3. Histories: an entry recorded at the airport (at the central) without
#    exit reaches the land post's ledger; the land post's booth then finds
#    it (history.no_exit); a traveller who left the country and never
#    crossed at the post is not sent; the pulled events are never pushed
#    back (no refused events, the central holds each once).
# 4. Hot swap: the central's new watchlist and new policy are put in force
#    in the running post server without a restart.
# 5. After the first history pull only what changed is sent: a new
#    traveller alone, then nothing; --all sends the whole set again.
set -euo pipefail
# grep -q stops at its first match, and under pipefail the writer then
# dies of SIGPIPE and a passing check fails by chance: read it all first.
grep_q() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
F=${FRONTERA:?}
SRC=${FR_SOURCE_DIR:?}
if [ "${FR_BACKEND:-sqlite}" = pg ]; then
  ADMIN=$(cat "${FR_TEST_PG_DIR:-/nonexistent}/uri" 2>/dev/null || true)
  if [ -z "$ADMIN" ]; then
    [ -z "${CI:-}" ] || { echo "FAIL: no PostgreSQL test cluster, and CI is set" >&2; exit 1; }
    echo "SKIP: no PostgreSQL test cluster (PostgreSQL 15 is not installed)"; exit 77
  fi
fi
T=$(mktemp -d)
declare -A PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; for f in "$T"/*.err; do [ -s "$f" ] && { echo "--- $f" >&2; tail -8 "$f" >&2; }; done; exit 1; }
. "$SRC/tests/cli/sync/servers.inc"
post_events() { python3 "$SRC/tests/cli/sync/post_events.py" "$@"; }

if [ "${FR_BACKEND:-sqlite}" = pg ]; then
  psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS lists$$ WITH (FORCE)" -c "CREATE DATABASE lists$$" >/dev/null 2>&1
  CENTRAL="${ADMIN%/*}/lists$$"
else
  CENTRAL="$T/C.db"
fi
"$F" --db "$CENTRAL" init >/dev/null
TOK_B=$("$F" --db "$CENTRAL" user add post-land --role post --ports ECTUL)
OFF_C=$("$F" --db "$CENTRAL" user add officer-c --role officer)
ADM_C=$("$F" --db "$CENTRAL" user add admin-c --role admin)
printf '%s\n' "$TOK_B" >"$T/tok_b"
"$F" --db "$T/B.db" init >/dev/null
OFF_B=$("$F" --db "$T/B.db" user add officer-b --role officer)

# the central's policy and lists
central_lists
PC=$(free_port)
serve C "$CENTRAL" "$PC" --policy "$T/central.policy" --watchlists "$CW"
CURL="http://127.0.0.1:$PC"
pull_lists() { "$F" --db "$T/B.db" sync pull-lists --central "$CURL" --token-file "$T/tok_b" --watchlists "$PW" "$@"; }

# --- 1. lists arrive whole; the second time nothing is sent
pull_lists >"$T/p1.out" 2>"$T/p1.err" || fail "pull-lists: $(cat "$T/p1.err")"
grep -q '^watchlist: .*1 entry, replaced' "$T/p1.out" && grep -q '^lost-stolen: .*1 entry, replaced' "$T/p1.out" \
  || fail "both lists are pulled: $(cat "$T/p1.out")"
grep -q 'AL-ZAWAHIRI' "$PW/central.wl.csv" && grep -q 'C01X00T47' "$PW/lost-stolen.docs.csv" || fail "the lists' files"
pull_lists >"$T/p2.out" 2>"$T/p2.err" || fail "pull-lists again: $(cat "$T/p2.err")"
[ "$(grep -c unchanged "$T/p2.out")" = 2 ] || fail "unchanged lists are not replaced: $(cat "$T/p2.out")"
curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOK_B" \
  -H "If-None-Match: \"$(b2sum -l 256 "$PW/central.wl.csv" | cut -d' ' -f1)\"" "$CURL/v1/sync/watchlist" >"$T/code"
[ "$(cat "$T/code")" = 304 ] || fail "the central answers 304 for the list the post holds: $(cat "$T/code")"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $OFF_C" "$CURL/v1/sync/watchlist")" = 403 ] \
  || fail "only a post may pull the lists"
"$F" --db "$T/B.db" sync status --central "$CURL" >"$T/st.out"
grep -Eq '^watchlist +version [0-9]+ \(.*\), pulled 20' "$T/st.out" && grep -Eq '^lost/stolen +version' "$T/st.out" \
  || fail "the status shows the lists: $(cat "$T/st.out")"
LANG=es_EC.UTF-8 "$F" --db "$T/B.db" sync status --central "$CURL" >"$T/st.es"
grep -Eq '^lista vigilancia +versión [0-9]+ .*traída 20' "$T/st.es" || fail "the status in Spanish: $(cat "$T/st.es")"
cp "$PW/central.wl.csv" "$T/wl.before"

# --- 2. a damaged answer and a cut answer leave the old list
FP=$(free_port)
python3 - "$FP" "$T/fake.ready" <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"id,list,name,aliases,birth_date,nationality,documents,reason\nX1,EVIL,\"DOE, John\",,1970,USA,,\n"
        self.send_response(200); self.send_header("Content-Type", "text/csv")
        self.send_header("X-Frontera-List-Version", "99")
        self.send_header("X-Frontera-List-Digest", "0" * 64)  # not this text's
        if "watchlist" in self.path:
            self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
        else:  # the line drops mid-answer
            self.send_header("Content-Length", str(len(body) * 10)); self.end_headers(); self.wfile.write(body[:20])
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H)
open(sys.argv[2], "w").close()  # listening
s.handle_request(); s.handle_request()
PY
PIDS[fake]=$!
# wait until it listens (a fixed pause lost the race on a loaded machine): it
# says so with a file, as a probe connection would take one of its two answers
for _ in $(seq 100); do [ -e "$T/fake.ready" ] && break; sleep 0.1; done
set +e; "$F" --db "$T/B.db" sync pull-lists --central "http://127.0.0.1:$FP" --token-file "$T/tok_b" --watchlists "$PW" >"$T/bad.out" 2>"$T/bad.err"; rc=$?; set -e
[ $rc = 3 ] || fail "a damaged list fails with 3, got $rc"
grep -q 'does not match its digest' "$T/bad.err" || fail "the digest mismatch is said: $(cat "$T/bad.err")"
grep -q 'no answer' "$T/bad.err" || fail "a cut answer is said: $(cat "$T/bad.err")"
cmp -s "$PW/central.wl.csv" "$T/wl.before" && grep -q C01X00T47 "$PW/lost-stolen.docs.csv" || fail "the old lists are kept"
# the post knows it holds an older watchlist than that central's, and warns
"$F" --db "$T/B.db" sync status --central "http://127.0.0.1:$FP" >"$T/bad.st"
grep -Eq '^ +the central has version 99 \(000000000000\.\.\.\), refused here 20' "$T/bad.st" \
  && grep -q "^warning .*a list is older than the central's" "$T/bad.st" || fail "the refused list in the status: $(cat "$T/bad.st")"
ls "$PW" | grep_q tmp && fail "no temporary file is left"
wait "${PIDS[fake]}" 2>/dev/null || true; unset "PIDS[fake]"

# --- 3. histories: the airport's entry (at the central) reaches the land post
D20=$(date -u -d '-20 days' +%Y-%m-%dT09:00-05:00)
D30=$(date -u -d '-30 days' +%Y-%m-%dT09:00-05:00)
D25=$(date -u -d '-25 days' +%Y-%m-%dT09:00-05:00)
HEAD='event_id,kind,at,port,document_type,document_state,document_number,document_expiry,surname,given_names,nationality,birth_date,sex,admission_class,authorised_until'
{ echo "$HEAD"
  echo "H-IN-1,entry,$D20,ECUIO,P,CHN,E12345678,2030-05-01,ZHANG,WEI,CHN,1985-03-14,M,visitor,"
  echo "H-GONE-1,entry,$D30,ECUIO,P,ARG,AR0000001,2031-01-01,DIAZ,LUZ,ARG,1980-01-01,F,visitor,"
  echo "H-GONE-2,exit,$D25,ECGYE,P,ARG,AR0000001,2031-01-01,DIAZ,LUZ,ARG,1980-01-01,F,visitor,"
} >"$T/h.csv"
post_events "$CURL" "$OFF_C" "$T/h.csv" || fail "recording at the central"
MRZ='"mrz":["P<CHNZHANG<<WEI<<<<<<<<<<<<<<<<<<<<<<<<<<<<<","E123456782CHN8503149M3005017<<<<<<<<<<<<<<<8"]'
PB=$(free_port)
admit_b() { curl -s -H "Authorization: Bearer $OFF_B" -H 'Content-Type: application/json' \
  --data-binary "{$MRZ,\"port\":\"ECTUL\",\"at\":\"$(date -u +%Y-%m-%dT%H:%M:00Z)\",\"record\":$1${2:+,\"event_id\":\"$2\"}}" "http://127.0.0.1:$PB/v1/admissions"; }
# the post alone does not know the entry
serve B "$T/B.db" "$PB" --policy "$T/post.policy" --watchlists "$PW"
admit_b false >"$T/a0.json"
grep -q 'history.no_exit' "$T/a0.json" && fail "without the histories the post cannot know: $(cat "$T/a0.json")"
stop B
serve B "$T/B.db" "$PB" --policy "$T/post.policy" --watchlists "$PW" --central "$CURL" \
  --central-token-file "$T/tok_b" --sync-every 1 --pull-every 1
for _ in $(seq 100); do
  [ "$(sqlite3 "$T/B.db" 'SELECT COUNT(*) FROM sync_pulled')" -ge 1 ] 2>/dev/null && break; sleep 0.2
done
sqlite3 "$T/B.db" 'SELECT event_id FROM sync_pulled ORDER BY event_id' >"$T/pulled"
[ "$(cat "$T/pulled")" = H-IN-1 ] || fail "the history set is the traveller still in the country, not the one who left: $(cat "$T/pulled")"
admit_b true LAND-1 >"$T/a1.json"
grep -q 'history.no_exit' "$T/a1.json" || fail "the booth sees the entry made at the airport: $(cat "$T/a1.json")"
for _ in $(seq 100); do "$F" --db "$T/B.db" sync status --json | grep_q '"waiting":0' && break; sleep 0.2; done
"$F" --db "$T/B.db" sync status --json | grep_q '"waiting":0' || fail "the post pushed its own event: $("$F" --db "$T/B.db" sync status)"
[ -z "$("$F" --db "$T/B.db" sync issues)" ] || fail "a pulled event was sent back: $("$F" --db "$T/B.db" sync issues)"
"$F" --db "$CENTRAL" export >"$T/c.csv"
[ "$(grep -c '^H-IN-1,' "$T/c.csv")" = 1 ] && [ "$(grep -c '^LAND-1,' "$T/c.csv")" = 1 ] || fail "each event once at the central"
[ "$(( $(wc -l <"$T/c.csv") - 1 ))" = 4 ] || fail "the central holds 4 events: $(cat "$T/c.csv")"
grep -q SANCTIONS "$T/a1.json" && fail "the post's first list does not hold the traveller: $(cat "$T/a1.json")"

# --- 4. hot swap: a new watchlist and a new policy at the central
printf '%s\n' 'id,list,name,aliases,birth_date,nationality,documents,reason' \
  'Z1,SANCTIONS,"ZHANG, Wei",,1985-03-14,CHN,,fraud' >"$T/l2.csv"
"$F" watchlist import "$T/l2.csv" --dir "$CW" >/dev/null
sed 's/^\(#.*\)$/\1/' "$T/central.policy" >"$T/new.policy"; printf '\n# changed at the central\n' >>"$T/new.policy"
curl -s -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $ADM_C" --data-binary @"$T/new.policy" "$CURL/v1/policy" >"$T/code"
[ "$(cat "$T/code")" = 200 ] || fail "PUT the central's policy: $(cat "$T/code")"
for _ in $(seq 100); do grep -q 'pulled lists are in force' "$T/B.err" && grep -q "policy .* is in force" "$T/B.err" && break; sleep 0.2; done
grep -q 'pulled lists are in force' "$T/B.err" || fail "the post puts the new lists in force"
admit_b false >"$T/a2.json"
grep -q 'SANCTIONS' "$T/a2.json" || fail "the running post screens against the new list: $(cat "$T/a2.json")"
WANT=$(curl -s -H "Authorization: Bearer $ADM_C" "$CURL/v1/policy" | python3 -c 'import json,sys; print(json.load(sys.stdin)["digest"])')
GOT=$(curl -s -H "Authorization: Bearer $OFF_B" "http://127.0.0.1:$PB/v1/policy" | python3 -c 'import json,sys; print(json.load(sys.stdin)["digest"])')
[ "$WANT" = "$GOT" ] || fail "the running post uses the central's new policy ($GOT, want $WANT)"
kill -0 "${PIDS[B]}" || fail "the post server kept running"
"$F" --db "$T/B.db" sync status --json >"$T/st.json"
python3 - "$T/st.json" "$CURL" <<'PY' || fail "the status's lists: $(cat "$T/st.json")"
import json, sys
s = [c for c in json.load(open(sys.argv[1])) if c["central"] == sys.argv[2]][0]  # not the fake one
for k in ("policy", "watchlist", "lost-stolen"):
    assert s["lists"][k] and len(s["lists"][k]["digest"]) == 64 and s["lists"][k]["pulled"], (k, s)
assert s["lists"]["histories"]["version"] > 0, s
PY

# --- 5. after the first history pull only what changed is sent
stop B
pull_h() { "$F" --db "$T/B.db" sync pull-histories --central "$CURL" --token-file "$T/tok_b" --json "$@"; }
pull_h >/dev/null || fail "a history pull by hand"
D5=$(date -u -d '-5 days' +%Y-%m-%dT09:00-05:00)
{ echo "$HEAD"; echo "H-IN-2,entry,$D5,ECGYE,P,PER,PE0000002,2031-01-01,QUISPE,ROSA,PER,1990-02-02,F,visitor,"; } >"$T/h2.csv"
post_events "$CURL" "$OFF_C" "$T/h2.csv" || fail "recording a new entry at the central"
check_h() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); w=dict(a.split('=') for a in sys.argv[2:]); \
  bad={k:(r[k],v) for k,v in w.items() if str(r[k]).lower()!=v}; assert not bad, (bad, r)" "$@"; }
pull_h >"$T/h1.json" || fail "an incremental pull"
check_h "$T/h1.json" incremental=true travellers=1 events=1 recorded=1 || fail "only the new traveller is sent"
pull_h >"$T/h2.json" || fail "a pull with nothing new"
check_h "$T/h2.json" incremental=true travellers=0 events=0 || fail "nothing new, nothing sent"
pull_h --all >"$T/h3.json" || fail "a full pull"
check_h "$T/h3.json" incremental=false travellers=2 recorded=0 conflicts=0 || fail "the whole set again, nothing new"
"$F" --db "$T/B.db" sync status --central "$CURL" | grep_q -E "^histories +up to the central's event [0-9]+" \
  || fail "the status shows the histories: $("$F" --db "$T/B.db" sync status)"
echo "ok: lists pulled and verified, damaged and cut lists refused, histories used at the booth and not pushed back, hot swap, incremental history pulls"
