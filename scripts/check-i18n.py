#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-i18n.py: no human sentence of the frontera program escapes translation.

Scans cmd/frontera/*.c and *.h for string literals (adjacent literals joined) that
hold English words -- two words of letters in a row, once format directives
(%s, %-12s, %zu ...) and escapes are taken out -- and that are not the
argument of _(), N_() or ngettext(). Such a literal is a message an officer
would read in English under LANG=es_EC.UTF-8. Machine output (JSON members,
CSV headings, codes, SQL, option names) is legitimate English: it is listed,
with the reason, in scripts/i18n-allow.txt, as "FILE<TAB>LITERAL" lines.

  check-i18n.py [--root DIR] [FILE...]   exit 0 clean, 1 findings listed

Files named on the command line are scanned instead of cmd/frontera/*.c (the
test uses this to show that an unmarked string is found). Files skipped on
purpose are in SKIP below.
"""
import glob
import os
import re
import sys

# Files not scanned (none: every program file is marked).
SKIP = set()

# The calls whose string argument is translated, and which argument (from 0;
# None: all): cli_usage_error passes its format through gettext itself.
MARKERS = {"_": None, "N_": None, "gettext": None, "ngettext": {0, 1}, "cli_usage_error": {1}}
DIRECTIVE = re.compile(r"%(?:\d+\$)?[-+ #0']*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?:hh|h|ll|l|z|j|t|L)?[a-zA-Z%]")
ESCAPE = re.compile(r"\\(?:[ntr0\\\"'?abfv]|x[0-9a-fA-F]+|[0-7]{1,3})")
WORDS = re.compile(r"[A-Za-z]{2,}[ ]+[A-Za-z]{2,}")
WORD = re.compile(r"[A-Za-z]{2,}")
# JSON is machine output, the same in every language: a literal given
# straight to these is never a message to translate.
JSON_CALLS = {"json_string", "json_pack", "json_object_set_new", "json_object_get"}
# Printed directly: here one word is enough ("  stay:       %s\n").
PRINTERS = {"printf", "fprintf", "fputs", "puts", "vfprintf"}


def tokens(src):
    """Yield (kind, text, line, start, end) for C tokens: 'str', 'id', 'punct'.
    Comments and preprocessor lines other than #define are dropped."""
    i, n, line = 0, len(src), 1
    at_line_start = True
    while i < n:
        c = src[i]
        if c == "\n":
            line += 1
            i += 1
            at_line_start = True
            continue
        if c in " \t\r\f\v":
            i += 1
            continue
        if c == "\\" and src.startswith("\\\n", i):  # line continuation
            line += 1
            i += 2
            continue
        if at_line_start and c == "#":
            # #include and #error lines are skipped; a #define's body is
            # scanned like code (a help text may live in a macro)
            m = re.match(r"#\s*(\w+)(\s+\w+(\([^)]*\))?)?", src[i:])
            if m.group(1) in ("define",):
                i += len(m.group(0))
                at_line_start = False
                continue
            while i < n and src[i] != "\n":
                if src[i] == "\\" and i + 1 < n and src[i + 1] == "\n":
                    line += 1
                    i += 1
                i += 1
            continue
        at_line_start = False
        if src.startswith("//", i):
            while i < n and src[i] != "\n":
                i += 1
            continue
        if src.startswith("/*", i):
            j = src.index("*/", i + 2)
            line += src.count("\n", i, j)
            i = j + 2
            continue
        if c == '"' or c == "'":
            j = i + 1
            while src[j] != c:
                j += 2 if src[j] == "\\" else 1
            if c == '"':
                yield ("str", src[i + 1 : j], line, i, j + 1)
            else:
                yield ("punct", "chr", line, i, j + 1)
            i = j + 1
            continue
        m = re.match(r"[A-Za-z_][A-Za-z0-9_]*", src[i:i + 64])
        if m:
            yield ("id", m.group(0), line, i, i + len(m.group(0)))
            i += len(m.group(0))
            continue
        yield ("punct", c, line, i, i + 1)
        i += 1


def literals(src):
    """(joined literal, line, marked, printed, start, end) for every string literal in
    src; start..end spans the adjacent literals joined."""
    toks = list(tokens(src))
    out = []
    stack = []  # for each open bracket: [identifier before it, argument number]
    k = 0
    while k < len(toks):
        kind, text, line, start, _ = toks[k]
        if kind == "punct" and text in "([{":
            prev = toks[k - 1] if k else None
            name = prev[1] if text == "(" and prev and prev[0] == "id" else None
            stack.append([name, 0])
        elif kind == "punct" and text in ")]}":
            if stack:
                stack.pop()
        elif kind == "punct" and text == "," and stack:
            stack[-1][1] += 1
        elif kind == "str":
            parts = [text]
            while k + 1 < len(toks) and toks[k + 1][0] == "str":
                k += 1
                parts.append(toks[k][1])
            marked = False
            if stack and stack[-1][0] in MARKERS:
                which = MARKERS[stack[-1][0]]
                marked = which is None or stack[-1][1] in which
            printed = bool(stack) and stack[-1][0] in PRINTERS
            if stack and stack[-1][0] in JSON_CALLS:
                k += 1
                continue
            out.append(("".join(parts), line, marked, printed, start, toks[k][4]))
        k += 1
    return out


CSV_HEADER = re.compile(r"^[a-z0-9_]+(,[a-z0-9_]+)+,?(\\n)?$")
JSON_WORDS = {"null", "true", "false"}


def human(lit, printed):
    bare = ESCAPE.sub(" ", DIRECTIVE.sub(" ", lit))
    if WORDS.search(bare):
        return True
    # one word printed: a label ("  stay:  %s"), unless it is JSON (quoted
    # members, null/true/false) or a CSV heading row
    if not printed or '\\"' in lit or CSV_HEADER.match(lit) or lit in JSON_WORDS:
        return False
    return bool(WORD.search(bare))


def load_allow(path):
    allow = set()
    with open(path, encoding="utf-8") as f:
        for raw in f:
            if not raw.strip() or raw.startswith("#"):
                continue
            name, _, lit = raw.rstrip("\n").partition("\t")
            allow.add((name, lit))
    return allow


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    args = argv[1:]
    if len(args) >= 2 and args[0] == "--root":
        root, args = args[1], args[2:]
    files = args or sorted(glob.glob(os.path.join(root, "cmd/frontera/*.[ch]")))
    allow = load_allow(os.path.join(root, "scripts/i18n-allow.txt"))
    found = 0
    for path in files:
        name = os.path.basename(path)
        if not args and name in SKIP:
            continue
        with open(path, encoding="utf-8") as f:
            src = f.read()
        for lit, line, marked, printed, _, _ in literals(src):
            if marked or not human(lit, printed) or (name, lit) in allow:
                continue
            print(f'{path}:{line}: not marked for translation: "{lit}"')
            found += 1
    if found:
        print(f"check-i18n.py: {found} human string(s) without _() / N_(); mark them, "
              "or list machine output in scripts/i18n-allow.txt with the reason", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
