#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# install.sh: `make install` gives a usable library (headers + frontera.pc, a
# program built against it with pkg-config runs), the program and its man
# page, under any prefix chosen at install time.
set -euo pipefail
# grep -q stops at its first match, and under pipefail the writer then
# dies of SIGPIPE and a passing check fails by chance: read it all first.
grep_q() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
B=${FR_BUILD_DIR:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cmake --install "$B" --prefix "$T/p" >/dev/null || fail "cmake --install"
pc=$(find "$T/p" -name frontera.pc | sed -n 1p)
[ -n "$pc" ] || fail "no frontera.pc installed"
[ -x "$T/p/bin/frontera" ] || fail "no program installed"
"$T/p/bin/frontera" --version | grep_q '^frontera ' || fail "installed program does not run"
[ -f "$T/p/share/man/man1/frontera.1" ] || fail "no man page installed"
cat >"$T/use.c" <<'C'
#include <frontera/country.h>
#include <frontera/date.h>
#include <stdio.h>
int main(void)
{
    fr_date d;
    char b[FR_DATE_BUFSZ];
    if (fr_date_parse_cstr("2024-06-30", &d, NULL) != FR_OK) return 1;
    printf("%s %s\n", fr_date_format(d + 1, b), fr_country_name(fr_country_find_cstr("ECU")));
    return 0;
}
C
export PKG_CONFIG_PATH="$(dirname "$pc")"
extra=()  # a sanitizer build's library needs the sanitizer runtime to link
grep -q '^FR_SANITIZE:BOOL=ON' "$B/CMakeCache.txt" && extra=(-fsanitize=address,undefined)
cc "${extra[@]}" "$T/use.c" $(pkg-config --cflags --libs frontera) -o "$T/use" || fail "cannot build against the installed library"
[ "$("$T/use")" = "2024-07-01 Ecuador" ] || fail "the installed library gives: $("$T/use")"
echo "install.sh: ok"
