#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# program.sh: the frontera program's GNU conventions: --help, --version,
# `help SUBCOMMAND`, unknown subcommands and options (exit 2), and the
# countries lookup (exit 1 for an unknown code).
set -euo pipefail
# grep -q stops at its first match, and under pipefail the writer then
# dies of SIGPIPE and a passing check fails by chance: read it all first.
grep_q() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
F=${FRONTERA:?FRONTERA must name the program}
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_rc() { local want=$1; shift; set +e; "$@" >/dev/null 2>&1; local rc=$?; set -e
  [ "$rc" = "$want" ] || fail "'$*' exited $rc, expected $want"; }

"$F" --help | grep_q '^Usage: frontera' || fail "--help has no usage line"
"$F" --version | grep_q -E '^frontera [0-9]+\.[0-9]+\.[0-9]+$' || fail "--version"
expect_rc 2 "$F"
expect_rc 2 "$F" no-such-subcommand
expect_rc 2 "$F" --no-such-option
"$F" help countries | grep_q 'Usage: frontera countries' || fail "help countries"
# help with a report's kind shows that report's options (its errors say to run it)
help_alerts=$("$F" help report alerts)
[[ "${help_alerts%%$'\n'*}" == *'report alerts'* ]] || fail "help report alerts shows the general help"
# every listed subcommand answers --help with exit 0
for sub in $("$F" --help | awk '/^Subcommands:/{on=1;next} /^$/{on=0} on{print $1}'); do
  "$F" "$sub" --help >/dev/null || fail "$sub --help exited non-zero"
  "$F" help "$sub" | grep_q -i 'usage' || fail "help $sub prints no usage"
done
# A refused option is named once, by frontera, in the user's language: no
# getopt line before it ("admit: unrecognized option"), whichever subcommand.
for sub in $("$F" --help | awk '/^Subcommands:/{on=1;next} /^$/{on=0} on{print $1}') "report flows" \
           "report alerts" "report backtest"; do
  set +e; err=$("$F" $sub --no-such-option 2>&1 >/dev/null); rc=$?; set -e
  [ "$rc" = 2 ] || fail "$sub --no-such-option exited $rc"
  case "$sub" in help|version) continue ;; esac
  [ "$(printf '%s\n' "$err" | grep -c .)" = 2 ] || fail "$sub: the usage error is not two lines: $err"
  printf '%s\n' "$err" | sed -n 1p | grep_q -E "^frontera $sub: .*'--no-such-option'" ||
    fail "$sub: the usage error does not name the option: $err"
done
# the program's own options given after the subcommand: where they go
set +e; err=$("$F" report flows --db x.db 2>&1 >/dev/null); rc=$?; set -e
[ "$rc" = 2 ] && printf '%s\n' "$err" | grep_q "option '--db' goes before the subcommand: frontera --db PATH report flows" ||
  fail "--db after the subcommand: $err"
set +e; err=$("$F" admit --policy 2>&1 >/dev/null); set -e
printf '%s\n' "$err" | grep_q "option '--policy' needs a value" || fail "a missing value: $err"
[ "$("$F" countries CHN | cut -f3)" = "China" ] || fail "countries CHN"
[ "$("$F" countries D | cut -f1)" = "D" ] || fail "countries D"
[ "$("$F" countries DEU | cut -f1)" = "D" ] || fail "countries DEU (ISO alpha-3) is D"
[ "$(env -u LC_ALL -u LANGUAGE -u LC_MESSAGES LANG=es_EC.UTF-8 "$F" countries alemania | cut -f3)" = "Alemania" ] || fail "countries in Spanish"
expect_rc 1 "$F" countries QQQ
[ "$("$F" countries | wc -l)" -gt 260 ] || fail "the code table is short"
# The man page is made from the --help texts: it must be current.
if [ -n "${FR_SOURCE_DIR:-}" ]; then
  diff <(bash "$FR_SOURCE_DIR/scripts/gen-man.sh" "$F") "$FR_SOURCE_DIR/docs/frontera.1" >/dev/null \
    || fail "docs/frontera.1 is out of date: run scripts/gen-man.sh build/frontera > docs/frontera.1"
fi
echo "program.sh: ok"
