#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-layers.py: every #include in src/ and cmd/ must name a header of its
own layer or of a layer below it (docs/ARCHITECTURE.md, "Layers").

The build already makes most upward includes fail (a layer's internal headers
are only on the include path of itself and the layers above); public headers
all live in include/frontera/, so this script checks those too. Run by ctest
(test "layers"); prints each violation as FILE:LINE: and exits 1."""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")

# What each layer may use, itself included.
ALLOWED = {
    "core": {"core"},
    "screen": {"core", "screen"},
    "store": {"core", "store"},
    "stats": {"core", "store", "stats"},
    "booth": {"core", "screen", "store", "booth"},
    "http": {"core", "screen", "store", "stats", "booth", "http"},
    "sync": {"core", "screen", "store", "stats", "booth", "http", "sync"},
    "cmd": {"core", "screen", "store", "stats", "booth", "http", "sync", "cmd"},
}
PUBLIC = {
    "core": "status alloc date country csv mrz policy stay event history admit paxlst text linkage"
    " retention",
    "screen": "screen",
    "store": "store ledger",
    "stats": "analytics alerts series snapshot svg synth whatif linkeval",
    "booth": "booth manifest",
    "http": "server auth audit webassets arrivals",
    "sync": "sync",
}
THIRD_PARTY = {
    "sqlite3.h": {"store", "http", "sync"},
    "jansson.h": {"screen", "store", "http", "sync", "cmd"},
    "microhttpd.h": {"http", "cmd"},
    "sodium.h": {"http", "sync", "cmd"},
    "libpq-fe.h": {"store", "http"},
    "curl/curl.h": {"sync", "cmd"},
    "libxml/": {"screen"},
    "unicode/": {"screen", "http", "cmd"},  # http: country names in Spanish (country_words.c)
    "xlsxwriter.h": {"http", "cmd"},
    "xxhash.h": {"stats"},
}


def layer_of_public(name):
    base = os.path.splitext(os.path.basename(name))[0]
    for layer, names in PUBLIC.items():
        if base in names.split():
            return layer
    return None


def main():
    internal = {}  # internal header name -> layer
    for layer in ALLOWED:
        d = os.path.join(ROOT, "src", layer) if layer != "cmd" else os.path.join(ROOT, "cmd")
        for dirpath, _, files in os.walk(d):
            for f in files:
                if f.endswith(".h") or f.endswith(".inc"):
                    internal.setdefault(f, layer)
    bad = 0
    for layer in ALLOWED:
        d = os.path.join(ROOT, "src", layer) if layer != "cmd" else os.path.join(ROOT, "cmd")
        for dirpath, _, files in os.walk(d):
            for f in sorted(files):
                if not f.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, f)
                with open(path, encoding="utf-8") as fh:
                    for no, line in enumerate(fh, 1):
                        m = re.match(r'\s*#\s*include\s*[<"]([^>"]+)[>"]', line)
                        if not m:
                            continue
                        inc = m.group(1)
                        if inc.startswith("frontera/"):
                            dep = layer_of_public(inc)
                            if dep is None:
                                print(f"{path}:{no}: {inc} is in no layer (add it to PUBLIC)")
                                bad += 1
                                continue
                        elif os.path.basename(inc) in internal and "/" not in inc:
                            dep = internal[os.path.basename(inc)]
                        else:
                            users = [v for k, v in THIRD_PARTY.items() if inc.startswith(k)]
                            if users and layer not in users[0]:
                                print(f"{path}:{no}: layer {layer} may not use {inc}")
                                bad += 1
                            continue
                        if dep not in ALLOWED[layer]:
                            print(f"{path}:{no}: layer {layer} includes {inc} of layer {dep}")
                            bad += 1
    if bad:
        print(f"{bad} include(s) break the layering")
        return 1
    print("layers: every include goes downwards")
    return 0


if __name__ == "__main__":
    sys.exit(main())
