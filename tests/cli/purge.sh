#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# purge.sh: the retention purge on SQLite (ctest cli.purge): the scenario of
# purge_scenario.inc (reports byte-identical before and after, the dry run's
# counts, the people due not found any more, the audit entries), then the
# SQLite file itself: the personal rows are gone (not flagged), the names
# are out of the linking frequencies, the crossings kept carry nothing
# personal; and a purge killed mid-run leaves whole persons, and a new run
# finishes it with the same reports.
set -euo pipefail
# grep -q stops at its first match, and under pipefail the writer then
# dies of SIGPIPE and a passing check fails by chance: read it all first.
grep_q() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
F=${FRONTERA:?}
SRC=${FR_SOURCE_DIR:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "purge.sh: FAIL: $*" >&2; exit 1; }
export FRONTERA_DB="$T/ledger.db"
# shellcheck source=purge_scenario.inc
. "$SRC/tests/cli/purge_scenario.inc"

q() { sqlite3 "$FRONTERA_DB" "$1"; }
[ "$(q "SELECT count(*) FROM travellers WHERE surname IN ('ZZGONE','ZZREFUSED','ZZOVER')")" = 0 ] ||
    fail "traveller rows of the people due are still there"
[ "$(q "SELECT count(*) FROM documents WHERE number IN ('GONE0001','REF00001','OVER0001')")" = 0 ] ||
    fail "document rows of the people due are still there"
[ "$(q "SELECT count(*) FROM link_name_freq WHERE surname LIKE 'ZZ%'")" = 1 ] ||
    fail "the linking frequencies still hold the names of the people due"
[ "$(q "SELECT count(*) FROM travellers WHERE surname = 'ZZKEPT'")" = 1 ] || fail "ZZKEPT is gone"
purged=$(jq '.events.entry + .events.exit + .events.refusal + .events.encounter + .events.extension' \
    "$T/purge.json")
[ "$(q "SELECT count(*) FROM events WHERE document_id = 0")" = "$purged" ] ||
    fail "de-identified events: $(q "SELECT count(*) FROM events WHERE document_id = 0") != $purged"
[ "$(q "SELECT count(*) FROM events WHERE document_id = 0 AND (officer <> '' OR reasons IS NOT NULL
      OR event_id NOT LIKE 'purged %' OR nationality IS NULL)")" = 0 ] ||
    fail "a de-identified event keeps something personal"
[ "$(q "SELECT count(*) FROM events e JOIN travellers t ON t.id = e.traveller_id
      WHERE e.document_id = 0")" = 0 ] || fail "a de-identified event still names a traveller row"
[ "$(q "SELECT count(*) FROM events WHERE event_id LIKE 'P-%'")" = 2 ] ||
    fail "the hand-made events: only ZZKEPT's two should keep their ids"
# a purged person's number is never given again (SQLite reuses the largest rowid)
"$F" record entry --event-id P-N1 --at 2024-11-01T10:00-05:00 --port ECUIO \
    --document ECU:NEW00001 --surname ZZNEW --given-names ONE --nationality ECU \
    --birth-date 1999-09-09 >/dev/null
[ "$(q "SELECT count(*) FROM events WHERE traveller_id =
      (SELECT traveller_id FROM documents WHERE number = 'NEW00001')")" = 1 ] ||
    fail "a new traveller took the number of a purged person"

# crash safety: kill a purge in small batches, check no half person, resume
export FRONTERA_DB="$T/crash.db"
"$F" init >/dev/null
"$F" import "$T/synth.csv" >/dev/null 2>&1
reports >"$T/crash_before.txt" 2>&1
"$F" purge --as-of $AS_OF --batch 1 >/dev/null 2>&1 &
pid=$!
sleep 0.3
kill -9 $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
[ "$(q "SELECT count(*) FROM events e JOIN travellers t ON t.id = e.traveller_id
      WHERE e.document_id = 0")" = 0 ] || fail "killed: an event de-identified, its person kept"
[ "$(q "SELECT count(*) FROM events e WHERE e.document_id <> 0
      AND NOT EXISTS (SELECT 1 FROM travellers t WHERE t.id = e.traveller_id)")" = 0 ] ||
    fail "killed: a person erased, an event of theirs not de-identified"
[ "$(q "SELECT count(*) FROM documents d
      WHERE NOT EXISTS (SELECT 1 FROM travellers t WHERE t.id = d.traveller_id)")" = 0 ] ||
    fail "killed: a document left without its person"
[ "$(q "PRAGMA integrity_check")" = ok ] || fail "killed: the file is damaged"
"$F" purge --as-of $AS_OF --json >"$T/resume.json" || fail "resume"
reports >"$T/crash_after.txt" 2>&1
cmp -s "$T/crash_before.txt" "$T/crash_after.txt" || fail "the reports changed after a resumed purge"
[ "$(q "SELECT count(*) FROM events WHERE document_id = 0")" -gt 0 ] || fail "the resume erased nothing"
# the server's daily maintenance: with --purge-every 1 the first run comes a
# second after start, erases the person due today (an exit in 2022 is past
# 3 years on any day from 2025-03-21) and audits as server:purge; --no-purge
# never does
export FRONTERA_DB="$T/served.db"
"$F" init >/dev/null
"$F" record entry --event-id S1 --at 2022-03-01T10:00-05:00 --port ECUIO --document USA:SRV00001 \
    --surname ZZSERVED --nationality USA --birth-date 1970-01-01 >/dev/null
"$F" record exit --event-id S2 --at 2022-03-20T10:00-05:00 --port ECUIO --document USA:SRV00001 >/dev/null
serve_until() { # serve_until PATTERN OPTIONS...: run the server until stderr shows PATTERN (or 5 s)
    local pat=$1
    shift
    "$F" serve --listen 127.0.0.1:0 --threads 1 "$@" >"$T/serve.out" 2>"$T/serve.err" &
    local spid=$!
    for _ in $(seq 50); do grep -q "$pat" "$T/serve.err" 2>/dev/null && break; sleep 0.1; done
    kill -TERM $spid
    wait $spid || fail "the server did not stop cleanly: $(tail -3 "$T/serve.err")"
}
serve_until 'never' --no-purge --purge-every 1
grep -q 'purge:' "$T/serve.err" && fail "--no-purge purged"
"$F" traveller USA:SRV00001 >/dev/null || fail "--no-purge erased someone"
serve_until 'purge: as of' --purge-every 1
grep -q 'purge: as of .*, 1 persons erased, 2 events kept de-identified' "$T/serve.err" ||
    fail "the daily purge did not run: $(cat "$T/serve.err")"
set +e
"$F" traveller USA:SRV00001 >/dev/null 2>&1
rc=$?
set -e
[ $rc = 1 ] || fail "the daily purge did not erase the person due (rc $rc)"
"$F" audit list | grep_q 'server:purge(system) ledger.purge ledger from server.*persons=1 ' ||
    fail "the daily purge is not in the audit log: $("$F" audit list | tail -2)"
echo "purge.sh: ok"
