#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# i18n.sh: the program speaks Spanish when asked (ctest cli.i18n).
# 1. Every message marked for translation in cmd/frontera/ (_(), N_(),
#    ngettext() and cli_usage_error's format, found by xgettext) has a Spanish
#    translation in po/es.po that is neither missing, empty nor fuzzy: adding
#    a marked message without its translation fails here.
# 2. No human sentence is left unmarked: scripts/check-i18n.py finds string
#    literals with English words outside _()/N_() (machine output is listed
#    in scripts/i18n-allow.txt), and is shown to find one.
# 3. LANG=es_EC.UTF-8 gives Spanish help, errors and admission decisions
#    (also where es_EC.UTF-8 is not generated on the machine), LANG=C English,
#    and the JSON stays the same in both (codes and keys are not translated).
#    Every subcommand's --help is Spanish ('Usage:' never appears, and the
#    text differs from the English one); library errors and admission reasons
#    met at the booth, and report headings, are Spanish.
set -euo pipefail
: "${FRONTERA:?}" "${FR_SOURCE_DIR:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "i18n.sh: FAIL: $*" >&2; exit 1; }

# 1. the catalogue is complete
KEYS=(-k_ -kN_ -kngettext:1,2 -kcli_usage_error:2)
SOURCES=("$FR_SOURCE_DIR"/cmd/frontera/*.[ch])
xgettext --from-code=UTF-8 "${KEYS[@]}" --no-location -o "$T/frontera.pot" "${SOURCES[@]}"
n=$(grep -c '^msgid ' "$T/frontera.pot")
[ "$n" -gt 400 ] || fail "xgettext found only $n messages: are they still marked with _()?"
msgmerge --quiet --no-fuzzy-matching -o "$T/merged.po" "$FR_SOURCE_DIR/po/es.po" "$T/frontera.pot"
untranslated=$(msgattrib --untranslated --no-obsolete "$T/merged.po" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$T/merged.po" | grep -c '^msgid ' || true)
# msgattrib prints the header entry (msgid "") whenever it prints anything
[ "$untranslated" -le 1 ] && [ "$fuzzy" -le 1 ] || {
  msgattrib --untranslated --no-obsolete "$T/merged.po" >&2
  fail "po/es.po lacks translations for messages in cmd/frontera/ (shown above)"
}
msgfmt --check -o /dev/null "$FR_SOURCE_DIR/po/es.po" || fail "po/es.po does not compile"

# The check must be able to fail: a marked message with no translation is found.
printf '#include "i18n.h"\nconst char *x = N_("a message nobody translated");\n' >"$T/extra.c"
xgettext --from-code=UTF-8 "${KEYS[@]}" --no-location -o "$T/extra.pot" "${SOURCES[@]}" "$T/extra.c"
msgmerge --quiet --no-fuzzy-matching -o "$T/extra.po" "$FR_SOURCE_DIR/po/es.po" "$T/extra.pot"
msgattrib --untranslated --no-obsolete "$T/extra.po" | grep -q 'a message nobody translated' ||
  fail "the completeness check does not see an untranslated message"

# 2. nothing human is left unmarked, and the check sees an unmarked string
python3 "$FR_SOURCE_DIR/scripts/check-i18n.py" >&2 ||
  fail "cmd/frontera/ prints English sentences not marked for translation (listed above)"
cat >"$T/unmarked.c" <<'C'
#include <stdio.h>
#include "i18n.h"
static void f(int n)
{
    printf("{\"count\":%d}\n", n);         /* JSON: not a message */
    fputs("date,port,count\n", stdout);     /* a CSV heading: not a message */
    fprintf(stderr, _("frontera x: %d rows\n"), n);
    fprintf(stderr, "frontera x: the ledger is broken\n");
    puts("  status:  %s");
}
C
set +e
python3 "$FR_SOURCE_DIR/scripts/check-i18n.py" "$T/unmarked.c" >"$T/unmarked.out" 2>&1
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "check-i18n.py exits $rc on an unmarked sentence, not 1"
grep -q 'the ledger is broken' "$T/unmarked.out" || fail "check-i18n.py misses an unmarked sentence"
grep -q 'status:' "$T/unmarked.out" || fail "check-i18n.py misses an unmarked printed label"
[ "$(grep -c 'not marked' "$T/unmarked.out")" -eq 2 ] ||
  fail "check-i18n.py flags machine output or marked text: $(cat "$T/unmarked.out")"

# 3. the program in Spanish
es() { env -u LC_ALL -u LANGUAGE -u LC_MESSAGES LANG=es_EC.UTF-8 "$FRONTERA" "$@"; }
en() { env -u LC_ALL -u LANGUAGE -u LC_MESSAGES LANG=C "$FRONTERA" "$@"; }
es --help >"$T/help.es"
grep -q '^Subórdenes:' "$T/help.es" || fail "LANG=es_EC.UTF-8 frontera --help is not Spanish: $(head -3 "$T/help.es")"
grep -q 'decidir en la cabina admitir, derivar o rechazar' "$T/help.es" || fail "the subcommand summaries are not Spanish"
en --help | grep -q '^Subcommands:' || fail "LANG=C frontera --help is not English"
set +e
es --no-such-option 2>"$T/err.es"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "an unknown option exits $rc, not 2"
grep -q 'opción desconocida «--no-such-option»' "$T/err.es" || fail "the usage error is not Spanish: $(cat "$T/err.es")"
es admit --help | grep -q '^Uso: frontera' || fail "frontera admit --help is not Spanish"
es sync --help | grep -q '^Uso: frontera' || fail "frontera sync --help is not Spanish"
es --db "$T/post.db" init >/dev/null
es --db "$T/post.db" sync status | grep -q 'aún no se ha sincronizado' || fail "frontera sync status is not Spanish"
es --db "$T/post.db" sync status --central http://127.0.0.1:9 | grep -q '^eventos en espera    0' ||
  fail "the post officer's sync status is not Spanish: $(es --db "$T/post.db" sync status --central http://127.0.0.1:9)"
en --db "$T/post.db" sync status --central http://127.0.0.1:9 | grep -q '^events waiting   0' || fail "LANG=C sync status is not English"

export FRONTERA_DB="$T/ledger.db"
printf '%s\n' '{"format":"TD3","document_code":"P","issuing_state":"USA","surname":"TESTER","given_names":"ANN","document_number":"BT1234567","nationality":"USA","birth_date":"1985-03-14","sex":"F","expiry_date":"2033-05-20"}' |
  "$FRONTERA" mrz --make --today 2025-01-15 >"$T/usa.mrz"
pol="$FR_SOURCE_DIR/data/policy/ecu.policy"
es admit --policy "$pol" --port ECUIO --at 2024-12-15T10:00-05:00 "$T/usa.mrz" >"$T/admit.es" 2>/dev/null ||
  fail "the admission in Spanish did not admit: $(cat "$T/admit.es")"
grep -q '^ADMITIR: TESTER, ANN' "$T/admit.es" || fail "the decision is not in Spanish: $(cat "$T/admit.es")"
grep -q '^Autorizado hasta el 20[0-9-]*$' "$T/admit.es" || fail "the authorised date line is not in Spanish"
en admit --policy "$pol" --port ECUIO --at 2024-12-15T10:00-05:00 "$T/usa.mrz" 2>/dev/null | grep -q '^ADMIT: TESTER' ||
  fail "the decision in English changed"
es admit --json --policy "$pol" --port ECUIO --at 2024-12-15T10:00-05:00 "$T/usa.mrz" >"$T/a.es.json" 2>/dev/null
en admit --json --policy "$pol" --port ECUIO --at 2024-12-15T10:00-05:00 "$T/usa.mrz" >"$T/a.en.json" 2>/dev/null
cmp -s "$T/a.es.json" "$T/a.en.json" || fail "the JSON answer depends on the language"
grep -q '"decision":"admit"' "$T/a.es.json" || fail "the JSON decision code is translated"

# every subcommand's help
subs=$(en --help | sed -n '/^Subcommands:/,/^$/p' | awk 'NF > 1 {print $1}')
[ "$(echo "$subs" | wc -w)" -gt 20 ] || fail "could not list the subcommands: $subs"
helps=0
for s in $subs "report flows" "report overstays" "report alerts" "report whatif" \
  "report backtest" "manifest reconcile"; do
  # shellcheck disable=SC2086 # "report flows" is two words
  es $s --help >"$T/h.es" 2>&1 || true
  # shellcheck disable=SC2086
  en $s --help >"$T/h.en" 2>&1 || true
  grep -q '^Usage:' "$T/h.en" || fail "frontera $s --help in English has no usage line"
  grep -q 'Usage:' "$T/h.es" && fail "frontera $s --help under LANG=es_EC.UTF-8 is English: $(head -2 "$T/h.es")"
  grep -q '^Uso: ' "$T/h.es" || fail "frontera $s --help under LANG=es_EC.UTF-8 has no 'Uso:' line"
  cmp -s "$T/h.es" "$T/h.en" && fail "frontera $s --help is the same in both languages"
  helps=$((helps + 1))
done

# the library's words at the booth: a date that does not exist, an expired
# document, a misread check digit; English unchanged
set +e
es admit --policy "$pol" --port ECUIO --at 2024-02-30T10:00-05:00 "$T/usa.mrz" 2>"$T/err.es" >/dev/null
set -e
grep -q 'ese día no existe en el calendario' "$T/err.es" || fail "a bad date is not explained in Spanish: $(cat "$T/err.es")"
printf '%s\n' '{"format":"TD3","document_code":"P","issuing_state":"USA","surname":"TESTER","given_names":"BEN","document_number":"BT7654321","nationality":"USA","birth_date":"1985-03-14","sex":"M","expiry_date":"2024-05-20"}' |
  "$FRONTERA" mrz --make --today 2024-01-15 >"$T/old.mrz"
es admit --policy "$pol" --port ECUIO --at 2024-12-15T10:00-05:00 "$T/old.mrz" >"$T/old.es" 2>/dev/null && fail "an expired document was admitted"
grep -q '^RECHAZAR' "$T/old.es" && grep -q 'El documento caducó el 2024-05-20' "$T/old.es" ||
  fail "the refusal's reason is not Spanish: $(cat "$T/old.es")"
en admit --policy "$pol" --port ECUIO --at 2024-12-15T10:00-05:00 "$T/old.mrz" >"$T/old.en" 2>/dev/null || true
grep -q 'The document expired on 2024-05-20' "$T/old.en" || fail "the English reason changed"
# one digit of the document number changed: its check digit no longer holds
sed '2s/^BT7654321/BT7654322/' "$T/old.mrz" >"$T/misread.mrz"
es admit --policy "$pol" --port ECUIO --at 2024-12-15T10:00-05:00 "$T/misread.mrz" >"$T/mis.es" 2>/dev/null || true
grep -q 'el dígito de control del número del documento es 0, pero BT7654322 da 1' "$T/mis.es" ||
  fail "a check digit finding is not Spanish: $(cat "$T/mis.es")"

# a report's text headings (from a CSV, no ledger needed)
"$FRONTERA" synth --scale 0.0002 --quiet --out "$T/synth.csv"
es report flows --csv-input "$T/synth.csv" --by year >"$T/flows.es"
head -1 "$T/flows.es" | grep -q '^año  *entradas  *salidas  *rechazos' ||
  fail "the flows report's headings are not Spanish: $(head -1 "$T/flows.es")"
grep -q '^TOTAL' "$T/flows.es" || fail "the flows report has no total line"
en report flows --csv-input "$T/synth.csv" --by year | head -1 | grep -q '^year  *entries  *exits' ||
  fail "the English flows headings changed"
es report flows --csv-input "$T/synth.csv" --by year --format csv | head -1 | grep -q '^year,entries,exits' ||
  fail "the CSV headings are translated"
# an alert's sentence is rebuilt from its figures in Spanish; English keeps the library's
ser=$FR_SOURCE_DIR/tests/data/alerts/real/ecu-entries.csv
es report alerts --series "$ser" | grep -q '^2024-07  CHN  arrivals  *CHN llegadas: baja, 913 en 2024-07 frente a 3891 esperados.*sigue bajo al final de los datos$' ||
  fail "the alert's sentence is not Spanish: $(es report alerts --series "$ser" | grep CHN)"
# a share of another series is in percent, and named in Spanish (it printed "VEN encounter_ratio subió: 0")
"$FRONTERA" synth --scale 0.03 --seed 1 --quiet --out "$T/synth3.csv"
es report alerts --csv-input "$T/synth3.csv" | grep -q 'VEN encuentros por llegada: alza, 22.3% en 2023-04 frente a 5.2% esperados' ||
  fail "the encounter ratio's alert in Spanish: $(es report alerts --csv-input "$T/synth3.csv" | grep encounter)"
# ... and a share in the CSV too, whatever its name (the CLI guessed by "rate" in it: 0 decimals)
en report alerts --csv-input "$T/synth3.csv" --format csv | grep -q '^VEN,encounter_ratio,2023-04,0.2227,0.0522,' ||
  fail "the encounter ratio in CSV: $(en report alerts --csv-input "$T/synth3.csv" --format csv | grep encounter)"
# a user's series whose name holds "rate" or "ratio" is still a count
sed 's/arrivals/registrations/' "$ser" >"$T/reg.csv"
es report alerts --series "$T/reg.csv" | grep -q 'CHN registrations: baja, 913 en 2024-07 frente a 3891 esperados' ||
  fail "a user's series is a count: $(es report alerts --series "$T/reg.csv" | grep CHN)"
en report alerts --series "$ser" | grep -q 'CHN arrivals fell: 913 in 2024-07 against 3891 expected' ||
  fail "the English alert changed"
echo "i18n.sh: ok ($n messages, all translated; $helps subcommands' help in Spanish)"
