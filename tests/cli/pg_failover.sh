#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pg_failover.sh: a primary and a synchronous hot standby (PostgreSQL's
# streaming replication, tests/pg-cluster.sh), a server on the primary with
# `--db-replica` on the standby: aggregate reports come from the standby;
# then the primary crashes in the middle of a load and the standby is
# promoted: every admission the server answered 2xx is in the promoted
# database exactly once.
set -euo pipefail
F=${FRONTERA:?}
SRC=${FR_SOURCE_DIR:?}
T=$(mktemp -d)
chmod 755 "$T"
PID=
CL="bash $SRC/tests/pg-cluster.sh"
cleanup() { [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null; $CL stop "$T/s" 2>/dev/null; $CL stop "$T/p" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$T/err" ] && tail -5 "$T/err" >&2; exit 1; }
set +e; $CL check >/dev/null 2>&1; rc=$?; set -e
if [ $rc != 0 ]; then
    [ -z "${CI:-}" ] || fail "PostgreSQL is missing, and CI is set"
    echo "SKIP: PostgreSQL 15 is not installed"; exit 77
fi
P=$($CL start "$T/p")
export FRONTERA_DB=$P
"$F" init >/dev/null
TOK=$("$F" user add olga --role officer)
ANA=$("$F" user add ann --role analyst)
SUP=$("$F" user add sam --role supervisor) # sees every traveller (an officer only those of its admissions)
S=$($CL standby "$T/p" "$T/s")
[ "$(psql -tAq "$P" -c "SELECT sync_state FROM pg_stat_replication")" = sync ] || fail "the standby is not synchronous"

"$F" serve --listen 127.0.0.1:0 --db-replica "$S" --threads 4 --quiet >"$T/out" 2>"$T/err" &
PID=$!
for _ in $(seq 100); do grep -q '^listening on' "$T/out" 2>/dev/null && break; sleep 0.1; done
U=$(sed -n 's/^listening on //p' "$T/out")
[ -n "$U" ] || fail "the server did not start"

python3 - "$U" "$TOK" "$T/acked" "$T/p" "$SRC" <<'PY' || fail "load with a crash of the primary"
import json, sys, threading, urllib.request, subprocess, time
u, tok, acked_path, pdir, src = sys.argv[1:6]
acked, lock = [], threading.Lock()
def worker(k):
    for i in range(80):
        ev = {"event_id": "F-%d-%d" % (k, i), "kind": "entry" if i % 2 == 0 else "exit",
              "at": "2024-06-%02dT10:00-05:00" % (1 + i // 4), "port": "ECUIO", "document_state": "ECU",
              "document_number": "F%02d" % k, "surname": "FAIL", "given_names": "OVER %d" % k,
              "nationality": "ECU", "birth_date": "1975-01-01", "sex": "F"}
        req = urllib.request.Request(u + "/v1/events", data=json.dumps(ev).encode(),
            headers={"Authorization": "Bearer " + tok, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                if 200 <= r.status < 300:
                    with lock: acked.append(ev["event_id"])
        except Exception:
            return  # the database is gone: this client stops
threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
for t in threads: t.start()
time.sleep(0.5)
subprocess.run(["bash", src + "/tests/pg-cluster.sh", "crash", pdir], check=True)
for t in threads: t.join()
open(acked_path, "w").write("\n".join(acked) + "\n")
assert acked, "nothing was acknowledged before the crash"
PY
$CL promote "$T/s"
n=$(grep -c . "$T/acked")
ids=$(paste -sd, "$T/acked")
present=$(psql -tAq "$S" -c "SELECT count(*) FROM events WHERE event_id = ANY(string_to_array('$ids', ','))")
[ "$present" = "$n" ] || fail "$n events acknowledged before the crash, $present on the promoted standby"
[ "$(psql -tAq "$S" -c "SELECT count(*) - count(DISTINCT event_id) FROM events")" = 0 ] || fail "an event twice"
FRONTERA_DB=$S "$F" audit verify >/dev/null || fail "the audit chain on the promoted standby: $(FRONTERA_DB=$S "$F" audit verify)"
kill -9 "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true
PID=

# --- reports read the replica, the rest the primary: a replica holding other
# events (an SQLite copy of the sample ledger) shows in the flows report only
"$F" --db "$T/other.db" init >/dev/null
"$F" --db "$T/other.db" import "$SRC/tests/data/ledger/sample.csv" >/dev/null
"$F" --db "$S" serve --listen 127.0.0.1:0 --db-replica "$T/other.db" --quiet >"$T/out3" 2>"$T/err3" &
PID=$!
for _ in $(seq 100); do grep -q '^listening on' "$T/out3" 2>/dev/null && break; sleep 0.1; done
U=$(sed -n 's/^listening on //p' "$T/out3")
curl -s -H "Authorization: Bearer $ANA" "$U/v1/reports/flows?by=nationality" >"$T/flows.json"
grep -q '"CHN"' "$T/flows.json" || fail "the flows report does not come from the replica: $(head -c 300 "$T/flows.json")"
grep -q '"ECU"' "$T/flows.json" && fail "the flows report read the primary: $(head -c 300 "$T/flows.json")"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $SUP" "$U/v1/travellers/1")
[ "$code" = 200 ] || fail "a traveller read must go to the primary, got $code"
kill "$PID"; wait "$PID" 2>/dev/null || true
PID=
# --- the database restarts under a running server: its connections are cut,
# and the server reconnects (a request or two may fail meanwhile, never more)
"$F" --db "$S" serve --listen 127.0.0.1:0 --threads 2 --quiet >"$T/out4" 2>"$T/err4" &
PID=$!
for _ in $(seq 100); do grep -q '^listening on' "$T/out4" 2>/dev/null && break; sleep 0.1; done
U=$(sed -n 's/^listening on //p' "$T/out4")
[ -n "$U" ] || fail "the server on the promoted standby did not start"
ev() { # ev ID -> HTTP status of POST /v1/events
    curl -s -o "$T/evbody" -w '%{http_code}' -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' \
        --data-binary "{\"event_id\":\"$1\",\"kind\":\"entry\",\"at\":\"2024-07-01T10:00-05:00\",\"port\":\"ECUIO\",\"document_state\":\"ECU\",\"document_number\":\"R$1\",\"surname\":\"RE\",\"given_names\":\"START\",\"nationality\":\"ECU\",\"birth_date\":\"1980-01-01\",\"sex\":\"F\"}" \
        "$U/v1/events"
}
code=$(ev R0); [ "${code:0:1}" = 2 ] || fail "an event before the restart: $code $(cat "$T/evbody")"
$CL restart "$T/s"
ok=0
for i in 1 2 3 4 5 6; do
    code=$(ev "R$i")
    if [ "${code:0:1}" = 2 ]; then ok=$i; break; fi
done
[ "$ok" != 0 ] && [ "$ok" -le 4 ] || fail "the server did not reconnect after the database restarted (last: $code $(cat "$T/evbody"))"
for i in 7 8 9; do code=$(ev "R$i"); [ "${code:0:1}" = 2 ] || fail "a request after the reconnection failed: $code $(cat "$T/evbody")"; done
echo "the server recorded again at attempt $ok after the database restarted"
# /healthz says when the ledger does not answer (a balancer then sends the booths elsewhere), and again
# when it does (the server's policy thread reads the ledger every 2 s)
health() { code=$(curl -s -o "$T/hz" -w '%{http_code}' "$U/healthz"); }
$CL halt "$T/s"
for _ in $(seq 150); do health; [ "$code" = 503 ] && break; sleep 0.2; done
[ "$code" = 503 ] && grep -q '"ledger":"unreachable"' "$T/hz" || fail "/healthz with the database down: $code $(cat "$T/hz")"
$CL restart "$T/s"
for _ in $(seq 150); do health; [ "$code" = 200 ] && break; sleep 0.2; done
[ "$code" = 200 ] && grep -q '"ledger":"ok"' "$T/hz" || fail "/healthz once the database is back: $code $(cat "$T/hz")"
kill "$PID"; wait "$PID" 2>/dev/null || true
PID=
"$F" --db "$S" serve --listen 127.0.0.1:0 --db-replica "postgresql://postgres@127.0.0.1:1/none" --quiet \
    >"$T/out2" 2>"$T/err2" && fail "a server with an unreachable replica must not start"
grep -q 'cannot connect' "$T/err2" || fail "unclear replica error: $(cat "$T/err2")"
echo "pg_failover: ok ($n acknowledged before the primary crashed, all on the promoted standby)"
