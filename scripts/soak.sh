#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# soak.sh BUILD_DIR [SECONDS] [CLIENTS] [KILLS]: a bounded soak test on
# loopback only. Rounds until SECONDS (default 60) have passed, or, when
# KILLS is given, until the server has been killed KILLS times: start
# `frontera serve` on a free 127.0.0.1 port, drive fresh recorded admissions
# (a traveller not seen before in each request, mostly: 40,000 documents
# shared out between the clients and rounds) from CLIENTS (default 4)
# concurrent clients while `frontera import` loads a slice of crossings into
# the same ledger, then kill -9 the server (and the import when it is still
# running) at a random moment and start again. At the end it checks:
#   - every admission the server answered 200 with an event id is in the ledger
#     exactly once (nothing acknowledged is lost or duplicated);
#   - every imported row is there exactly once after the interrupted imports
#     are re-run (exactly-once resumption);
#   - every recorded admission in the ledger has its audit entry, and every
#     audit entry of a recording names a row in the ledger (the two are one
#     commit of the server's group commit, issue 22: a kill -9 keeps both or
#     neither);
#   - `frontera audit verify` holds on the whole chain.
# Prints the counts in one summary line for bench/RESULTS.md; exit 0 when
# every check holds.
set -euo pipefail
B=${1:?usage: soak.sh BUILD_DIR [SECONDS] [CLIENTS]}
SECS=${2:-60}
CLIENTS=${3:-4}
KILLS=${4:-0}
F=$(cd "$B" && pwd)/frontera
top=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d)
SPID= IPID=
cleanup() {
  [ -n "$SPID" ] && kill -9 "$SPID" 2>/dev/null
  [ -n "$IPID" ] && kill -9 "$IPID" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "soak: FAIL: $*" >&2; exit 1; }
export FRONTERA_DB="$T/soak.db"
"$F" init >/dev/null
TOK=$("$F" user add soak --role officer)

# 40,000 distinct travellers (MRZs made once) and 20,000 crossings to import
python3 - "$T/docs.jsonl" <<'PY'
import json, sys
def letters(k):
    s = ""
    for _ in range(4):
        s += chr(65 + k % 26); k //= 26
    return s
with open(sys.argv[1], "w") as f:
    for i in range(40000):
        f.write(json.dumps({"format": "TD3", "document_code": "P", "issuing_state": "COL",
            "surname": "SOAK" + letters(i), "given_names": "N" + chr(65 + i % 26),
            "document_number": "S%07d" % i, "nationality": "COL",
            "birth_date": "19%02d-%02d-%02d" % (40 + i % 60, 1 + i // 60 % 12, 1 + i // 720 % 28),
            "sex": "F", "expiry_date": "2033-01-01", "optional_data": "",
            "optional_data_2": None}) + "\n")
PY
"$F" mrz --make "$T/docs.jsonl" >"$T/docs.mrz"
python3 - "$T/import.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("event_id,kind,at,port,document_state,document_number,nationality\n")
    for i in range(20000):
        d, k = i // 2, ("entry", "exit")[i % 2]
        f.write("IMP-%06d,%s,2023-%02d-%02dT%02d:00-05:00,ECUIO,ECU,I%07d,ECU\n"
                % (i, k, 1 + d % 12, 1 + d % 28, 8 + i % 2 * 8, d))
PY

start=$(date +%s) rounds=0 kills=0
: >"$T/answered"
more() { if [ "$KILLS" -gt 0 ]; then [ "$kills" -lt "$KILLS" ]; else [ $(( $(date +%s) - start )) -lt "$SECS" ]; fi; }
while more; do
  rounds=$((rounds + 1))
  "$F" serve --listen 127.0.0.1:0 --policy "$top/data/policy/ecu.policy" --threads 4 --quiet \
    >"$T/sout" 2>"$T/serr" &
  SPID=$!
  for _ in $(seq 600); do grep -q "^listening on" "$T/sout" 2>/dev/null && break; sleep 0.05; done
  U=$(sed -n 's/^listening on //p' "$T/sout")
  [ -n "$U" ] || fail "the server did not start: $(cat "$T/serr")"
  "$F" import "$T/import.csv" --no-policy --batch 500 >/dev/null 2>&1 &
  IPID=$!
  # the clients run until the server dies; each answered event id is appended
  python3 - "$U" "$TOK" "$T/docs.mrz" "$rounds" "$CLIENTS" >>"$T/answered" <<'PY' &
import http.client, json, sys, threading
url, tok, mrzfile, rnd, nclients = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
host, port = url.split("//")[1].split(":")
docs = [b.split("\n") for b in open(mrzfile).read().strip().split("\n\n")]
lock = threading.Lock()
def client(c):
    n = 0
    while True:
        n += 1
        # a fresh traveller for each request while the round's slice lasts
        d = docs[(((int(rnd) - 1) * nclients + c) * 500 + n) % len(docs)]
        eid = "SOAK-%s-%d-%d" % (rnd, c, n)
        body = json.dumps({"mrz": d, "port": "ECUIO", "record": True, "event_id": eid,
                           "at": "2024-03-%02dT%02d:%02d-05:00" % (1 + n % 28, 6 + n % 12, n % 60)})
        try:
            h = http.client.HTTPConnection(host, int(port), timeout=10)
            h.request("POST", "/v1/admissions", body, {"Authorization": "Bearer " + tok,
                                                        "Content-Type": "application/json"})
            r = h.getresponse()
            data = r.read()
            h.close()
        except OSError:
            return
        if r.status == 200 and json.loads(data).get("event_id") == eid:
            with lock:
                print(eid, flush=True)
ts = [threading.Thread(target=client, args=(c,)) for c in range(nclients)]
for t in ts: t.start()
for t in ts: t.join()
PY
  CPID=$!
  sleep "$(python3 -c 'import random; print(round(random.uniform(0.5, 2.5), 2))')"
  kill -9 "$SPID" 2>/dev/null && kills=$((kills + 1))
  wait "$SPID" 2>/dev/null || true
  SPID=
  kill -9 "$IPID" 2>/dev/null || true
  wait "$IPID" 2>/dev/null || true
  IPID=
  wait "$CPID" 2>/dev/null || true
done

# finish the import (exactly once), then check
"$F" import "$T/import.csv" --no-policy --batch 500 >"$T/imp" 2>&1 || fail "the last import: $(cat "$T/imp")"
answered=$(wc -l <"$T/answered")
sort -u "$T/answered" | awk '{print "INSERT INTO answered VALUES(\x27" $1 "\x27);"}' >"$T/ans.sql"
lost=$({ echo "CREATE TEMP TABLE answered(id TEXT PRIMARY KEY); BEGIN;"; cat "$T/ans.sql"
  echo "COMMIT; SELECT count(*) FROM answered a WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = a.id);"
} | sqlite3 "$FRONTERA_DB")
dups=$(sqlite3 "$FRONTERA_DB" "SELECT count(*) FROM (SELECT event_id FROM events GROUP BY event_id HAVING count(*) > 1)")
imported=$(sqlite3 "$FRONTERA_DB" "SELECT count(*) FROM events WHERE event_id LIKE 'IMP-%'")
recorded=$(sqlite3 "$FRONTERA_DB" "SELECT count(*) FROM events WHERE event_id LIKE 'SOAK-%'")
# the audit object of a recording is "traveller:ID event:EVENT_ID"
noaudit=$(sqlite3 "$FRONTERA_DB" "SELECT count(*) FROM events e WHERE e.event_id LIKE 'SOAK-%' AND NOT EXISTS
  (SELECT 1 FROM audit_log l WHERE l.object = 'traveller:' || e.traveller_id || ' event:' || e.event_id
   AND l.action = 'admission.record')")
norow=$(sqlite3 "$FRONTERA_DB" "SELECT count(*) FROM audit_log l WHERE l.action = 'admission.record'
  AND NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = substr(l.object, instr(l.object, ' event:') + 7)
  AND l.object = 'traveller:' || e.traveller_id || ' event:' || e.event_id)")
fresh=$(sqlite3 "$FRONTERA_DB" "SELECT count(DISTINCT traveller_id) FROM events WHERE event_id LIKE 'SOAK-%'")
verify=$("$F" audit verify 2>&1) && chain=holds || chain=BROKEN
echo "soak: $(( $(date +%s) - start ))s, $rounds rounds, $kills kill -9, $CLIENTS clients:" \
  "$answered admissions answered, $recorded recorded ($fresh travellers), $lost answered but lost," \
  "$dups duplicated ids, $imported/20000 imported rows, audit chain $chain ($verify)," \
  "$noaudit recorded admissions without audit entry, $norow audit entries of a recording without its row"
[ "$lost" = 0 ] || fail "$lost answered admissions are not in the ledger"
[ "$dups" = 0 ] || fail "$dups event ids are duplicated"
[ "$imported" = 20000 ] || fail "the import is not exactly once: $imported of 20000"
[ "$chain" = holds ] || fail "the audit chain: $verify"
[ "$noaudit" = 0 ] || fail "$noaudit recorded admissions have no audit entry"
[ "$norow" = 0 ] || fail "$norow audit entries of a recording name no ledger row"
[ "$answered" -gt 0 ] || fail "no admission was answered: the soak tested nothing"
echo "soak: ok"
