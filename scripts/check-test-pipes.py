#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-test-pipes.py: the shell tests run under `set -o pipefail`, where a
reader that stops early (grep -q at its first match, head) kills the writer
with SIGPIPE and fails a check that held. Such a check passes on a quiet
machine and fails on a loaded one, as cli.program once did in CI. This finds
`| grep -q...` and `| head` in the tests; use grep_q (reads its whole input
first) or `sed -n 1p` instead. A head that only feeds a failure message is
allowed: by then the check has failed anyway.

usage: check-test-pipes.py SOURCE_DIR"""
import glob
import os
import re
import sys

BAD = re.compile(r'\|\s*(grep\s+-[A-Za-z]*q[A-Za-z]*\b|head\b)')


def in_fail_message(line, pos):
    """True when the match at pos sits inside fail "...$(...)"."""
    start = line.rfind('fail ', 0, pos)
    return start >= 0 and '$(' in line[start:pos]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    root = sys.argv[1]
    files = sorted(glob.glob(os.path.join(root, 'tests', 'cli', '*.sh')) +
                   glob.glob(os.path.join(root, 'tests', 'cli', '*.inc')))
    bad = 0
    for path in files:
        with open(path, encoding='utf-8') as f:
            for n, line in enumerate(f, 1):
                if line.lstrip().startswith('#'):
                    continue
                for m in BAD.finditer(line):
                    if in_fail_message(line, m.start()):
                        continue
                    print(f'{os.path.relpath(path, root)}:{n}:{m.start() + 1}: '
                          f'"{m.group(0).strip()}" under pipefail can kill the '
                          'writer (SIGPIPE): use grep_q or sed -n 1p')
                    bad += 1
    if bad:
        sys.exit(1)
    print(f'{len(files)} test scripts: no early-stopping reader in a pipe')


if __name__ == '__main__':
    main()
