#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""gen-web-words.py: the library's and the server's error formats in Spanish, for the pages.

A problem document from the server carries, beside its English detail, the
format(s) the detail was made with and the values printed in it
(detail_parts; docs/server.md), and an English title. The pages say them in
Spanish from this map of English text -> Spanish text (web/assets/i18n.js,
problemText), which holds every translated entry of po/es.po: the library's
and the server's formats and titles are there beside the program's messages
(tests/cli/i18n.sh checks that each one of src/ is translated, and in the map).

  gen-web-words.py PO OUT.json
"""
import json
import re
import sys

ESC = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def unquote(lines):
    s = "".join(l[l.index('"') + 1 : l.rindex('"')] for l in lines)
    return re.sub(r'\\(.)', lambda m: ESC.get(m.group(1), m.group(1)), s)


def entries(text):
    for block in re.split(r"\n\s*\n", text):
        key, cur = None, {"msgid": [], "msgstr": []}
        fuzzy = False
        for line in block.split("\n"):
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            if line.startswith("msgid "):
                key = "msgid"
            elif line.startswith("msgstr "):
                key = "msgstr"
            elif line.startswith("msgid_plural") or line.startswith("msgstr["):
                key = None
            if key and (line.startswith('"') or line.startswith(key + ' "')):
                cur[key].append(line)
        if cur["msgid"] and not fuzzy:
            yield unquote(cur["msgid"]), unquote(cur["msgstr"])


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen-web-words.py PO OUT.json")
    text = open(sys.argv[1], encoding="utf-8").read()
    words = {i: s for i, s in entries(text) if i and s}
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(words, f, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
