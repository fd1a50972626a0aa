#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""cold_reports.py: a report as a user runs it, a new process each time, for two or more builds alternated.

  cold_reports.py ROUNDS NAME=FRONTERA:LEDGER ... -- REPORT ARGS...

Runs `FRONTERA --db LEDGER REPORT ARGS...` ROUNDS times for each build, one after the other in each
round (so a change of the machine's load falls on all alike), output discarded, and prints the best
and the median wall time of each. Each ledger keeps its own analytics snapshot (LEDGER.analytics):
give each build its own copy of the ledger when their snapshot formats differ.
"""
import subprocess
import sys
import time


def main():
    if "--" not in sys.argv or len(sys.argv) < 4:
        sys.exit(__doc__)
    cut = sys.argv.index("--")
    rounds = int(sys.argv[1])
    builds = [a.split("=", 1) for a in sys.argv[2:cut]]
    args = sys.argv[cut + 1:]
    res = {name: [] for name, _ in builds}
    for _ in range(rounds):
        for name, spec in builds:
            exe, db = spec.rsplit(":", 1)
            t0 = time.perf_counter()
            subprocess.run([exe, "--db", db] + args, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=True)
            res[name].append(time.perf_counter() - t0)
    for name, v in res.items():
        v.sort()
        print(f"{name}: best {v[0] * 1000:.1f} ms, median {v[len(v) // 2] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
