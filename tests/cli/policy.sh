#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# policy.sh: `frontera policy check|lint|changes` on the shipped policies and
# on broken ones: China's 2024 change is visible on the right day, lint lists
# every error with file:line:column and exits 1, changes says who changed.
# Also runs the examples of docs/policy.md (lines starting "$ frontera policy").
set -euo pipefail
# grep -q stops at its first match, and under pipefail the writer then
# dies of SIGPIPE and a passing check fails by chance: read it all first.
grep_q() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
F=${FRONTERA:?FRONTERA must name the program}
SRC=${FR_SOURCE_DIR:?}
ECU=$SRC/data/policy/ecu.policy
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_rc() { local want=$1; shift; set +e; "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?; set -e
  [ "$rc" = "$want" ] || { cat "$tmp/out" "$tmp/err" >&2; fail "'$*' exited $rc, expected $want"; }; }

# the committed ecu.policy is exactly what its generator writes
if command -v python3 >/dev/null && [ -f "$SRC/../shared/data/visa/passport-index-2025-01-12-iso3.csv" ]; then
  python3 "$SRC/scripts/gen-ecu-policy.py" >"$tmp/gen.policy"
  diff -u "$ECU" "$tmp/gen.policy" >&2 || fail "data/policy/ecu.policy differs from scripts/gen-ecu-policy.py output"
fi
"$F" policy lint "$ECU" "$SRC/data/policy/schengen.policy" >"$tmp/out" || fail "shipped policies do not lint"
grep -q 'ecu.policy: ok' "$tmp/out" || fail "lint ok line"

"$F" policy check --policy "$ECU" --nationality CHN --on 2024-06-30 | grep_q 'visa_free' || fail "CHN 2024-06-30"
out=$("$F" policy check --policy "$ECU" --nationality CHN --on 2024-07-01 --json)
case $out in *'"regime":"visa_required"'*'"from":"2024-07-01"'*'18 Jun 2024'*) ;; *) fail "CHN 2024-07-01: $out";; esac
# nationalities as Ecuador's users write them: Spanish names, any case, accents or not
[ "$("$F" policy check --policy "$ECU" --nationality Alemania --on 2024-07-01 | cut -d' ' -f1)" = D ] || fail "Alemania"
[ "$("$F" policy check --policy "$ECU" --nationality 'estados unidos' --on 2024-07-01 | cut -d' ' -f1)" = USA ] ||
  fail "estados unidos"
[ "$("$F" policy check --policy "$ECU" --nationality Peru --on 2024-07-01 | cut -d' ' -f1)" = PER ] || fail "Peru"
[ "$("$F" policy check --policy "$ECU" --nationality 'Haiti' --on 2024-07-01 | cut -d' ' -f1)" = HTI ] || fail "Haiti (Haití)"
[ "$("$F" policy check --policy "$ECU" --nationality 'EE. UU.' --on 2024-07-01 | cut -d' ' -f1)" = USA ] || fail "EE. UU."
expect_rc 2 "$F" policy check --policy "$ECU" --nationality Atlantida --on 2024-07-01
# without --policy: $FRONTERA_POLICY, else Ecuador's, as admit does
FRONTERA_POLICY="$ECU" "$F" policy check --nationality CHN --on 2024-07-01 | grep_q 'visa_required' ||
  fail "policy check with \$FRONTERA_POLICY"
(unset FRONTERA_POLICY; "$F" policy check --nationality CHN --on 2024-06-30) | grep_q 'visa_free' ||
  fail "policy check without --policy does not read Ecuador's"
FRONTERA_POLICY=/nonexistent/x.policy expect_rc 3 "$F" policy changes --from 2024-01-01 --to 2024-12-31
"$F" policy check --policy "$ECU" --nationality COL --on 2024-07-01 | grep_q 'passport or national ID card' || fail "COL id card"
expect_rc 1 "$F" policy check --policy "$ECU" --nationality USA --on 2010-01-01
expect_rc 2 "$F" policy check --policy "$ECU" --nationality QQQ --on 2024-07-01
"$F" policy check --policy "$ECU" --nationality DEU --on 2024-07-01 >/dev/null || fail "DEU (ISO alpha-3) should be taken as D"
expect_rc 2 "$F" policy check --policy "$ECU" --nationality CHN --on 2024-07-01 --class tourist

# lint reports every error, with file:line:column, and exits 1
cat >"$tmp/bad.policy" <<'P'
rule XYZ visitor visa_free stay=rolling:90/180 from=2020-01-01 ref="x"
rule CHN visitor visa_free stay=period:90/1y from=2016-08-01 to=2024-06-30 ref="agreement"
rule CHN visitor visa_required from=2024-06-01 ref="communique"
rule USA visitor visa_free stay=rolling:90/180 from=2020-01-01
P
expect_rc 1 "$F" policy lint "$tmp/bad.policy"
grep -q "bad.policy:1:6: who: unknown country code 'XYZ'" "$tmp/err" || fail "lint country"
grep -q "bad.policy:4:1: ref: the rule has no legal reference" "$tmp/err" || fail "lint ref"
# overlaps are found only once the file parses; fix the parse errors and lint again
sed -i '1d;$d' "$tmp/bad.policy"
expect_rc 1 "$F" policy lint "$tmp/bad.policy"
grep -q "bad.policy:2:1: from: this visitor rule for CHN overlaps the rule on line 1" "$tmp/err" || fail "lint overlap"
# a bad file never yields an answer
expect_rc 1 "$F" policy check --policy "$tmp/bad.policy" --nationality CHN --on 2024-07-01

"$F" policy changes --policy "$ECU" --from 2024-01-01 --to 2024-12-31 >"$tmp/out"
grep -q '^2024-07-01: visa_free period:90/1y (line [0-9]*) -> visa_required' "$tmp/out" || fail "changes CHN"
grep -q 'for CHN (China)' "$tmp/out" || fail "changes who"
[ "$(grep -c '^20' "$tmp/out")" = 1 ] || fail "changes: only China changed in 2024"
# the nationality that changed is named in the user's language, also a code
# that is no ISO region (XXA: a stateless person)
cat >"$tmp/xxa.policy" <<'P'
jurisdiction ECU
rule XXA visitor visa_free stay=period:90/1y docs=passport from=2017-01-01 to=2024-06-30 ref="r1"
rule XXA visitor visa_required from=2024-07-01 ref="r2"
P
env -u LC_ALL -u LANGUAGE -u LC_MESSAGES LANG=es_EC.UTF-8 "$F" policy changes --policy "$tmp/xxa.policy" \
  --from 2024-01-01 --to 2024-12-31 >"$tmp/out"
grep -q 'para XXA (Persona apátrida (Convención de 1954))' "$tmp/out" || fail "changes who, in Spanish"
env -u LC_ALL -u LANGUAGE -u LC_MESSAGES LANG=C "$F" policy changes --policy "$tmp/xxa.policy" \
  --from 2024-01-01 --to 2024-12-31 >"$tmp/out"
grep -q 'for XXA (Stateless person (1954 Convention))' "$tmp/out" || fail "changes who, in English"
"$F" policy --help | grep_q 'Usage: frontera policy' || fail "--help"
expect_rc 3 "$F" policy lint "$tmp/no-such.policy"

# a rule's note in Spanish (note_es=) under a Spanish locale; both in the JSON
got=$(LANGUAGE=es "$F" policy check --policy "$ECU" --nationality CHN --on 2024-06-01)
grep_q -F "nota:       vigente desde agosto de 2016 (día no verificado)" <<<"$got" || fail "the note is not in Spanish: $got"
got=$("$F" policy check --policy "$ECU" --nationality CHN --on 2024-06-01)
grep_q -F "note:       in force since August 2016" <<<"$got" || fail "the English note changed: $got"
"$F" policy check --policy "$ECU" --nationality SSD --on 2024-01-01 --json | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["note"].startswith("APPROXIMATE: in force") and r["note_es"].startswith("APROXIMADO: vigente"), r
' || fail "policy check --json lacks note_es"

# a value's own parser's reason is said in Spanish too, not a Spanish prefix around English
printf 'jurisdiction ECU\nrule CHN visitor visa_free stay=rolling:90/18O from=2024-13-01\n' >"$tmp/es.policy"
set +e; got=$(LANGUAGE=es "$F" policy lint "$tmp/es.policy" 2>&1); set -e
grep_q -F "es.policy:2:46: stay: regla de estancia errónea: «O» inesperado después de la regla de estancia" <<<"$got" ||
  fail "stay rule error not all Spanish: $got"
grep_q -F "es.policy:2:58: from: from= necesita una fecha AAAA-MM-DD: el mes 13 no existe" <<<"$got" ||
  fail "date error not all Spanish: $got"

# the documentation's examples run as written
n=0
while IFS= read -r line; do
  cmd=${line#\$ frontera }
  read -r -a args <<<"$cmd"
  expected=$(awk -v l="$line" 'f && /^```/{exit} f{print} $0==l{f=1}' "$SRC/docs/policy.md")
  set +e; got=$(cd "$SRC" && "$F" "${args[@]}" 2>&1); set -e
  [ "$got" = "$expected" ] || fail "docs/policy.md example '$cmd' printed:
$got
expected:
$expected"
  n=$((n+1))
done < <(grep '^\$ frontera policy' "$SRC/docs/policy.md")
[ "$n" -ge 3 ] || fail "docs/policy.md has only $n runnable examples"
echo "policy.sh: ok"
