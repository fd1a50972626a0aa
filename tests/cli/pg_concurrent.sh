#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pg_concurrent.sh: imports into one PostgreSQL ledger from several processes
# at once give the links of a sequential import (docs/ledger.md, "Linking on
# PostgreSQL"):
# - the same file imported by two processes at once = one import of it:
#   the same documents grouped into the same travellers with the same link
#   kinds, the same reviews, every event once, pairing and anomalies alike;
# - two files whose travellers cannot be candidates of each other (split by
#   birth year: every blocking key of a birth date lies in its year),
#   imported at once give the travellers, renewal links and pairing of an
#   import of one after the other; the reviews' weights differ by the
#   frequencies seen when each was decided (a nationality's count, and a
#   name's count over all birth years, can be twice as large or more one way
#   as the other: a bit or two), so a review within 3 bits of the review
#   threshold may be in one ledger only, and the same review may weigh up to
#   3 bits more or less;
# - in both, the event sequence numbers every event once, without gaps.
set -euo pipefail
F=${FRONTERA:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
. "$(dirname "$0")/pg_common.inc" # ADMIN (or a skip), pg_newdb
DBS=()
newdb() {
    local name=c$$_$1
    psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name" \
        >/dev/null 2>&1
    DBS+=("$name")
    "$F" --db "${ADMIN%/*}/$name" init >/dev/null
    echo "${ADMIN%/*}/$name"
}
sql() { psql -tAq "$1" -c "$2"; }
# the ledger's links, independent of ids: each traveller as its documents
# (with link kinds) and each event with its traveller's first document and
# its pairing ($2.links); each review as document, status, weight and the
# candidate's first document ($2.reviews)
canon() {
    # $3 "loose": a new traveller with a review (link 4) counts as a new one
    # (2): whether the review exists is compared with the reviews, in margin
    local link=link
    [ "${3:-}" = loose ] && link="CASE link WHEN 4 THEN 2 ELSE link END"
    {
        sql "$1" "SELECT string_agg(state || ':' || number || '/' || $link, ' '
                  ORDER BY state, number) FROM documents GROUP BY traveller_id ORDER BY 1"
        sql "$1" "SELECT e.event_id || ' ' || e.anomalies || ' ' || (e.paired_id IS NULL) || ' '
                  || (SELECT min(x.state || ':' || x.number) FROM documents x
                      WHERE x.traveller_id = e.traveller_id) FROM events e ORDER BY 1"
    } >"$2.links"
    sql "$1" "SELECT d.state || ':' || d.number || ' ' || r.status || ' ' || r.bits || ' '
              || (SELECT min(x.state || ':' || x.number) FROM documents x
                  WHERE x.traveller_id = r.candidate_id)
              FROM link_reviews r JOIN documents d ON d.id = r.document_id ORDER BY 1" >"$2.reviews"
}
seq_ok() {
    [ "$(sql "$1" "SELECT (SELECT count(*) FROM events) || ' ' || count(*) || ' ' || count(DISTINCT id)
                   || ' ' || coalesce(max(seq), 0) FROM event_seq")" = "$2 $2 $2 $2" ] ||
        fail "event sequence of $1: $(sql "$1" "SELECT count(*), max(seq) FROM event_seq")"
}

"$F" synth --seed 5 --scale 0.005 --out "$T/all.csv" --quiet
rows=$(($(wc -l <"$T/all.csv") - 1))
python3 - "$T/all.csv" "$T/even.csv" "$T/odd.csv" <<'PY'
import csv, sys
src, even, odd = sys.argv[1:4]
with open(src, newline="") as f, open(even, "w", newline="") as e, open(odd, "w", newline="") as o:
    r = csv.reader(f); we, wo = csv.writer(e), csv.writer(o)
    head = next(r); we.writerow(head); wo.writerow(head)
    b = head.index("birth_date")
    for row in r:
        (we if int(row[b][:4] or 0) % 2 == 0 else wo).writerow(row)
PY

# --- the same file, two processes at once
ONE=$(newdb one)
"$F" --db "$ONE" import "$T/all.csv" --batch 2000 >/dev/null 2>&1
TWO=$(newdb two)
"$F" --db "$TWO" import "$T/all.csv" --batch 2000 >"$T/a.out" 2>&1 &
pa=$!
"$F" --db "$TWO" import "$T/all.csv" --batch 2000 >"$T/b.out" 2>&1 &
pb=$!
wait $pa || fail "first importer: $(cat "$T/a.out")"
wait $pb || fail "second importer: $(cat "$T/b.out")"
canon "$ONE" "$T/one"
canon "$TWO" "$T/two"
for k in links reviews; do
    diff "$T/one.$k" "$T/two.$k" >"$T/diff" ||
        fail "two importers of one file differ from one ($k): $(head -20 "$T/diff")"
done
seq_ok "$ONE" "$rows"
seq_ok "$TWO" "$rows"

# --- two files of disjoint candidates, at once vs one after the other
SEQ=$(newdb seq)
"$F" --db "$SEQ" import "$T/even.csv" --batch 1000 >/dev/null 2>&1
"$F" --db "$SEQ" import "$T/odd.csv" --batch 1000 >/dev/null 2>&1
PAR=$(newdb par)
"$F" --db "$PAR" import "$T/even.csv" --batch 1000 >"$T/a.out" 2>&1 &
pa=$!
"$F" --db "$PAR" import "$T/odd.csv" --batch 1000 >"$T/b.out" 2>&1 &
pb=$!
wait $pa || fail "even importer: $(cat "$T/a.out")"
wait $pb || fail "odd importer: $(cat "$T/b.out")"
canon "$SEQ" "$T/seq" loose
canon "$PAR" "$T/par" loose
diff "$T/seq.links" "$T/par.links" >"$T/diff" ||
    fail "concurrent imports link differently from sequential: $(head -20 "$T/diff")"
python3 - "$T/seq.reviews" "$T/par.reviews" <<'PY' || fail "reviews differ beyond the frequency margin"
import sys
REVIEW, MARGIN = 4.0, 3.0  # the default review threshold; see the header
def load(p):
    out = {}
    for line in open(p):
        doc, status, bits, cand = line.split()
        out[(doc, cand)] = (status, float(bits))
    return out
a, b = load(sys.argv[1]), load(sys.argv[2])
bad = []
for k in set(a) | set(b):
    if k in a and k in b:
        if a[k][0] != b[k][0] or abs(a[k][1] - b[k][1]) > MARGIN: bad.append((k, a[k], b[k]))
    else:
        bits = (a.get(k) or b.get(k))[1]
        if bits >= REVIEW + MARGIN: bad.append((k, a.get(k), b.get(k)))
for x in bad: print(x, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
seq_ok "$PAR" "$rows"
[ "$(sql "$PAR" "SELECT count(*) FROM documents WHERE link = 3")" -gt 0 ] || fail "no renewal was linked"

for d in "${DBS[@]}"; do psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" 2>/dev/null; done
echo "pg_concurrent: ok ($rows events; two importers of one file = one; disjoint files at once = in turn)"
