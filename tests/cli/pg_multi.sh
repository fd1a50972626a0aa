#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pg_multi.sh: several `frontera serve` processes on one PostgreSQL database
# (the test cluster of tests/pg-cluster.sh):
# - two servers recording, at once, the entries (server A) and exits (server
#   B) of the same 40 travellers, each event also retried on the other
#   server: one traveller per person, every exit paired to its entry, no
#   anomaly, no duplicate event, one intact audit chain;
# - kill -9 of a server in the middle of a load: every admission answered
#   2xx is recorded exactly once, and the audit chain still verifies.
set -euo pipefail
F=${FRONTERA:?}
T=$(mktemp -d)
PIDS=()
# serve runs in $(...), a subshell: its servers are known by their pid files
cleanup() {
    for f in "$T"/*.pid; do [ -f "$f" ] && PIDS+=("$(cat "$f")"); done
    for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
. "$(dirname "$0")/pg_common.inc" # ADMIN (or a skip), pg_newdb
DB=multi$$
psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null 2>&1
export FRONTERA_DB="${ADMIN%/*}/$DB"
sql() { psql -tAq "$FRONTERA_DB" -c "$1"; }
"$F" init >/dev/null
TOK=$("$F" user add olga --role officer)
# a revoked user stays revoked on PostgreSQL as on SQLite: no rotation brings it back
"$F" user add otto --role officer >/dev/null
"$F" user revoke otto >/dev/null
set +e; "$F" user rotate otto >"$T/rot" 2>&1; rc=$?; set -e
[ "$rc" = 3 ] && grep -q 'revoked and stays so' "$T/rot" || fail "rotating a revoked user: rc $rc: $(cat "$T/rot")"
[ "$(sql "select revoked_ms > 0 from auth_users where name = 'otto'")" = t ] || fail "otto is active again"

serve() { # serve NAME: start a server, print its URL
    "$F" serve --listen 127.0.0.1:0 --threads 4 --quiet >"$T/$1.out" 2>"$T/$1.err" &
    PIDS+=($!)
    echo $! >"$T/$1.pid"
    for _ in $(seq 100); do grep -q '^listening on' "$T/$1.out" 2>/dev/null && break; sleep 0.1; done
    sed -n 's/^listening on //p' "$T/$1.out"
}
A=$(serve a)
B=$(serve b)
[ -n "$A" ] && [ -n "$B" ] || fail "the servers did not start"

python3 - "$A" "$B" "$TOK" <<'PY' || fail "concurrent recording"
import json, sys, threading, urllib.request, random
a, b, tok = sys.argv[1:4]
def post(url, ev):
    req = urllib.request.Request(url + "/v1/events", data=json.dumps(ev).encode(),
        headers={"Authorization": "Bearer " + tok, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status
jobs = []
for i in range(40):
    person = {"document_state": "ECU", "document_number": "M%03d" % i, "surname": "MULTI%c" % (65 + i % 26),
              "given_names": "PERSON %d" % i, "nationality": "ECU", "birth_date": "1980-01-%02d" % (1 + i % 28),
              "sex": "F", "port": "ECUIO"}
    entry = dict(person, event_id="ME-%d" % i, kind="entry", at="2024-05-01T10:00-05:00")
    exit_ = dict(person, event_id="MX-%d" % i, kind="exit", at="2024-05-02T10:00-05:00")
    jobs += [(a, entry), (b, exit_), (b, entry), (a, exit_)]  # each also retried on the other
random.seed(7)
random.shuffle(jobs)
errors = []
def worker(chunk):
    for url, ev in chunk:
        try:
            s = post(url, ev)
            if s not in (200, 201): errors.append((ev["event_id"], s))
        except Exception as e:
            errors.append((ev["event_id"], str(e)))
threads = [threading.Thread(target=worker, args=(jobs[k::8],)) for k in range(8)]
for t in threads: t.start()
for t in threads: t.join()
assert not errors, errors[:5]
PY
[ "$(sql "SELECT count(*) FROM events WHERE event_id LIKE 'M%'")" = 80 ] || fail "events: $(sql "SELECT count(*) FROM events")"
[ "$(sql "SELECT count(*) FROM travellers")" = 40 ] || fail "travellers: $(sql "SELECT count(*) FROM travellers")"
[ "$(sql "SELECT count(*) FROM events x JOIN events e ON e.id = x.paired_id WHERE x.kind = 2 AND e.kind = 1 AND e.traveller_id = x.traveller_id")" = 40 ] \
    || fail "not every exit is paired: $(sql "SELECT event_id, anomalies, paired_id FROM events ORDER BY event_id" | head -20)"
[ "$(sql "SELECT count(*) FROM events WHERE anomalies <> 0")" = 0 ] || fail "anomalies flagged"
"$F" audit verify >/dev/null || fail "the audit chain of two servers does not verify: $("$F" audit verify)"
[ "$(sql "SELECT count(*) FROM audit_log WHERE action = 'event.record'")" = 160 ] \
    || fail "every request is audited once: $(sql "SELECT count(*) FROM audit_log WHERE action = 'event.record'")"

# --- kill -9 of server A during a load on both
python3 - "$A" "$B" "$TOK" "$T/acked" "$(cat "$T/a.pid")" <<'PY' || fail "load with a crash"
import json, sys, threading, urllib.request, os, signal, time
a, b, tok, acked_path, pid_a = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
acked, lock = [], threading.Lock()
def worker(k):
    for i in range(60):
        url = a if (i + k) % 2 else b
        ev = {"event_id": "K-%d-%d" % (k, i), "kind": "entry" if i % 2 == 0 else "exit",
              "at": "2024-06-%02dT10:00-05:00" % (1 + i // 2), "port": "ECUIO", "document_state": "ECU",
              "document_number": "K%02d" % k, "surname": "KILL", "given_names": "K %d" % k,
              "nationality": "ECU", "birth_date": "1970-01-01", "sex": "M"}
        req = urllib.request.Request(url + "/v1/events", data=json.dumps(ev).encode(),
            headers={"Authorization": "Bearer " + tok, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                if 200 <= r.status < 300:
                    with lock: acked.append(ev["event_id"])
        except Exception:
            pass
threads = [threading.Thread(target=worker, args=(k,)) for k in range(6)]
for t in threads: t.start()
time.sleep(0.4)
os.kill(pid_a, signal.SIGKILL)
for t in threads: t.join()
open(acked_path, "w").write("\n".join(acked) + "\n")
assert len(acked) > 0
PY
n=$(wc -l <"$T/acked")
present=$(sql "SELECT count(*) FROM events WHERE event_id = ANY(string_to_array('$(paste -sd, "$T/acked")', ','))")
[ "$present" = "$n" ] || fail "$n admissions acknowledged, $present of them recorded"
[ "$(sql "SELECT count(*) - count(DISTINCT event_id) FROM events")" = 0 ] || fail "an event is recorded twice"
"$F" audit verify >/dev/null || fail "the audit chain broke with the crash: $("$F" audit verify)"
for f in "$T"/*.pid; do kill -TERM "$(cat "$f")" 2>/dev/null || true; done
for f in "$T"/*.pid; do # they are not this shell's children: wait for them to go
    for _ in $(seq 50); do kill -0 "$(cat "$f")" 2>/dev/null || break; sleep 0.1; done
done
psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" 2>/dev/null
echo "pg_multi: ok ($n acknowledged around the kill, all recorded once)"
