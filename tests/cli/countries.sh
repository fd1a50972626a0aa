#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# countries.sh: `frontera countries` speaks the user's language in every row
# (ctest cli.countries). Under a Spanish locale the kind column says estado,
# organización or nacionalidad, and the codes that are no ISO region (XXA,
# XXB, EUE, UNO, ANT ...) have Spanish names, as the states always had; the
# Spanish names are read back as codes; in English nothing changes.
set -euo pipefail
# grep -q stops at its first match, and under pipefail the writer then
# dies of SIGPIPE and a passing check fails by chance: read it all first.
grep_q() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
F=${FRONTERA:?FRONTERA must name the program}
fail() { echo "countries.sh: FAIL: $*" >&2; exit 1; }
es() { env -u LC_ALL -u LANGUAGE -u LC_MESSAGES LANG=es_EC.UTF-8 "$F" "$@"; }
en() { env -u LC_ALL -u LANGUAGE -u LC_MESSAGES LANG=C "$F" "$@"; }

en_list=$(en countries)
es_list=$(es countries)
[ "$(grep -c . <<<"$en_list")" -gt 260 ] || fail "the code table is short"
[ "$(grep -c . <<<"$es_list")" = "$(grep -c . <<<"$en_list")" ] || fail "the Spanish list has other rows"

# the kind column
cut -f2 <<<"$en_list" | sort -u | tr '\n' ' ' | grep_q -x 'nationality organisation state ' ||
  fail "English kinds: $(cut -f2 <<<"$en_list" | sort -u | tr '\n' ' ')"
cut -f2 <<<"$es_list" | sort -u | tr '\n' ' ' | grep_q -x 'estado nacionalidad organización ' ||
  fail "Spanish kinds: $(cut -f2 <<<"$es_list" | sort -u | tr '\n' ' ')"

# every row has a name; every code that is no state, and the former states,
# is named differently in Spanish (the English name was shown before)
paste <(cut -f1,3 <<<"$en_list") <(cut -f1,2,3 <<<"$es_list") >"${TMPDIR:-/tmp}/countries.$$"
trap 'rm -f "${TMPDIR:-/tmp}/countries.$$"' EXIT
while IFS=$'\t' read -r code en_name es_code es_kind es_name; do
  [ "$code" = "$es_code" ] || fail "row of $code is $es_code in Spanish"
  [ -n "$es_name" ] || fail "$code has no Spanish name"
  case "$es_kind:$code" in
    estado:ANT | estado:NTZ | nacionalidad:* | organización:*)
      [ "$es_name" != "$en_name" ] || fail "$code is still English in Spanish: $en_name" ;;
  esac
done <"${TMPDIR:-/tmp}/countries.$$"

row() { printf '%s\t%s\t%s' "$1" "$2" "$3"; }
[ "$(es countries XXA)" = "$(row XXA nacionalidad 'Persona apátrida (Convención de 1954)')" ] ||
  fail "XXA: $(es countries XXA)"
[ "$(es countries xxb)" = "$(row XXB nacionalidad 'Refugiado (Convención de 1951)')" ] ||
  fail "XXB: $(es countries xxb)"
[ "$(es countries EUE)" = "$(row EUE organización 'Unión Europea')" ] || fail "EUE: $(es countries EUE)"
[ "$(es countries UNO)" = "$(row UNO organización 'Organización de las Naciones Unidas')" ] ||
  fail "UNO: $(es countries UNO)"
[ "$(es countries D)" = "$(row D estado Alemania)" ] || fail "D: $(es countries D)"
# English as before
[ "$(en countries XXA)" = "$(row XXA nationality 'Stateless person (1954 Convention)')" ] ||
  fail "XXA in English: $(en countries XXA)"
[ "$(en countries EUE)" = "$(row EUE organisation 'European Union')" ] || fail "EUE in English"
# Spanish names are read back, in any case and without accents
[ "$(es countries 'union europea' | cut -f1)" = EUE ] || fail "'union europea' is not EUE"
[ "$(en countries 'Persona apátrida (Convención de 1954)' | cut -f1)" = XXA ] ||
  fail "the Spanish name of XXA is not read"
exit 0
