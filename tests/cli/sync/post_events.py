#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""post_events.py URL TOKEN FILE.csv [BATCH [--officer]]: send the events of
a CSV file (the `frontera import` layout) to a frontera server's POST
/v1/events in batches, as the user holding TOKEN (with --officer, a post
user, the file's officer column goes too); exit 1 unless every event is
recorded or already there. Used by tests/cli/pg_sync.sh to record events at
a border post's server and at the reference ledger's."""
import csv
import json
import sys
import urllib.request

url, token, path = sys.argv[1], sys.argv[2], sys.argv[3]
size = int(sys.argv[4]) if len(sys.argv) > 4 else 200
with open(path, newline="") as fh:
    # the officer goes with the event only when the caller is a post (role post)
    keep = {"officer"} if len(sys.argv) > 5 and sys.argv[5] == "--officer" else set()
    rows = [{k: (json.loads(v) if k == "reasons" else v) for k, v in r.items()
             if v and (k != "officer" or k in keep)}
            for r in csv.DictReader(fh)]
for i in range(0, len(rows), size):
    body = json.dumps({"events": rows[i:i + size]}).encode()
    req = urllib.request.Request(url + "/v1/events", data=body, method="POST",
                                 headers={"Authorization": "Bearer " + token,
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        ans = json.load(r)
    bad = [x for x in ans["results"] if x["status"] not in ("recorded", "duplicate")]
    if bad:
        print("refused:", bad[:3], file=sys.stderr)
        sys.exit(1)
