#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# web_messages.sh: the pages' words are complete in English and Spanish
# (ctest cli.web_messages): tests/web/messages.test.mjs with node's test runner.
set -euo pipefail
: "${FR_SOURCE_DIR:?}"
command -v node >/dev/null || { echo "web_messages.sh: FAIL: node is not installed (make deps)" >&2; exit 1; }
FR_SOURCE_DIR="$FR_SOURCE_DIR" node --test --test-reporter=spec "$FR_SOURCE_DIR/tests/web/messages.test.mjs"
