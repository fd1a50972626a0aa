#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# admit_reasons_es.sh: `frontera admit` writes the reasons of its decision in
# Spanish under LANG=es_EC.UTF-8 (cmd/frontera/cli_reasons.c, po/es.po), from
# the templates keyed by reason code and the reasons' params: the values
# (dates, figures, the policy's legal reference) are the same as in English,
# a plural is chosen by its figure, and the English sentences under LANG=C
# and the JSON (with its params) do not depend on the language.
set -euo pipefail
: "${FRONTERA:?}" "${FR_SOURCE_DIR:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "admit_reasons_es.sh: FAIL: $*" >&2; exit 1; }
es() { env -u LC_ALL -u LANGUAGE -u LC_MESSAGES LANG=es_EC.UTF-8 "$FRONTERA" "$@"; }
en() { env -u LC_ALL -u LANGUAGE -u LC_MESSAGES LANG=C "$FRONTERA" "$@"; }
export FRONTERA_DB="$T/ledger.db"
# a missing ledger, said in Spanish with what to do
es admit --policy "$FR_SOURCE_DIR/data/policy/ecu.policy" --port ECUIO --at 2024-07-02T10:00-05:00 --record /dev/null \
  >/dev/null 2>"$T/noledger" && fail "admit --record without a ledger succeeded"
grep -qF 'aquí no hay ningún registro de frontera (frontera init crea uno)' "$T/noledger" ||
  fail "the missing ledger is not said in Spanish: $(cat "$T/noledger")"
"$FRONTERA" init >/dev/null
pol="$FR_SOURCE_DIR/data/policy/ecu.policy"
ref=$(grep '^rule CHN visitor visa_required' "$pol" | sed 's/.*ref="\([^"]*\)".*/\1/')
[ -n "$ref" ] || fail "ecu.policy has no visa_required rule for CHN"
# its Spanish reference, on the next line (ref_es=): the Spanish sentence cites it
ref_es=$(grep -A1 '^rule CHN visitor visa_required' "$pol" | sed -n 's/^ *ref_es="\([^"]*\)".*/\1/p')
[ -n "$ref_es" ] || fail "ecu.policy's visa_required rule for CHN has no ref_es="

printf '%s\n' '{"format":"TD3","document_code":"P","issuing_state":"CHN","surname":"LI","given_names":"WEI","document_number":"E12345678","nationality":"CHN","birth_date":"1985-03-14","sex":"F","expiry_date":"2033-05-20"}' |
  "$FRONTERA" mrz --make --today 2025-01-15 >"$T/chn.mrz"
printf '%s\n' '{"format":"TD3","document_code":"P","issuing_state":"USA","surname":"TESTER","given_names":"ANN","document_number":"BT1234567","nationality":"USA","birth_date":"1985-03-14","sex":"F","expiry_date":"2033-05-20"}' |
  "$FRONTERA" mrz --make --today 2025-01-15 >"$T/usa.mrz"

# A refusal: the visa required, with its ground, date and the policy's reference in Spanish.
es admit --policy "$pol" --port ECUIO --at 2024-07-02T10:00-05:00 "$T/chn.mrz" >"$T/chn.es" 2>/dev/null && fail "CHN without a visa was not refused"
grep -qF "x [C] Los nacionales de CHN necesitan una visa para ingresar como visitante desde el 2024-07-01 ($ref_es); no se presentó ninguna." "$T/chn.es" ||
  fail "the visa.required reason is not in Spanish: $(cat "$T/chn.es")"
grep -qF '! En este puesto no hay ninguna lista de vigilancia cargada: el viajero no fue cotejado.' "$T/chn.es" ||
  fail "the screening warning is not in Spanish: $(cat "$T/chn.es")"
en admit --policy "$pol" --port ECUIO --at 2024-07-02T10:00-05:00 "$T/chn.mrz" >"$T/chn.en" 2>/dev/null || true
grep -qF "x [C] Nationals of CHN need a visa to enter as visitor since 2024-07-01 ($ref); none was presented." "$T/chn.en" ||
  fail "the English sentence changed: $(cat "$T/chn.en")"

# An entry recorded, then a second one with no exit between: a plural chosen by its figure.
es admit --policy "$pol" --port ECUIO --at 2024-03-01T10:00-05:00 --record "$T/usa.mrz" >/dev/null 2>&1 ||
  fail "the first entry was not admitted"
es admit --policy "$pol" --port ECUIO --at 2024-04-01T10:00-05:00 --intended-days 200 "$T/usa.mrz" >"$T/usa.es" 2>/dev/null || true
grep -qF '? Un ingreso anterior (el último el 2024-03-01) no tiene salida registrada: pregunte cómo y cuándo salió el viajero.' "$T/usa.es" ||
  fail "the history.no_exit reason is not in Spanish (singular): $(cat "$T/usa.es")"
grep -q '^  El viajero pidió 200 días; hay [0-9]* disponibles, hasta el 2024-[0-9-]*\.$' "$T/usa.es" ||
  fail "the stay.shortened reason is not in Spanish: $(cat "$T/usa.es")"
# the stay rule said in words, not as its code
es admit --policy "$pol" --port ECUIO --at 2024-04-01T10:00-05:00 "$T/usa.mrz" >"$T/usa2.es" 2>/dev/null || true
grep -q 'en el periodo desde el 2024-03-01 (90 días por año desde la primera entrada, prorrogable una vez por 90 días); autorizado hasta el' "$T/usa2.es" ||
  fail "the stay rule is not in words: $(cat "$T/usa2.es")"
# no reason line left in English (each known code has its Spanish template)
if grep -E '^(  |\? |x |! )(\[[A-J]\] )?(Nationals|The |No watchlist|[0-9]+ (days|earlier))' "$T/usa.es" "$T/chn.es"; then
  fail "a reason was printed in English under LANG=es_EC.UTF-8 (above)"
fi

# The JSON: the same in both languages, each reason with its params.
es admit --json --policy "$pol" --port ECUIO --at 2024-07-02T10:00-05:00 "$T/chn.mrz" >"$T/a.es.json" 2>/dev/null || true
en admit --json --policy "$pol" --port ECUIO --at 2024-07-02T10:00-05:00 "$T/chn.mrz" >"$T/a.en.json" 2>/dev/null || true
cmp -s "$T/a.es.json" "$T/a.en.json" || fail "the JSON answer depends on the language"
python3 - "$T/a.en.json" "$ref" "$ref_es" <<'PY' || fail "the JSON reasons lack their params: $(cat "$T/a.en.json")"
import json, sys
d = json.load(open(sys.argv[1]))
r = next(x for x in d["reasons"] if x["code"] == "visa.required")
assert r["params"] == {"nationality": "CHN", "regime": "visa_required", "class": "visitor",
                       "since": "2024-07-01", "ref": sys.argv[2], "ref_es": sys.argv[3]}, r["params"]
assert r["message"].startswith("Nationals of CHN need a visa"), r["message"]
assert all(isinstance(x.get("params"), dict) for x in d["reasons"])
PY
# a misread document: the Spanish says what the English does (the counts, the code read, rescan)
printf 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n' >"$T/short.mrz"
es admit --port ECUIO --at 2024-06-30T10:15-05:00 "$T/short.mrz" >"$T/short.es" 2>/dev/null || true
grep -qF "Línea 1, columna 43: la línea tiene 42 caracteres donde su formato tiene 44" "$T/short.es" ||
  fail "the line's length is not said in Spanish with its counts: $(cat "$T/short.es")"
grep -qF "vuelva a escanear el documento" "$T/short.es" || fail "no rescan in Spanish: $(cat "$T/short.es")"
grep -qF "el Estado emisor UTO no es un código conocido" "$T/short.es" ||
  fail "the code read is not in the Spanish reason: $(cat "$T/short.es")"
echo "admit_reasons_es.sh: ok"
