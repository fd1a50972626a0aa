#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench.sh BUILD_DIR: run every benchmark program. Each prints its own figures
# and ratios; copy them into bench/RESULTS.md with this command line.
set -euo pipefail
build=${1:-build}
for bin in "$build"/bench/bench_*; do
  [ -x "$bin" ] || continue
  echo "== $(basename "$bin")"
  "$bin"
done
