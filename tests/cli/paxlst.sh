#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# paxlst.sh: `frontera paxlst` on real manifests (the GTAS samples copied
# into tests/data/paxlst): the JSON keys the issue names, exit codes (0 all
# valid, 1 findings, 2 usage, 3 failure), strict vs --lenient, several files
# in one run, standard input, and the docs/paxlst.md example.
set -euo pipefail
F=${FRONTERA:?FRONTERA must name the program}
SRC=${FR_SOURCE_DIR:?}
D=$SRC/tests/data/paxlst
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
rc_of() { set +e; "$@" >"$T/out" 2>"$T/err"; local rc=$?; set -e; echo "$rc"; }
expect_rc() { local want=$1; shift; local rc; rc=$(rc_of "$@")
  [ "$rc" = "$want" ] || { cat "$T/err" >&2; fail "'$*' exited $rc, expected $want"; }; }

# 1. a valid D05B message with two progressive legs: exit 0, the keys in order
expect_rc 0 "$F" paxlst "$D/gtas_apisMessage_d05b_2legs.edi"
[ "$(wc -l < "$T/out")" = 1 ] || fail "one message, one line"
keys=$(jq -c 'keys_unsorted' "$T/out")
[ "$keys" = '["file","valid","findings","message","interchange","legs","persons"]' ] || fail "keys $keys"
jq -e '.message == {"ref":"PAX001","type":"PAXLST","version":"D05B","agency":"UN","document":"745"}' \
  "$T/out" >/dev/null || fail "message header"
jq -e '.interchange | .sender == "AIR1" and .recipient == "DHS" and .prepared == "2007-02-18T15:45"
  and .control_ref == "000006640"' "$T/out" >/dev/null || fail "interchange"
jq -e '.legs == [{"flight":"AA123","carrier":"AA","from":"ATL","to":"ORD","departure":"2007-02-19T15:40",
  "arrival":"2007-02-19T17:40"},{"flight":"AA124","carrier":"AA","from":"ORD","to":"JFK",
  "departure":"2007-02-19T18:40","arrival":"2007-02-19T19:55"}]' "$T/out" >/dev/null || fail "legs"
jq -e '.persons[1] | .role == "FL" and .surname == "CLARK" and .given_names == "CHERYL" and .sex == "F"
  and .birth_date == "1973-04-07" and .embarkation_port == "ORD" and .documents == []' "$T/out" \
  >/dev/null || fail "person 2"
jq -e '.findings[0] | keys_unsorted == ["code","severity","segment","line","column","message"]
  and .code == "segment.space" and .severity == "warning"' "$T/out" >/dev/null || fail "finding keys"

# 2. a defective file: exit 1; strict withholds the persons, --lenient gives them and says so
expect_rc 1 "$F" paxlst "$D/gtas_tamr_flight1_d02b_bags_visas.edi"
jq -e '.valid == false and (.persons | length) == 0 and .findings[0].code == "unt.count"
  and .findings[0].segment == 182 and .findings[0].line == 182' "$T/out" >/dev/null || fail "strict"
expect_rc 1 "$F" paxlst --lenient "$D/gtas_tamr_flight1_d02b_bags_visas.edi"
jq -e '(.persons | length) == 10 and any(.findings[]; .code == "lenient.extracted")
  and .persons[0].documents[1] == {"type":"V","number":"57131424","expiry":"2021-07-29",
  "issuing_country":"USA"}' "$T/out" >/dev/null || fail "lenient: visa as second DOC"

# 3. several files, one line per message, exit 1 when any is invalid; stdin with -
expect_rc 1 "$F" paxlst "$D/gtas_apisMessage_d05b_2legs.edi" "$D/gtas_Test1_d02b_crew.edi"
[ "$(wc -l < "$T/out")" = 2 ] || fail "two files, two lines"
expect_rc 0 "$F" paxlst - < "$D/gtas_apisMessage_d05b_2legs.edi"
jq -e '.file == "-"' "$T/out" >/dev/null || fail "stdin file name"

# 4. not EDIFACT at all: one object without a message, exit 1
printf 'hello\n' > "$T/x.edi"
expect_rc 1 "$F" paxlst "$T/x.edi"
jq -e '.message == null and .findings[0].code == "interchange.missing"' "$T/out" >/dev/null \
  || fail "not EDIFACT"

# 5. usage and failure
expect_rc 2 "$F" paxlst
expect_rc 2 "$F" paxlst --bogus "$T/x.edi"
expect_rc 3 "$F" paxlst "$T/does-not-exist.edi"
expect_rc 0 "$F" paxlst --help
grep -q 'Exit status' "$T/out" || fail "--help"

# 6. the docs/paxlst.md example
sed -n '/<!-- example:paxlst -->/,/<!-- end -->/p' "$SRC/docs/paxlst.md" | sed -n '/^```edifact$/,/^```$/p' \
  | sed '1d;$d' > "$T/doc.edi"
sed -n '/<!-- example:paxlst -->/,/<!-- end -->/p' "$SRC/docs/paxlst.md" | sed -n '/^```json$/,/^```$/p' \
  | sed '1d;$d' > "$T/doc.json"
[ -s "$T/doc.edi" ] && [ -s "$T/doc.json" ] || fail "docs/paxlst.md example not found"
expect_rc 0 "$F" paxlst "$T/doc.edi"
jq -S '.file = "example.edi"' "$T/out" > "$T/got.json"
jq -S . "$T/doc.json" > "$T/want.json"
diff -u "$T/want.json" "$T/got.json" || fail "docs/paxlst.md example differs"
echo ok
