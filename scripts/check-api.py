#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-api.py: the installed C API is exactly what include/frontera declares.

  check-api.py annotate        prefix every function declared in the public
                               headers with FR_API (idempotent)
  check-api.py check [LIB.so]  fail when a public declaration lacks FR_API, or
                               (given the shared library) when the library
                               exports a symbol that is not declared public,
                               or does not export one that is

The layers are compiled with -fvisibility=hidden, so only FR_API functions
leave libfrontera.so; internal functions shared between files of a layer stay
inside it whatever their name. Run by ctest (tree.api)."""
import os
import re
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
INC = os.path.join(ROOT, "include", "frontera")
# a declaration starting at column 0: type words, then fr_name(
DECL = re.compile(r"^(?!typedef\b|static\b|extern\b|return\b|#|FR_API\b)"
                  r"((?:const\s+|unsigned\s+|struct\s+|enum\s+)*[A-Za-z_]\w*(?:[\s\*]+const\b)*[\s\*]+)(fr_\w+)\s*\(")
SKIP = {"api.h"}


def headers():
    for f in sorted(os.listdir(INC)):
        if f.endswith(".h") and f not in SKIP:
            yield os.path.join(INC, f)


def declared():
    names = {}
    for path in headers():
        with open(path, encoding="utf-8") as fh:
            for i, line in enumerate(fh, 1):
                m = re.match(r"^FR_API\s+(?:const\s+|unsigned\s+|struct\s+|enum\s+)*[A-Za-z_]\w*(?:[\s\*]+const\b)*[\s\*]+(fr_\w+)\s*\(", line)
                if m:
                    names[m.group(1)] = (path, i, True)
                    continue
                m = DECL.match(line)
                if m:
                    names[m.group(2)] = (path, i, False)
    return names


def annotate():
    for path in headers():
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        lines = text.split("\n")
        changed = False
        for i, line in enumerate(lines):
            if DECL.match(line):
                lines[i] = "FR_API " + line
                changed = True
        if "FR_API" in "\n".join(lines) and "#include \"frontera/api.h\"" not in text:
            # after the include guard's #define
            for i, line in enumerate(lines):
                if line.startswith("#define FRONTERA_") and line.endswith("_H"):
                    lines.insert(i + 1, '\n#include "frontera/api.h"')
                    changed = True
                    break
        if changed:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write("\n".join(lines))


def check(lib):
    bad = 0
    names = declared()
    for name, (path, line, ok) in sorted(names.items()):
        if not ok:
            print(f"{os.path.relpath(path, ROOT)}:{line}: {name} is declared without FR_API "
                  f"(run: python3 scripts/check-api.py annotate)")
            bad += 1
    if lib:
        out = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True,
                             check=True).stdout
        exported = {l.split()[-1] for l in out.splitlines() if l.split()[1:2] and l.split()[1] in "TDRBVW"}
        exported = {e for e in exported if not e.startswith("_")}
        for e in sorted(exported - set(names)):
            print(f"{lib}: exports {e}, which no public header declares")
            bad += 1
        for n in sorted(set(names) - exported):
            path, line, _ = names[n]
            print(f"{os.path.relpath(path, ROOT)}:{line}: {n} is declared but {lib} does not export it")
            bad += 1
        print(f"api: {len(names)} public functions, {len(exported)} exported")
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "annotate":
        annotate()
        sys.exit(0)
    sys.exit(check(sys.argv[2] if len(sys.argv) > 2 else None))
