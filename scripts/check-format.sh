#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check-format.sh [CLANG_FORMAT]: every C source and header git knows is
# formatted by .clang-format (generated .inc tables are left as written).
# `make format` rewrites them. Exit 1 with the files that differ.
set -euo pipefail
cf=${1:-clang-format}
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.c' '*.h' 2>/dev/null || find src cmd include tests bench fuzz -name '*.[ch]')
bad=0
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  if ! "$cf" --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f (make format)"
    bad=1
  fi
done
[ "$bad" = 0 ] && echo "format: ${#files[@]} files formatted"
exit "$bad"
