#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pg_purge.sh: the retention purge on PostgreSQL (ctest cli.pg_purge, the
# throw-away cluster of tests/pg-cluster.sh): the scenario of
# purge_scenario.inc, then the database itself: the personal rows are gone,
# the names out of the linking frequencies, the event keys re-keyed.
set -euo pipefail
F=${FRONTERA:?}
SRC=${FR_SOURCE_DIR:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "pg_purge.sh: FAIL: $*" >&2; exit 1; }
. "$(dirname "$0")/pg_common.inc" # ADMIN (or a skip), pg_newdb
name=purge$$
psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name" \
    >/dev/null 2>&1
export FRONTERA_DB="${ADMIN%/*}/$name"
export FRONTERA_SNAPSHOT="$T/central.analytics" # the reports' index kept, as docs/deploy.md advises
trap 'psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1; rm -rf "$T"' EXIT
# shellcheck source=purge_scenario.inc
. "$SRC/tests/cli/purge_scenario.inc"

q() { psql -qtA "$FRONTERA_DB" -c "$1"; }
[ "$(q "SELECT count(*) FROM travellers WHERE surname IN ('ZZGONE','ZZREFUSED','ZZOVER')")" = 0 ] ||
    fail "traveller rows of the people due are still there"
[ "$(q "SELECT count(*) FROM documents WHERE number IN ('GONE0001','REF00001','OVER0001')")" = 0 ] ||
    fail "document rows of the people due are still there"
[ "$(q "SELECT count(*) FROM link_name_freq WHERE surname LIKE 'ZZ%'")" = 1 ] ||
    fail "the linking frequencies still hold the names of the people due"
purged=$(jq '.events.entry + .events.exit + .events.refusal + .events.encounter + .events.extension' \
    "$T/purge.json")
[ "$(q "SELECT count(*) FROM events WHERE document_id = 0")" = "$purged" ] ||
    fail "de-identified events: $(q "SELECT count(*) FROM events WHERE document_id = 0") != $purged"
[ "$(q "SELECT count(*) FROM events WHERE document_id = 0 AND (officer <> ''
      OR reasons IS NOT NULL OR event_id NOT LIKE 'purged %' OR nationality IS NULL)")" = 0 ] ||
    fail "a de-identified event keeps something personal"
[ "$(q "SELECT count(*) FROM event_keys WHERE event_id IN ('P-G1','P-G2','P-R1','P-O1')")" = 0 ] ||
    fail "the event keys of the people due keep their ids"
[ "$(q "SELECT count(*) FROM event_seq q JOIN events e ON e.id = q.id
      WHERE e.document_id = 0 AND q.digest <> e.digest")" = 0 ] ||
    fail "a sequence row keeps the old digest"
echo "pg_purge.sh: ok"
