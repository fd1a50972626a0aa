#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tidy.sh BUILD [CHECKS]: clang-tidy (the checks in .clang-tidy, or CHECKS)
# over the library layers and the program, using BUILD/compile_commands.json.
# Exit 1 on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
checks=${2:-}
[ -f "$build/compile_commands.json" ] || { echo "tidy: no $build/compile_commands.json (run make first)" >&2; exit 2; }
files=$(git ls-files 'src/*.c' 'cmd/*.c')
extra=()
[ -n "$checks" ] && extra=(-checks="-*,$checks")
run-clang-tidy -quiet -p "$build" -j "$(nproc)" "${extra[@]}" $files
