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
# grep -q stops at its first match, and under pipefail the writer then
# dies of SIGPIPE and a passing check fails by chance: read it all first.
grep_q() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
: "${FRONTERA:?}" "${FR_SOURCE_DIR:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "i18n.sh: FAIL: $*" >&2; exit 1; }

# 1. the catalogue is complete
# missing POT: the messages of POT that po/es.po does not translate (missing,
# empty or fuzzy), as a PO file on stdout; msgattrib prints the header entry
# (msgid "") whenever it prints anything, so one entry means none.
missing() {
  msgmerge --quiet --no-fuzzy-matching -o "$1.po" "$FR_SOURCE_DIR/po/es.po" "$1"
  { msgattrib --untranslated --no-obsolete "$1.po"; msgattrib --only-fuzzy --no-obsolete "$1.po"; }
}
# complete POT WHAT: fail, showing them, when po/es.po leaves any of POT out
complete() {
  local u f
  missing "$1" >/dev/null
  u=$(msgattrib --untranslated --no-obsolete "$1.po" | grep -c '^msgid ' || true)
  f=$(msgattrib --only-fuzzy --no-obsolete "$1.po" | grep -c '^msgid ' || true)
  [ "$u" -le 1 ] && [ "$f" -le 1 ] || { missing "$1" >&2; fail "po/es.po lacks translations for $2 (shown above)"; }
}
# pot OUT KEYWORDS... -- FILES...: the messages xgettext finds
pot() {
  local out=$1 keys=()
  shift
  while [ "$1" != -- ]; do keys+=("$1"); shift; done
  shift
  xgettext --from-code=UTF-8 "${keys[@]}" --no-location -o "$out" "$@"
}
KEYS=(-k_ -kN_ -kngettext:1,2 -kcli_usage_error:2)
SOURCES=("$FR_SOURCE_DIR"/cmd/frontera/*.[ch])
pot "$T/frontera.pot" "${KEYS[@]}" -- "${SOURCES[@]}"
n=$(grep -c '^msgid ' "$T/frontera.pot")
[ "$n" -gt 400 ] || fail "xgettext found only $n messages: are they still marked with _()?"
complete "$T/frontera.pot" "messages in cmd/frontera/"
msgfmt --check -o /dev/null "$FR_SOURCE_DIR/po/es.po" || fail "po/es.po does not compile"

# The check must be able to fail: a marked message with no translation is found.
printf '#include "i18n.h"\nconst char *x = N_("a message nobody translated");\n' >"$T/extra.c"
pot "$T/extra.pot" "${KEYS[@]}" -- "${SOURCES[@]}" "$T/extra.c"
missing "$T/extra.pot" | grep_q 'a message nobody translated' ||
  fail "the completeness check does not see an untranslated message"

# 1b. the library's error formats are translated too: cli_words.c says a
# library error again from the catalogue's translation of the format it was
# made with (fr_error_set, fr_error_prefix; status.h; the policy parser's
# fr__pdiag_add keeps them the same way), so each of those
# formats needs its Spanish in po/es.po, with the same conversions
# (msgfmt --check compares them).
# The server's problem details too (fr__srv_problem's format; its title
# apart, as xgettext takes one argument per keyword): the pages say them from
# words.es.json, made from po/es.po (scripts/gen-web-words.py), which must
# hold every one of these formats and titles.
LIBKEYS=(-k -kfr_error_set:6 -kfr_error_prefix:2 -kfr__srv_problem:7 -kfr__pdiag_add:6 -kmake_error:3 -kFR_PHRASE
  --flag=fr_error_set:6:c-format --flag=fr_error_prefix:2:c-format --flag=fr__srv_problem:7:c-format
  --flag=fr__pdiag_add:6:c-format --flag=make_error:3:c-format)
mapfile -t LIBSRC < <(find "$FR_SOURCE_DIR/src" -name '*.c' | sort)
pot "$T/lib.pot" "${LIBKEYS[@]}" -- "${LIBSRC[@]}"
n=$(grep -c '^msgid ' "$T/lib.pot")
[ "$n" -gt 400 ] || fail "xgettext found only $n library error formats"
complete "$T/lib.pot" "library error formats"
pot "$T/titles.pot" -k -kfr__srv_problem:4 -kfr__srv_problem_with:4 -- "$FR_SOURCE_DIR"/src/http/*.c
n=$(grep -c '^msgid ' "$T/titles.pot")
[ "$n" -gt 15 ] || fail "xgettext found only $n problem titles"
complete "$T/titles.pot" "the server's problem titles"
python3 "$FR_SOURCE_DIR/scripts/gen-web-words.py" "$FR_SOURCE_DIR/po/es.po" "$T/words.json"
msgcat -o "$T/web.pot" "$T/lib.pot" "$T/titles.pot"
python3 - "$T/web.pot" "$T/words.json" <<'PY' || fail "words.es.json lacks formats the pages may be sent"
import json, re, sys
pot = open(sys.argv[1], encoding="utf-8").read()
words = json.load(open(sys.argv[2], encoding="utf-8"))
unesc = lambda s: re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)
ids = set()
for block in re.split(r"\n\s*\n", pot):
    m = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
    if m:
        ids.add(unesc("".join(re.findall(r'"(.*)"', m.group(1)))))
missing = sorted(i for i in ids if i and i not in words)
for i in missing:
    print("not in words.es.json:", i, file=sys.stderr)
sys.exit(1 if missing else 0)
PY
printf 'int f(void *e) { return fr_error_set(e, 1, 0, 0, "", "a library error nobody translated %%d", 3); }\n' >"$T/libextra.c"
pot "$T/libextra.pot" "${LIBKEYS[@]}" -- "${LIBSRC[@]}" "$T/libextra.c"
missing "$T/libextra.pot" | grep_q 'a library error nobody translated' ||
  fail "the completeness check does not see an untranslated library error"
(complete "$T/libextra.pot" "x" 2>/dev/null) && fail "complete passes a catalogue that lacks a translation"

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
grep -q '^Subcomandos:' "$T/help.es" || fail "LANG=es_EC.UTF-8 frontera --help is not Spanish: $(head -3 "$T/help.es")"
grep -q 'decidir en la ventanilla admitir, derivar o rechazar' "$T/help.es" || fail "the subcommand summaries are not Spanish"
en --help | grep_q '^Subcommands:' || fail "LANG=C frontera --help is not English"
set +e
es --no-such-option 2>"$T/err.es"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "an unknown option exits $rc, not 2"
grep -q 'opción desconocida «--no-such-option»' "$T/err.es" || fail "the usage error is not Spanish: $(cat "$T/err.es")"
es admit --help | grep_q '^Uso: frontera' || fail "frontera admit --help is not Spanish"
es sync --help | grep_q '^Uso: frontera' || fail "frontera sync --help is not Spanish"
es --db "$T/post.db" init >/dev/null
es --db "$T/post.db" sync status | grep_q 'aún no se ha sincronizado' || fail "frontera sync status is not Spanish"
es --db "$T/post.db" sync status --central http://127.0.0.1:9 | grep_q '^eventos en espera    0' ||
  fail "the post officer's sync status is not Spanish: $(es --db "$T/post.db" sync status --central http://127.0.0.1:9)"
en --db "$T/post.db" sync status --central http://127.0.0.1:9 | grep_q '^events waiting   0' || fail "LANG=C sync status is not English"
# record and traveller: the event kind, the document link and the anomaly in
# Spanish words (English keeps the code names scripts read)
rec=(record exit --at 2024-07-01T10:00-05:00 --port ECUIO --surname LI --given-names NA --nationality CHN
     --birth-date 1985-03-14 --sex F)
es --db "$T/post.db" "${rec[@]}" --event-id x1 --document CHN:X1 >"$T/rec.es"
grep -q '^x1: registrado (salida), viajero 1 (vínculo: viajero nuevo)$' "$T/rec.es" &&
  grep -q 'anomalía: salida sin una entrada abierta antes' "$T/rec.es" || fail "record is not Spanish: $(cat "$T/rec.es")"
en --db "$T/post.db" "${rec[@]}" --event-id x2 --document CHN:X2 | grep_q '^x2: recorded exit, .*(link: renewal)$' ||
  fail "LANG=C record is not the English code names"
es --db "$T/post.db" traveller 1 | grep_q '  salida    ECUIO x1  \[anomalía: salida sin' || fail "traveller is not Spanish"

export FRONTERA_DB="$T/ledger.db"
printf '%s\n' '{"format":"TD3","document_code":"P","issuing_state":"USA","surname":"TESTER","given_names":"ANN","document_number":"BT1234567","nationality":"USA","birth_date":"1985-03-14","sex":"F","expiry_date":"2033-05-20"}' |
  "$FRONTERA" mrz --make --today 2025-01-15 >"$T/usa.mrz"
pol="$FR_SOURCE_DIR/data/policy/ecu.policy"
es admit --policy "$pol" --port ECUIO --at 2024-12-15T10:00-05:00 "$T/usa.mrz" >"$T/admit.es" 2>/dev/null ||
  fail "the admission in Spanish did not admit: $(cat "$T/admit.es")"
grep -q '^ADMITIR: TESTER, ANN' "$T/admit.es" || fail "the decision is not in Spanish: $(cat "$T/admit.es")"
grep -q '^Autorizado hasta el 20[0-9-]*$' "$T/admit.es" || fail "the authorised date line is not in Spanish"
en admit --policy "$pol" --port ECUIO --at 2024-12-15T10:00-05:00 "$T/usa.mrz" 2>/dev/null | grep_q '^ADMIT: TESTER' ||
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
grep -q 'el día 30 no existe en 2024-02' "$T/err.es" || fail "a bad date is not explained in Spanish: $(cat "$T/err.es")"
# an import's rejected rows: the library's reasons, values included, in Spanish
# (they were English inside a Spanish frame); English unchanged
printf 'event_id,kind,at,port,document_state,document_number,nationality,birth_date\n%s\n%s\n%s\n%s\n' \
  'R-1,entry,2024-13-01T10:15-05:00,ECUIO,ECU,A1,ECU,1990-01-01' \
  'R-2,entri,2024-07-01T10:15-05:00,ECUIO,ECU,A1,ECU,1990-01-01' \
  'R-3,entry,2024-07-01T10:15-05:00,ECUIO,ECU,A1,ECU,1990-02-30' \
  'R-4,entry' >"$T/rows.csv"
es --db "$T/rows.db" init >/dev/null
set +e
es --db "$T/rows.db" import "$T/rows.csv" 2>"$T/rows.es" >/dev/null
en --db "$T/rows.db" import "$T/rows.csv" 2>"$T/rows.en" >/dev/null
set -e
for want in 'línea 2: at: «2024-13-01T10:15-05:00» no es una fecha y hora: el mes 13 no existe' \
  'línea 3: kind: «entri» no es entry, exit, refusal, encounter ni extension' \
  'línea 4: birth_date: «1990-02-30» no es una fecha (AAAA-MM-DD): el día 30 no existe en 1990-02' \
  'línea 5: la fila tiene 2 campos y la cabecera 8'; do
  grep -qF "$want" "$T/rows.es" || fail "an import's rejected row is not said in Spanish: want '$want' in: $(cat "$T/rows.es")"
done
grep -qF "line 2: at: '2024-13-01T10:15-05:00' is not a date-time: month 13 does not exist" "$T/rows.en" ||
  fail "the English reason of a rejected row changed: $(cat "$T/rows.en")"
# an import's notices (the unknown columns it ignores) come from the library
# too: said in Spanish from their format and values (they were English under
# a Spanish locale, however it was asked for); English unchanged; a long list
# names the first columns and counts the rest
printf 'event_id,gate,kind,at,port,document_state,document_number,colour\n%s\n' \
  'U-1,G4,entry,2024-07-01T10:15-05:00,ECUIO,ECU,U1,red' >"$T/unknown.csv"
want='frontera import: se ignoran las columnas desconocidas: gate, colour'
es --db "$T/rows.db" import "$T/unknown.csv" 2>"$T/unk.es" >/dev/null
grep -qxF "$want" "$T/unk.es" || fail "an import's notice is not Spanish (LANG): $(cat "$T/unk.es")"
env -u LANG -u LC_MESSAGES LC_ALL=es_ES.UTF-8 "$FRONTERA" --db "$T/rows.db" import "$T/unknown.csv" \
  2>"$T/unk.es2" >/dev/null
grep -qxF "$want" "$T/unk.es2" || fail "an import's notice is not Spanish (LC_ALL): $(cat "$T/unk.es2")"
env -u LANG -u LC_MESSAGES LANGUAGE=es LC_ALL=C.UTF-8 "$FRONTERA" --db "$T/rows.db" import \
  "$T/unknown.csv" 2>"$T/unk.es3" >/dev/null
grep -qxF "$want" "$T/unk.es3" || fail "an import's notice is not Spanish (LANGUAGE): $(cat "$T/unk.es3")"
grep -q 'ignoring' "$T/unk.es" "$T/unk.es2" "$T/unk.es3" && fail "English left in a Spanish import"
en --db "$T/rows.db" import "$T/unknown.csv" 2>"$T/unk.en" >/dev/null
grep -qxF 'frontera import: ignoring unknown columns: gate, colour' "$T/unk.en" ||
  fail "the English notice changed: $(cat "$T/unk.en")"
head='event_id,kind,at,port,document_state,document_number' row='U-2,entry,2024-07-01T10:15-05:00,ECUIO,ECU,U2'
for i in $(seq -w 0 39); do head="$head,columna_extra_$i" row="$row,x"; done
printf '%s\n%s\n' "$head" "$row" >"$T/many.csv"
es --db "$T/rows.db" import "$T/many.csv" 2>"$T/many.es" >/dev/null
grep -qE '^frontera import: se ignoran las columnas desconocidas: columna_extra_00, .* y [0-9]+ más$' \
  "$T/many.es" || fail "a long notice is not Spanish: $(cat "$T/many.es")"
# a policy file's findings and a watchlist row's birth date, in Spanish too
printf 'version 1\n' >"$T/bad.policy"
es policy lint "$T/bad.policy" >"$T/lint.es" 2>&1 && fail "a bad policy passed lint"
grep -q "bad.policy:1:1: entrada desconocida «version»" "$T/lint.es" ||
  fail "a policy finding is not Spanish: $(cat "$T/lint.es")"
printf 'id,name,birth_date\nW1,ZHANG Wei,1980-13-01\n' >"$T/wl.csv"
mkdir -p "$T/wld"
es watchlist import "$T/wl.csv" --dir "$T/wld" --list t >"$T/wl.es" 2>&1 && fail "a bad watchlist row passed"
grep -q 'fecha de nacimiento errónea "1980-13-01": el mes 13 no existe' "$T/wl.es" ||
  fail "a watchlist row's birth date is not Spanish: $(cat "$T/wl.es")"
# counts in their own number (ngettext), in both languages: "1 row", "1 fila importada"
printf 'event_id,kind,at,port,document_state,document_number,nationality,birth_date\n%s\n' \
  'S-1,entry,2024-07-01T10:15-05:00,ECUIO,ECU,A1,ECU,1990-01-01' >"$T/one.csv"
es --db "$T/rows.db" import "$T/one.csv" | grep_q ': 1 fila: 1 importada, 0 duplicadas, 0 rechazadas$' ||
  fail "one row in Spanish: $(es --db "$T/rows.db" import "$T/one.csv")"
en --db "$T/rows.db" import "$T/one.csv" | grep_q ': 1 row: 0 taken, 1 duplicate, 0 rejected$' ||
  fail "one row in English: $(en --db "$T/rows.db" import "$T/one.csv")"
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
head -1 "$T/flows.es" | grep_q '^año  *entradas  *salidas  *rechazos' ||
  fail "the flows report's headings are not Spanish: $(head -1 "$T/flows.es")"
grep -q '^TOTAL' "$T/flows.es" || fail "the flows report has no total line"
en report flows --csv-input "$T/synth.csv" --by year | sed -n 1p | grep_q '^year  *entries  *exits' ||
  fail "the English flows headings changed"
es report flows --csv-input "$T/synth.csv" --by year --format csv | sed -n 1p | grep_q '^year,entries,exits' ||
  fail "the CSV headings are translated"
# an alert's sentence is rebuilt from its figures in Spanish; English keeps the library's
ser=$FR_SOURCE_DIR/tests/data/alerts/real/ecu-entries.csv
es report alerts --series "$ser" | grep_q '^2024-07  CHN  arrivals  *CHN llegadas: baja, 913 en 2024-07 frente a 3891 esperados.*sigue bajo al final de los datos$' ||
  fail "the alert's sentence is not Spanish: $(es report alerts --series "$ser" | grep CHN)"
# a share of another series is in percent, and named in Spanish (it printed "VEN encounter_ratio subió: 0")
"$FRONTERA" synth --scale 0.03 --seed 1 --quiet --out "$T/synth3.csv"
es report alerts --csv-input "$T/synth3.csv" | grep_q 'VEN encuentros por llegada: alza, 22.3% en 2023-04 frente a 5.2% esperados' ||
  fail "the encounter ratio's alert in Spanish: $(es report alerts --csv-input "$T/synth3.csv" | grep encounter)"
# ... and a share in the CSV too, whatever its name (the CLI guessed by "rate" in it: 0 decimals)
en report alerts --csv-input "$T/synth3.csv" --format csv | grep_q '^VEN,encounter_ratio,2023-04,0.2227,0.0522,' ||
  fail "the encounter ratio in CSV: $(en report alerts --csv-input "$T/synth3.csv" --format csv | grep encounter)"
# a user's series whose name holds "rate" or "ratio" is still a count
sed 's/arrivals/registrations/' "$ser" >"$T/reg.csv"
es report alerts --series "$T/reg.csv" | grep_q 'CHN registrations: baja, 913 en 2024-07 frente a 3891 esperados' ||
  fail "a user's series is a count: $(es report alerts --series "$T/reg.csv" | grep CHN)"
en report alerts --series "$ser" | grep_q 'CHN arrivals fell: 913 in 2024-07 against 3891 expected' ||
  fail "the English alert changed"
# policy check: the class, the regime and the stay in words (codes beside), the Spanish reference
pol="$FR_SOURCE_DIR/data/policy/ecu.policy"
es policy check --policy "$pol" --nationality USA --on 2024-07-01 >"$T/pol.es"
head -1 "$T/pol.es" | grep_q -x 'USA visitante el 2024-07-01: sin visa' &&
  grep -q '^  estancia:   90 días por año desde la primera entrada, prorrogable una vez por 90 días (period:90/1y+90)$' "$T/pol.es" &&
  grep -q '^  fuente:     LOMH art. 56: 90 días' "$T/pol.es" || fail "policy check is not Spanish: $(cat "$T/pol.es")"
en policy check --policy "$pol" --nationality USA --on 2024-07-01 >"$T/pol.en"
head -1 "$T/pol.en" | grep_q -x 'USA visitor on 2024-07-01: visa_free' ||
  fail "LANG=C policy check changed"
echo "i18n.sh: ok ($n messages, all translated; $helps subcommands' help in Spanish)"
