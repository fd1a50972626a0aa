#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fuzz.sh BUILD_DIR SECONDS: run every libFuzzer target for SECONDS each,
# starting from its committed corpus (fuzz/corpus/NAME) and keeping what it
# finds in a scratch copy, so the committed corpus changes only by hand.
set -euo pipefail
build=${1:-build-fuzz}
secs=${2:-20}
top=$(cd "$(dirname "$0")/.." && pwd)
status=0
for bin in "$build"/fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin"); corpus=${name#fuzz_}
  work=$(mktemp -d)
  cp -r "$top/fuzz/corpus/$corpus/." "$work/" 2>/dev/null || true
  echo "fuzz: $name for ${secs}s"
  if ! "$bin" -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$build/crash-$corpus-" "$work" >"$build/$name.log" 2>&1; then
    echo "fuzz: $name FAILED; see $build/$name.log"; tail -40 "$build/$name.log"; status=1
  else
    grep -E '^(#[0-9]+|Done)' "$build/$name.log" | tail -1
  fi
  rm -rf "$work"
done
exit $status
