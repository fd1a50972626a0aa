#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# linkage.sh: document linking through the real program: a namesake's
# passport shown while the other is still in the country becomes a review
# (not a merge); review list shows the evidence; review link merges and
# re-pairs, review distinct closes, review split undoes a merge; every
# decision is in the link audit; thresholds are kept in the ledger; synth
# writes the ground truth apart from the import layout and linkeval measures
# the linking against it.
set -euo pipefail
# grep -q stops at its first match, and under pipefail the writer then
# dies of SIGPIPE and a passing check fails by chance: read it all first.
grep_q() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
F=${FRONTERA:?FRONTERA must name the program}
SRC=${FR_SOURCE_DIR:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
rc_of() { set +e; "$@" >"$T/out" 2>"$T/err"; local rc=$?; set -e; echo $rc; }
export FRONTERA_DB=$T/a.db
"$F" init >/dev/null

person() { # event kind at number expiry
    "$F" record "$2" --event-id "$1" --at "$3" --port ECUIO --document "CHN:$4" \
        --document-expiry "$5" --surname WANG --given-names RUOXI --nationality CHN \
        --birth-date 1986-06-18 --sex F --json
}
person W1 entry 2023-03-01T10:00-05:00 XV0241368 2031-01-01 >/dev/null
# the second WANG RUOXI enters while the first is still in the country
person W2 entry 2023-04-01T10:00-05:00 BI0530184 2032-02-02 >"$T/w2"
grep -q '"link": *"review"' "$T/w2" || fail "a namesake was not put under review: $(cat "$T/w2")"
"$F" traveller CHN:XV0241368 --json >"$T/t1"
grep -q 'entry_without_exit' "$T/t1" && fail "the namesake's entry was lent to the first traveller"
"$F" review list >"$T/list"
grep -q 'review 1 \[open\]: document CHN:BI0530184' "$T/list" || fail "review list: $(cat "$T/list")"
# the evidence in words, a comparison a line with its bits; the codes in the JSON
grep -q '^ *-[0-9.]*  an entry while the other is still in the country$' "$T/list" ||
    fail "no evidence in the list: $(cat "$T/list")"
grep -q 'entry_while_still_in_country' "$T/list" && fail "a code in the list: $(cat "$T/list")"
"$F" review list --json >"$T/list.json"
grep -q '"evidence"' "$T/list.json" && grep -q '"level": "entry_while_still_in_country"' "$T/list.json" ||
    fail "review list --json has no evidence: $(cat "$T/list.json")"
# in Spanish: the status, the weight and each comparison
env -u LC_ALL -u LANGUAGE -u LC_MESSAGES LANG=es_EC.UTF-8 "$F" review list >"$T/list.es"
grep -q '^revisión 1 \[abierta\]: el documento CHN:BI0530184' "$T/list.es" &&
  grep -q '^  peso [0-9.]* bits:' "$T/list.es" &&
  grep -q '^ *+[0-9.]*  misma fecha de nacimiento$' "$T/list.es" &&
  grep -q '^ *-[0-9.]*  una entrada mientras el otro sigue en el país$' "$T/list.es" ||
  fail "review list in Spanish: $(cat "$T/list.es")"

# decisions need a name; unknown reviews are findings
[ "$(rc_of "$F" review link 1)" = 2 ] || fail "review link without --by should be a usage error"
[ "$(rc_of "$F" review distinct 1 --by SUP-1)" = 2 ] || fail "a decision without --note should be a usage error"
[ "$(rc_of "$F" review distinct 1 --by SUP-1 --note "  ")" = 2 ] || fail "a blank --note should be a usage error"
[ "$(rc_of "$F" review link 99 --by SUP-1 --note "passports seen")" = 1 ] || fail "an unknown review should exit 1"
"$F" review distinct 1 --by SUP-1 --note "two women, photos differ" | grep_q 'two people' ||
    fail "review distinct"
[ "$(rc_of "$F" review link 1 --by SUP-1 --note "passports seen")" = 1 ] || fail "a closed review should exit 1"
"$F" review list | grep_q 'no reviews' || fail "the review is still open"

# a third passport, the first woman's, reviewed and linked: re-paired
person W3 exit 2023-04-10T10:00-05:00 XV0241368 2031-01-01 >/dev/null
person W4 entry 2023-05-01T10:00-05:00 ZZ0000001 2033-01-01 >"$T/w4"
grep -q '"link": *"review"' "$T/w4" || fail "third passport: $(cat "$T/w4")"
id=$("$F" review list --json | sed -n 's/.*"id": *\([0-9]*\).*/\1/p' | sed -n 1p)
[ -n "$id" ] || fail "no open review"
"$F" review link "$id" --by SUP-2 --note "same photo, renewed passport" | grep_q 'linked as the same person' || fail "review link"
"$F" traveller CHN:ZZ0000001 --json >"$T/t3"
grep -q '"XV0241368"' "$T/t3" || fail "not merged: $(cat "$T/t3")"
grep -q '"in_country": *true' "$T/t3" || fail "not re-paired: $(cat "$T/t3")"
# and split off again
"$F" review split chn:zz0000001 --by SUP-3 --note "wrong" | grep_q 'new traveller' ||
    fail "review split"
"$F" traveller CHN:XV0241368 --json | grep_q '"in_country": *false' || fail "split did not re-pair"
[ "$(rc_of "$F" review split CHN:ZZ0000001 --by SUP-3 --note "wrong link")" = 2 ] ||
    fail "splitting a traveller's only document should be refused"
if command -v sqlite3 >/dev/null; then
    [ "$(sqlite3 "$FRONTERA_DB" 'SELECT group_concat(action || ":" || actor) FROM link_audit')" = \
        "review_distinct:SUP-1,review_linked:SUP-2,split:SUP-3" ] || fail "link audit incomplete"
fi

# thresholds: kept in the ledger, checked
"$F" review thresholds --link-bits 14 | grep_q 'link at or above 14.00 bits' || fail "thresholds"
"$F" review thresholds | grep_q 'review at or above 4.00 bits' || fail "thresholds not kept"
[ "$(rc_of "$F" review thresholds --review-bits 20)" = 2 ] || fail "review above link accepted"
[ "$(rc_of "$F" review thresholds --link-bits x)" = 2 ] || fail "a bad number accepted"

# synth: the truth apart; linkeval against it
"$F" synth --scale 0.002 --seed 3 --out "$T/s.csv" --truth "$T/truth.csv" --quiet
head -1 "$T/s.csv" | grep_q person && fail "the ground truth leaked into the import layout"
[ "$(head -1 "$T/truth.csv")" = "event_id,person" ] || fail "truth header"
[ "$(wc -l <"$T/s.csv")" = "$(wc -l <"$T/truth.csv")" ] || fail "truth and events differ in count"
export FRONTERA_DB=$T/s.db
"$F" init >/dev/null
"$F" import "$T/s.csv" --no-policy >/dev/null 2>&1
rc=$(rc_of "$F" linkeval --truth "$T/truth.csv")
[ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "linkeval failed: $(cat "$T/err")"
grep -q '^all ' "$T/out" || fail "no total line: $(cat "$T/out")"
grep -q 'innocent referrals: ' "$T/out" || fail "no harm line"
# a truth that does not follow the ledger is refused with its line
sed '3d' "$T/truth.csv" >"$T/bad.csv"
[ "$(rc_of "$F" linkeval --truth "$T/bad.csv")" = 3 ] || fail "a wrong truth was accepted"
grep -q 'line 3' "$T/err" || fail "the wrong line is not named: $(cat "$T/err")"
# harm at the booth: a namesake forced onto another woman's record (thresholds
# set so low that any candidate links) would have her stay shortened by the
# other's 172 days; the booth does not apply days of another document without
# an officer (stay.other_documents: it refers with both figures), so
# linkeval --policy counts a referral, not a shortened stay; with the default
# thresholds the two stay apart (her passport was issued in 2020, while the
# other travelled on her own) and nothing is harmed
export FRONTERA_DB=$T/h.db
"$F" init >/dev/null
H='event_id,kind,at,port,document_type,document_state,document_number,document_expiry,surname,given_names,nationality,birth_date,sex,admission_class,authorised_until'
row() { echo "$1,$2,$3,ECUIO,P,COL,$4,$5,GOMEZ PEREZ,ANA,COL,1990-03-04,F,visitor,"; }
{ echo "$H"
  row H1 entry 2023-01-10T10:00-05:00 AA1000001 2023-12-31
  row H2 exit 2023-06-30T10:00-05:00 AA1000001 2023-12-31
  row H3 entry 2023-08-01T10:00-05:00 BB2000002 2030-05-05
} >"$T/h.csv"
printf 'event_id,person\nH1,1\nH2,1\nH3,2\n' >"$T/h.truth"
"$F" review thresholds --link-bits -100 --review-bits -200 >/dev/null
"$F" import "$T/h.csv" --policy "$SRC/data/policy/ecu.policy" >/dev/null 2>&1
[ "$(rc_of "$F" linkeval --truth "$T/h.truth" --policy "$SRC/data/policy/ecu.policy")" = 1 ] ||
    fail "a namesake's shortened stay was not a finding: $(cat "$T/out" "$T/err")"
grep -q '1 entries came after another person.s crossing: 0 refused, 0 stays shortened (0 days), 1 referred' "$T/out" ||
    fail "the other document's days were not referred: $(cat "$T/out")"
# (in a ledger of 3,000 travellers: in a ledger of one, any namesake is
# likely the same person, and the prior says so)
export FRONTERA_DB=$T/h2.db
"$F" init >/dev/null
awk -v h="$H" 'function nm(n,  s, k) { s = ""; for (k = 0; k < 7; k++) { s = s sprintf("%c", 65 + n % 26); n = int(n / 26) } return s }
    BEGIN { print h; for (i = 1; i <= 3000; i++)
    printf "O%d,entry,2022-06-01T10:00-05:00,ECUIO,P,COL,OT%07d,2030-01-01,%s,%s,COL,%d-%02d-%02d,M,visitor,\n",
        i, i, nm(i * 7919 + 13), nm(i * 104729 + 7), 1940 + i % 60, 1 + int(i / 60) % 12, 1 + int(i / 720) % 28 }' >"$T/h2.csv"
tail -n +2 "$T/h.csv" >>"$T/h2.csv"
{ echo event_id,person; for i in $(seq 3000); do echo "O$i,$((i + 10))"; done; tail -n +2 "$T/h.truth"; } >"$T/h2.truth"
"$F" import "$T/h2.csv" --policy "$SRC/data/policy/ecu.policy" >/dev/null 2>&1
# exit 1 all the same: one innocent referral (the namesake, reviewed) in 3,002 persons
[ "$(rc_of "$F" linkeval --truth "$T/h2.truth" --policy "$SRC/data/policy/ecu.policy")" = 1 ] ||
    fail "default thresholds: $(cat "$T/out" "$T/err")"
grep -q '0 entries came after another person.s crossing: 0 refused, 0 stays shortened' "$T/out" ||
    fail "harm without a wrong link: $(cat "$T/out")"
grep -q 'innocent referrals: 1 of 3002 persons' "$T/out" || fail "the namesake was not reviewed: $(cat "$T/out")"
echo "linkage: ok"
