#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pg_parity.sh: the same commands on an SQLite file and on PostgreSQL (the
# throw-away cluster of tests/pg-cluster.sh) give the same output, byte for
# byte: init, record (retries, conflicts, renewals, late arrivals), traveller,
# import (rejects included, re-import all duplicates), export, reports; a
# newer PostgreSQL schema is refused; frontera migrate copies SQLite ->
# PostgreSQL -> SQLite verified by digests, and the copies export the same.
set -euo pipefail
F=${FRONTERA:?FRONTERA must name the program}
SRC=${FR_SOURCE_DIR:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
rc_of() { set +e; "$@" >"$T/out" 2>"$T/err"; local rc=$?; set -e; echo $rc; }

. "$(dirname "$0")/pg_common.inc" # ADMIN (or a skip), pg_newdb
PG=$(pg_newdb main)
SQ=$T/ledger.db

# run the scenario with the database $1, output into directory $2
scenario() {
    local db=$1 out=$2
    mkdir -p "$out"
    export FRONTERA_DB=$db
    "$F" init | sed "s|$db|DB|" >"$out/init"
    P=(--surname Perez --given-names "Ana  Maria" --nationality ECU --birth-date 1990-05-06 --sex F)
    {
        "$F" record entry --event-id E1 --at 2024-07-01T10:15-05:00 --port ECUIO --document ECU:A1 \
            "${P[@]}" --class tourist --authorised-until 2024-09-28 --json
        "$F" record entry --event-id E1 --at 2024-07-01T10:15-05:00 --port ECUIO --document ECU:A1 \
            "${P[@]}" --class tourist --authorised-until 2024-09-28 --json
        echo "conflict rc $(rc_of "$F" record entry --event-id E1 --at 2024-07-01T10:20-05:00 \
            --port ECUIO --document ECU:A1)"
        cat "$T/err"
        "$F" record exit --event-id X2 --at 2024-08-20T09:00-05:00 --port ECGYE --document ECU:B2 \
            "${P[@]}" --json
        "$F" record exit --event-id X1 --at 2024-07-10T09:00-05:00 --port ECGYE --document ECU:A1 --json
        # same names and birth date, another nationality: kept for review
        "$F" record entry --event-id E2 --at 2024-07-02T10:00-05:00 --port ECUIO --document PER:Z9 \
            --surname Perez --given-names "Ana Maria" --nationality PER --birth-date 1990-05-06 \
            --sex F --json
    } >"$out/record" 2>&1
    for f in sample reordered bad; do
        { "$F" import "$SRC/tests/data/ledger/$f.csv" --rejects "$out/rejects_$f.csv" 2>&1 ||
            echo "rc $?"; } | sed "s|$SRC|SRC|; s|$out|OUT|g"
    done >"$out/import"
    awk -v n=2000 -f "$SRC/tests/data/ledger/gen.awk" >"$T/gen.csv"
    "$F" import "$T/gen.csv" >>"$out/import" 2>&1
    "$F" import "$T/gen.csv" >>"$out/import" 2>&1 # all duplicates
    "$F" export >"$out/export.csv"
    for id in 1 2 3 4 5 6 7 8 9 10 11 12 200 501; do
        "$F" traveller "$id" --json >"$out/traveller_$id.json" 2>&1 || echo "rc $?" >>"$out/traveller_$id.json"
    done
    "$F" report flows --from 2024-01-01 --to 2024-12-31 --format csv >"$out/flows.csv" 2>&1
    "$F" report overstays --from 2024-01-01 --to 2024-06-30 --as-of 2024-06-30 \
        --by nationality --format json >"$out/overstays.json" 2>&1
    sed -i "s|$T/gen.csv|GEN|" "$out/import"
}

scenario "$SQ" "$T/sqlite"
scenario "$PG" "$T/pg"
grep -q 'schema version 4' "$T/pg/init" || fail "init on PostgreSQL: $(cat "$T/pg/init")"
grep -q '"link":"review"' "$T/pg/record" || fail "no review link: $(cat "$T/pg/record")"
[ "$(wc -l <"$T/pg/export.csv")" -gt 2000 ] || fail "the export is short"
diff -r "$T/sqlite" "$T/pg" >"$T/diff" || fail "SQLite and PostgreSQL differ: $(head -40 "$T/diff")"

# --- linking (schema 3): the same synthetic import, with namesakes and
# renewals, gives the same travellers, links, reviews (weights and evidence),
# link measures and reports on both; so do a supervisor's corrections
"$F" synth --seed 3 --scale 0.01 --out "$T/syn.csv" --truth "$T/truth.csv" --quiet
linking() {
    local db=$1 out=$2
    mkdir -p "$out"
    export FRONTERA_DB=$db
    "$F" init >/dev/null
    "$F" review thresholds --link-bits 9.5 --review-bits 4 >"$out/thresholds"
    # stdout only: progress lines on stderr depend on the time taken
    "$F" import "$T/syn.csv" --batch 5000 2>/dev/null | sed "s|$T/syn.csv|SYN|" >"$out/import"
    "$F" review list --all --json >"$out/reviews.json"
    { "$F" linkeval --truth "$T/truth.csv" || echo "rc $?"; } >"$out/linkeval" 2>&1
    "$F" export >"$out/export.csv"
    "$F" report flows --from 2022-01-01 --to 2024-12-31 --format csv >"$out/flows.csv" 2>&1
    "$F" report overstays --from 2022-01-01 --to 2024-12-31 --as-of 2024-12-31 \
        --by nationality --format json >"$out/overstays.json" 2>&1
    local rid doc
    rid=$(python3 -c 'import json,sys; r=[x for x in json.load(sys.stdin) if x["status"]=="open"]; print(r[0]["id"] if r else "")' <"$out/reviews.json")
    [ -n "$rid" ] || fail "the synthetic import left no review to resolve"
    "$F" review link "$rid" --by SUP1 --note parity >"$out/resolve" 2>&1
    doc=$(python3 -c 'import json,sys; r=[x for x in json.load(sys.stdin) if x["id"]=='"$rid"']; print(r[0]["document"])' <"$out/reviews.json")
    "$F" review split "$doc" --by SUP1 --note parity >"$out/split" 2>&1 || echo "rc $?" >>"$out/split"
    "$F" review list --all --json >"$out/reviews_after.json"
    for id in 1 2 3 5 8 13 21 34 55 89 144 233 377 610; do
        "$F" traveller "$id" --json >"$out/traveller_$id.json" 2>&1 || echo "rc $?" >>"$out/traveller_$id.json"
    done
}
linking "$T/link.db" "$T/link_sqlite"
PGL=$(pg_newdb link)
linking "$PGL" "$T/link_pg"
grep -q '"status":"open"\|"status": "open"' "$T/link_pg/reviews.json" || fail "no open review on PostgreSQL"
diff -r "$T/link_sqlite" "$T/link_pg" >"$T/diff" || fail "linking differs between SQLite and PostgreSQL: $(head -40 "$T/diff")"

# --- passports and identity cards: the candidate's document compared is its
# latest of the new one's kind, else its latest (docs/ledger.md); every
# candidate is put under review so that the evidence is printed and compared
kinds() {
    export FRONTERA_DB=$1
    "$F" init >/dev/null
    "$F" review thresholds --link-bits 99 --review-bits 1 >/dev/null
    local P=(--surname Quispe --given-names Rosa --nationality ECU --birth-date 1985-03-03 --sex F)
    "$F" record entry --event-id K1 --at 2024-01-10T10:00-05:00 --port ECUIO --document ECU:P100 \
        --document-type P --document-expiry 2024-08-01 "${P[@]}" --json
    "$F" record exit --event-id K2 --at 2024-01-20T10:00-05:00 --port ECUIO --document ECU:P100 --json
    # an identity card after a passport: held side by side, no renewal
    "$F" record entry --event-id K3 --at 2024-03-01T10:00-05:00 --port ECUIO --document ECU:I100 \
        --document-type I --document-expiry 2030-01-01 "${P[@]}" --json
    "$F" review link 1 --by SUP1 --note kinds
    "$F" record exit --event-id K4 --at 2024-03-05T10:00-05:00 --port ECUIO --document ECU:I100 --json
    # a new passport is compared with the old passport, not the later card
    "$F" record entry --event-id K5 --at 2024-07-05T10:00-05:00 --port ECUIO --document ECU:P200 \
        --document-type P --document-expiry 2034-06-01 "${P[@]}" --json
    "$F" review list --all --json
}
kinds "$T/kinds.db" >"$T/kinds_sqlite" 2>&1
kinds "$(pg_newdb kinds)" >"$T/kinds_pg" 2>&1
grep -q other_kind_held_side_by_side "$T/kinds_sqlite" || fail "no card-after-passport evidence: $(cat "$T/kinds_sqlite")"
grep -q renewal_due_and_issued_after_last_use "$T/kinds_sqlite" || fail "no passport renewal: $(cat "$T/kinds_sqlite")"
diff "$T/kinds_sqlite" "$T/kinds_pg" >"$T/diff" || fail "document kinds differ between SQLite and PostgreSQL: $(head -40 "$T/diff")"

# --- a newer schema is refused and left as it is
psql -q "$PG" -c "UPDATE frontera_schema SET version = 42"
[ "$(rc_of "$F" --db "$PG" init)" = 3 ] || fail "a newer schema was not refused"
grep -q 'schema version 42, newer than' "$T/err" || fail "unclear refusal: $(cat "$T/err")"
[ "$(psql -tAq "$PG" -c 'SELECT version FROM frontera_schema')" = 42 ] || fail "newer schema changed"

# --- migrate SQLite -> PostgreSQL -> SQLite, verified
PG2=$(pg_newdb copy)
"$F" migrate --from "sqlite:$SQ" --to "$PG2" >"$T/m1" || fail "migrate to PostgreSQL: $(cat "$T/m1")"
grep -q 'verified' "$T/m1" || fail "no verification: $(cat "$T/m1")"
"$F" migrate --from "$PG2" --to "$T/back.db" >"$T/m2" || fail "migrate back: $(cat "$T/m2")"
FRONTERA_DB=$T/back.db "$F" export >"$T/back.csv"
cmp -s "$T/back.csv" "$T/sqlite/export.csv" || fail "the round trip changed the export"
# a second run copies nothing and still verifies
"$F" migrate --from "sqlite:$SQ" --to "$PG2" >"$T/m3" || fail "second migrate: $(cat "$T/m3")"
grep -q 'copied 0 events' "$T/m3" || fail "second migrate copied again: $(cat "$T/m3")"
# a target holding other events is reported as different (exit 1)
FRONTERA_DB=$PG2 "$F" record entry --event-id EXTRA --at 2024-07-01T10:15-05:00 --port ECUIO \
    --document ECU:Q1 >/dev/null
[ "$(rc_of "$F" migrate --from "sqlite:$SQ" --to "$PG2")" = 1 ] || fail "a differing target passed"
for d in main copy link kinds; do psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS p$$_$d WITH (FORCE)" 2>/dev/null; done
echo "pg_parity: ok"
