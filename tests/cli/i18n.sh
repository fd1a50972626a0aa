#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# i18n.sh: the program speaks Spanish when asked (ctest cli.i18n).
# 1. Every message marked for translation in cmd/frontera/ (_() and N_(),
#    found by xgettext) has a Spanish translation in po/es.po that is neither
#    missing, empty nor fuzzy: adding a marked message without its
#    translation fails here.
# 2. LANG=es_EC.UTF-8 gives Spanish help, errors and admission decisions
#    (also where es_EC.UTF-8 is not generated on the machine), LANG=C English,
#    and the JSON stays the same in both (codes and keys are not translated).
set -euo pipefail
: "${FRONTERA:?}" "${FR_SOURCE_DIR:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "i18n.sh: FAIL: $*" >&2; exit 1; }

# 1. the catalogue is complete
xgettext --from-code=UTF-8 -k_ -kN_ --no-location -o "$T/frontera.pot" \
  "$FR_SOURCE_DIR"/cmd/frontera/*.c "$FR_SOURCE_DIR"/cmd/frontera/*.h
n=$(grep -c '^msgid ' "$T/frontera.pot")
[ "$n" -gt 30 ] || fail "xgettext found only $n messages: are they still marked with _()?"
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
xgettext --from-code=UTF-8 -k_ -kN_ --no-location -o "$T/extra.pot" \
  "$FR_SOURCE_DIR"/cmd/frontera/*.c "$T/extra.c"
msgmerge --quiet --no-fuzzy-matching -o "$T/extra.po" "$FR_SOURCE_DIR/po/es.po" "$T/extra.pot"
msgattrib --untranslated --no-obsolete "$T/extra.po" | grep -q 'a message nobody translated' ||
  fail "the completeness check does not see an untranslated message"

# 2. the program in Spanish
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
echo "i18n.sh: ok ($n messages, all translated)"
