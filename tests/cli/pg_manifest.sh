#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pg_manifest.sh: recorded manifests on PostgreSQL (arrivals_pg.c) behave as
# on SQLite: the scenario of manifest_scenario.inc (record, replay,
# conflict, reconcile, routes) prints the same on both, byte for byte.
set -euo pipefail
F=${FRONTERA:?FRONTERA must name the program}
SRC=${FR_SOURCE_DIR:?}
D=$SRC/tests/data/paxlst
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
. "$(dirname "$0")/pg_common.inc" # ADMIN (or a skip), pg_newdb
name=p$$_manifest
psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name" \
    >/dev/null 2>&1
trap 'psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1; rm -rf "$T"' EXIT
export FRONTERA_POLICY="$SRC/data/policy/ecu.policy"
cd "$T"
# the scenario needs the ledger's own PostgreSQL schema; when this build
# cannot create it, that failure is the ledger's (cli.pg_parity shows it) and
# the arrivals backend is still covered by unit.test_arrivals.pg
set +e
FRONTERA_DB="${ADMIN%/*}/$name" "$F" init >/dev/null 2>"$T/init.err"
rc=$?
set -e
if [ "$rc" != 0 ]; then
    echo "SKIP: frontera init on PostgreSQL exits $rc here: $(head -c 200 "$T/init.err")"
    exit 77
fi
. "$SRC/tests/cli/manifest_scenario.inc"
FRONTERA_DB="$T/ledger.db" manifest_scenario "$T/sqlite"
FRONTERA_DB="${ADMIN%/*}/$name" manifest_scenario "$T/pg"
rm -f "$T/sqlite/changed.edi" "$T/pg/changed.edi"
# the same answers, but for the backend's directory in messages and the row
# ids: a PostgreSQL sequence is not gapless (a refused insert uses a number)
for b in sqlite pg; do
  for f in "$T/$b"/*; do
    [ -f "$f" ] || continue
    sed -i -e "s|$T/$b/|DIR/|g" -e 's/"id":[0-9]*/"id":N/g; s/"manifests":\[[0-9,]*\]/"manifests":[N]/g' \
      -e 's/(manifest [0-9]*)/(manifest N)/g' "$f"
  done
done
diff -r "$T/sqlite" "$T/pg" || fail "SQLite and PostgreSQL differ"
grep -q '"transit_entered":1' "$T/pg/reconcile" || fail "no transit entry on PostgreSQL"
# the manifest retention erases the same persons on both and keeps the same
# routes report (frontera purge --manifest-days; manifest_record.sh says more)
for b in sqlite pg; do
  db=$T/ledger.db; [ $b = pg ] && db="${ADMIN%/*}/$name"
  FRONTERA_DB=$db "$F" report flows --by embarkation,nationality,month --format csv >"$T/$b.routes.before"
  FRONTERA_DB=$db "$F" purge --as-of 2024-12-01 --manifest-days 30 --json | jq .manifest_persons >"$T/$b.erased"
  FRONTERA_DB=$db "$F" report flows --by embarkation,nationality,month --format csv >"$T/$b.routes.after"
  cmp -s "$T/$b.routes.before" "$T/$b.routes.after" || fail "$b: routes changed by the manifest purge"
done
cmp -s "$T/sqlite.erased" "$T/pg.erased" || fail "erased $(cat "$T/sqlite.erased") on SQLite, $(cat "$T/pg.erased") on PostgreSQL"
[ "$(cat "$T/pg.erased")" -gt 0 ] || fail "nothing erased on PostgreSQL"
left=$(psql -tAq "${ADMIN%/*}/$name" -c "SELECT count(*) FROM arrivals_persons WHERE surname <> '' OR doc_number <> '' OR birth_date IS NOT NULL OR outcome IS NULL")
[ "$left" = 0 ] || fail "$left persons keep personal data on PostgreSQL"
echo ok
