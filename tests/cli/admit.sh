#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# admit.sh: the admission decision on a real SQLite ledger under Ecuador's
# policy: the 1 July 2024 boundary for Chinese visitors, a visa presented,
# an expired passport, a returning visitor whose days run out, idempotent
# recording, and the JSON keys.
set -euo pipefail
# grep -q stops at its first match, and under pipefail the writer then
# dies of SIGPIPE and a passing check fails by chance: read it all first.
grep_q() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
F=${FRONTERA:?}
SRC=${FR_SOURCE_DIR:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export FRONTERA_DB="$T/ledger.db" FRONTERA_POLICY="$SRC/data/policy/ecu.policy"
fail() { echo "FAIL: $*" >&2; exit 1; }
mk() { # mk NAT NUMBER EXPIRY [SURNAME GIVEN BIRTH] -> MRZ file
  local f="$T/$2.mrz"
  printf '{"format":"TD3","document_code":"P","issuing_state":"%s","surname":"%s","given_names":"%s","document_number":"%s","nationality":"%s","birth_date":"%s","sex":"M","expiry_date":"%s","optional_data":"","optional_data_2":null}' \
    "$1" "${4:-ZHANG}" "${5:-WEI}" "$2" "$1" "${6:-1985-03-14}" "$3" | "$F" mrz --make >"$f"
  echo "$f"
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

chn=$(mk CHN E12345678 2030-05-01)
# The day before the change: visa-free, 90 days counted with the entry day as day 1.
out=$("$F" admit --port ECUIO --at 2024-06-30T10:15-05:00 --json "$chn") || fail "CHN on 2024-06-30 not admitted: $out"
[ "$(echo "$out" | json 'd["decision"]')" = admit ] || fail "decision: $out"
[ "$(echo "$out" | json 'd["authorised_until"]')" = 2024-09-27 ] || fail "authorised_until: $out"
[ "$(echo "$out" | json 'd["traveller_id"]')" = None ] || fail "traveller_id should be null: $out"
# The day of the change: a visa is required and none is presented -> refused, ground C.
set +e; out=$("$F" admit --port ECUIO --at 2024-07-01T10:15-05:00 --json "$chn"); rc=$?; set -e
[ $rc = 1 ] || fail "refusal must exit 1, got $rc"
[ "$(echo "$out" | json 'd["decision"]')" = refuse ] || fail "decision on 2024-07-01: $out"
echo "$out" | json '[r["ground"] for r in d["reasons"] if r["code"]=="visa.required"][0]' | grep_q -x C \
  || fail "visa.required with ground C expected: $out"
[ "$(echo "$out" | json 'd["authorised_until"]')" = None ] || fail "no authorised_until on refusal"
# The same traveller with a visa reference: not refused (the visa sets the stay: a supervisor decides).
set +e; out=$("$F" admit --port ECUIO --at 2024-07-01T10:15-05:00 --visa V123456 --json "$chn"); set -e
[ "$(echo "$out" | json 'd["decision"]')" != refuse ] || fail "a visa holder must not be refused: $out"

# An expired passport: refused, ground A, whatever the nationality.
usa=$(mk USA 512345678 2024-01-31 SMITH JOHN 1970-01-01)
set +e; out=$("$F" admit --port ECGYE --at 2024-03-01T08:00-05:00 --json "$usa"); set -e
echo "$out" | json '[r["ground"] for r in d["reasons"] if r["code"]=="document.expired"][0]' | grep_q -x A \
  || fail "expired passport must be refused with ground A: $out"

# A returning visitor: 90 days per year from the first entry (LOMH art. 56).
ven=$(mk ESP XDA123456 2033-01-01 GARCIA LUIS 1980-02-02)
# --record never creates a ledger (a mistyped path would start an empty one, without the histories)
set +e; "$F" admit --port ECUIO --at 2024-01-10T09:00-05:00 --record "$ven" >/dev/null 2>"$T/noledger"; rc=$?; set -e
[ "$rc" = 3 ] || fail "admit --record without a ledger: exit $rc, want 3"
grep -q 'frontera init creates one' "$T/noledger" || fail "admit --record without a ledger: $(cat "$T/noledger")"
[ ! -e "$FRONTERA_DB" ] || fail "admit --record created a ledger"
"$F" init >/dev/null
out=$("$F" admit --port ECUIO --at 2024-01-10T09:00-05:00 --record --json "$ven") || fail "first entry: $out"
tid=$(echo "$out" | json 'd["traveller_id"]')
[ "$tid" != None ] || fail "recorded entry has a traveller id: $out"
"$F" record exit --event-id X1 --at 2024-03-09T20:00-05:00 --port ECUIO --document ESP:XDA123456 \
  --surname GARCIA --given-names LUIS --nationality ESP --birth-date 1980-02-02 --sex M >/dev/null
# 60 days used (10 Jan..9 Mar); back on 1 June: 30 days left in the year from 10 Jan 2024.
out=$("$F" admit --port ECUIO --at 2024-06-01T09:00-05:00 --intended-days 45 --json "$ven") || fail "return: $out"
[ "$(echo "$out" | json 'd["days_used"]')" = 60 ] || fail "days_used: $out"
[ "$(echo "$out" | json 'd["authorised_until"]')" = 2024-06-30 ] || fail "30 days left: $out"
echo "$out" | json '[r["code"] for r in d["reasons"]]' | grep_q stay.shortened || fail "shortened: $out"
# Recording the same admission twice is one event (idempotent retry).
"$F" admit --port ECUIO --at 2024-06-01T09:00-05:00 --record "$ven" >/dev/null
"$F" admit --port ECUIO --at 2024-06-01T09:00-05:00 --record "$ven" >/dev/null
n=$(sqlite3 "$FRONTERA_DB" "select count(*) from events")
[ "$n" = 3 ] || fail "expected 3 events (entry, exit, entry), found $n"
# Screening: a listed person under another romanisation is referred; a listed lost or stolen
# document is refused (ground A). Lists are picked up from $FRONTERA_WATCHLISTS.
export FRONTERA_WATCHLISTS="$T/lists"
printf 'id,list,name,aliases,birth_date,nationality,documents,reason\nW1,national,"CHANG, WEI",,1985-03-14,CHN,,test entry\n' >"$T/wl.csv"
"$F" watchlist import "$T/wl.csv" >/dev/null
printf 'state,number,type\nUSA,512345678,P\n' >"$T/lost.csv"
"$F" documents import "$T/lost.csv" >/dev/null
set +e; out=$("$F" admit --port ECUIO --at 2024-06-30T10:15-05:00 --json "$chn"); set -e
[ "$(echo "$out" | json 'd["decision"]')" = refer ] || fail "a watchlist match must be referred: $out"
echo "$out" | json '[r["code"] for r in d["reasons"]]' | grep_q 'watchlist\.' || fail "watchlist reason: $out"
usa2=$(mk USA 512345678 2031-01-31 SMITH JOHN 1970-01-01)
set +e; out=$("$F" admit --port ECGYE --at 2024-03-01T08:00-05:00 --json "$usa2"); set -e
echo "$out" | json '[r["ground"] for r in d["reasons"] if r["code"]=="document.lost_stolen"][0]' | grep_q -x A \
  || fail "a lost/stolen document must be refused with ground A: $out"
unset FRONTERA_WATCHLISTS

# Import: an entry with authorised_until left empty gets it from the policy and the history,
# exactly as at the booth (the second stay of the year has 90 - 30 = 60 days left).
export FRONTERA_DB="$T/import.db"
"$F" init >/dev/null
cat >"$T/rows.csv" <<'CSV'
event_id,kind,at,port,document_type,document_state,document_number,document_expiry,surname,given_names,nationality,birth_date,sex,admission_class,authorised_until
I1,entry,2024-06-30T10:00-05:00,ECUIO,P,CHN,E55555555,2031-01-01,LI,NA,CHN,1990-01-01,F,visitor,
I2,entry,2024-02-01T10:00-05:00,ECGYE,P,USA,511111111,2031-01-01,SMITH,ANN,USA,1970-01-01,F,visitor,
I3,exit,2024-03-01T10:00-05:00,ECGYE,P,USA,511111111,2031-01-01,SMITH,ANN,USA,1970-01-01,F,,
I4,entry,2024-08-01T10:00-05:00,ECGYE,P,USA,511111111,2031-01-01,SMITH,ANN,USA,1970-01-01,F,visitor,
I5,entry,2024-08-01T10:00-05:00,ECGYE,P,FRA,11AA22222,2031-01-01,MARTIN,LEA,FRA,1970-01-01,F,visitor,2024-08-10
CSV
"$F" import "$T/rows.csv" >/dev/null || fail "import with empty authorised_until"
got=$(sqlite3 "$FRONTERA_DB" "select event_id, date(authorised_until * 86400, 'unixepoch') from events order by event_id" | tr '\n' ' ')
echo "$got" | grep_q 'I1|2024-09-27' || fail "I1 should be completed to 2024-09-27: $got"
echo "$got" | grep_q 'I2|2024-04-30' || fail "I2 should be completed to 2024-04-30: $got"
echo "$got" | grep_q 'I4|2024-09-29' || fail "I4 (60 days left) should be 2024-09-29: $got"
echo "$got" | grep_q 'I5|2024-08-10' || fail "a given authorised_until is kept: $got"
# A re-run (after a crash, say) computes the same dates: every row is a duplicate.
"$F" import "$T/rows.csv" | grep_q '5 duplicates' || fail "re-import is all duplicates"

# Usage errors exit 2.
set +e; "$F" admit --at 2024-06-01T09:00-05:00 "$ven" >/dev/null 2>&1; rc=$?; set -e
[ $rc = 2 ] || fail "missing --port must exit 2"

# Screening fails closed: lists that were named but cannot be used refer the traveller with
# screening.failed (exit 1), never admit; without any list the decision carries a warning.
usb=$(mk USA 598765432 2033-01-01 JONES MARY 1975-05-05)
set +e; out=$("$F" admit --port ECUIO --at 2024-06-01T09:00-05:00 --watchlists "$T/no-such-dir" --json "$usb" 2>/dev/null); rc=$?; set -e
[ $rc = 1 ] || fail "named but missing lists must refer (exit 1), got $rc: $out"
[ "$(echo "$out" | json 'd["decision"]')" = refer ] || fail "missing lists: $out"
echo "$out" | json '[r["code"] for r in d["reasons"]]' | grep_q screening.failed || fail "screening.failed: $out"
set +e; out=$(FRONTERA_WATCHLISTS="$T/no-such-dir" "$F" admit --port ECUIO --at 2024-06-01T09:00-05:00 --json "$usb" 2>/dev/null); rc=$?; set -e
[ $rc = 1 ] || fail "lists named in FRONTERA_WATCHLISTS but missing must refer, got $rc: $out"
mkdir -p "$T/badlists" && printf 'not,a,watchlist\n1,2,3\n' >"$T/badlists/x.wl.csv"
set +e; out=$("$F" admit --port ECUIO --at 2024-06-01T09:00-05:00 --watchlists "$T/badlists" --json "$usb" 2>/dev/null); rc=$?; set -e
[ "$(echo "$out" | json 'd["decision"]')" != admit ] || fail "unloadable lists must not admit: $out"
(cd "$T" && "$F" admit --port ECUIO --at 2024-06-01T09:00-05:00 --json "$usb") >"$T/out.json" || fail "no lists: $(cat "$T/out.json")"
json '[r["level"] for r in d["reasons"] if r["code"]=="screening.not_configured"][0]' <"$T/out.json" | grep_q -x warning \
  || fail "no lists configured must be a warning: $(cat "$T/out.json")"
# The README's booth example runs as written, on the sample passport it names.
(cd "$SRC" && "$F" admit --port ECUIO --at 2024-07-01T10:15-05:00 data/demo/passport.txt) >"$T/readme.out" 2>/dev/null || true
head -1 "$T/readme.out" | grep_q -x 'REFUSE: ZHANG, WEI (CHN E12345678)' \
  || fail "the README's refusal on data/demo/passport.txt: $(cat "$T/readme.out")"
grep -q 'admit --port ECUIO --at 2024-07-01T10:15-05:00 data/demo/passport.txt' "$SRC/README.md" \
  || fail "README.md no longer shows data/demo/passport.txt"
# The same admission recorded twice: the second says nothing was added
"$F" admit --port ECUIO --at 2024-06-30T10:15-05:00 --record "$SRC/data/demo/passport.txt" >"$T/rec1" 2>/dev/null
"$F" admit --port ECUIO --at 2024-06-30T10:15-05:00 --record "$SRC/data/demo/passport.txt" >"$T/rec2" 2>/dev/null
tail -1 "$T/rec1" | grep_q '^Recorded as ADM-CHN-E12345678-1719760500 ' || fail "first record: $(cat "$T/rec1")"
tail -1 "$T/rec2" | grep_q '^Already recorded as ADM-CHN-E12345678-1719760500 .*nothing was added' ||
  fail "second record: $(cat "$T/rec2")"
# A check digit's sentence says its place once (not "Line 2, column 10: ... (line 2, column 10)")
sed 's/E123456782/E123456783/' "$SRC/data/demo/passport.txt" >"$T/badcd.txt"
"$F" admit --port ECUIO --at 2024-06-30T10:15-05:00 "$T/badcd.txt" >"$T/badcd.out" 2>/dev/null || true
grep -q '^? The check digit of the document number (line 2, column 10) is 3, but E12345678 gives 2' "$T/badcd.out" \
  || fail "the check digit reason: $(cat "$T/badcd.out")"
! grep -q 'Line 2, column 10: The check digit' "$T/badcd.out" || fail "the place is said twice: $(cat "$T/badcd.out")"
echo "admit.sh: all passed"
