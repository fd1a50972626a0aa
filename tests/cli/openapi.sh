#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# openapi.sh: docs/openapi.yaml is kept true. Every operation it lists is
# called on the real server: without a token it must answer 401 (unless its
# security is empty), for each role outside its x-roles 403, and for its
# x-test-body sent by its first role x-test-status - each status one the
# document lists for the operation, with a media type it lists. Every route
# the server implements (SRV_ROUTES in src/http/server_internal.h) must be in the
# document, and every path in the document must be a route.
set -euo pipefail
F=${FRONTERA:?}
SRC=${FR_SOURCE_DIR:?}
T=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export FRONTERA_DB="$T/ledger.db"
cp "$SRC/data/policy/ecu.policy" "$T/ecu.policy"
for r in officer supervisor analyst admin carrier; do "$F" user add "u-$r" --role "$r" >"$T/token.$r"; done
"$F" user add u-post --role post --ports ECUIO >"$T/token.post"
"$F" serve --listen 127.0.0.1:0 --policy "$T/ecu.policy" --quiet >"$T/out" 2>"$T/err" &
PID=$!
for _ in $(seq 100); do grep -q '^listening on' "$T/out" 2>/dev/null && break; sleep 0.1; done
U=$(sed -n 's/^listening on //p' "$T/out")
[ -n "$U" ] || fail "the server did not start: $(cat "$T/err")"

python3 - "$SRC/docs/openapi.yaml" "$SRC/src/http/server_internal.h" "$U" "$T" <<'PY'
import json, re, sys, urllib.request, urllib.error
spec, internal, base, tmp = sys.argv[1:5]
lines = open(spec).read().split("\n")
ROLES = ["officer", "supervisor", "analyst", "admin", "carrier", "post"]
tokens = {r: open(f"{tmp}/token.{r}").read().strip() for r in ROLES}

def fail(msg):
    print("FAIL:", msg, file=sys.stderr)
    sys.exit(1)

# components/responses: name -> media types
comp, in_comp, in_resp, cur = {}, False, False, None
for ln in lines:
    if re.match(r"^\S", ln):
        in_comp = ln.startswith("components:")
        continue
    if in_comp:
        if re.match(r"^  \S", ln):
            in_resp = ln.strip() == "responses:"
            continue
        m = re.match(r"^    (\w+):\s*$", ln)
        if in_resp and m:
            cur = m.group(1); comp[cur] = []
            continue
        m = re.match(r"^        ([a-z+/.-]+):\s*$", ln)
        if in_resp and cur and m and "/" in m.group(1):
            comp[cur].append(m.group(1))

# paths -> operations
ops, in_paths, path, op, resp = [], False, None, None, None
for ln in lines:
    if re.match(r"^\S", ln):
        in_paths = ln.startswith("paths:")
        continue
    if not in_paths:
        continue
    m = re.match(r"^  (/\S*):\s*$", ln)
    if m:
        path = m.group(1); continue
    m = re.match(r"^    (get|post|put|delete|patch):\s*$", ln)
    if m:
        op = {"path": path, "method": m.group(1).upper(), "roles": None, "secure": True,
              "test_path": path, "body": None, "status": None, "responses": {}}
        ops.append(op); resp = None; continue
    if op is None:
        continue
    m = re.match(r"^      (security|x-roles|x-test-path|x-test-body|x-test-status):\s*(.*)$", ln)
    if m:
        k, v = m.group(1), m.group(2).strip()
        if k == "security": op["secure"] = v != "[]"
        elif k == "x-roles": op["roles"] = [x.strip() for x in v.strip("[]").split(",")]
        elif k == "x-test-path": op["test_path"] = v
        elif k == "x-test-body": op["body"] = v[1:-1] if v.startswith("'") else v
        else: op["status"] = int(v)
        continue
    m = re.match(r"^        '(\d{3})':\s*(.*)$", ln)
    if m:
        resp = m.group(1)
        ref = re.search(r"#/components/responses/(\w+)", m.group(2))
        if ref:
            if ref.group(1) not in comp: fail(f"{op['method']} {path}: unknown response {ref.group(1)}")
            op["responses"][resp] = list(comp[ref.group(1)])
        else:
            op["responses"][resp] = []
        continue
    m = re.match(r"^            ([a-z+/.-]+):\s*$", ln)
    if m and resp and "/" in m.group(1):
        op["responses"][resp].append(m.group(1))

if len(ops) < 10: fail(f"only {len(ops)} operations found in {spec}: is the layout kept?")
try:  # when PyYAML is there, the file must also be valid YAML with the same operations
    import yaml
except ImportError:
    yaml = None
if yaml:
    try: doc = yaml.safe_load(open(spec))
    except yaml.YAMLError as e: fail(f"{spec} is not valid YAML: {e}")
    full = {(m.upper(), p) for p, item in doc["paths"].items() for m in item}
    if full != {(o["method"], o["path"]) for o in ops}:
        fail(f"the line parser and YAML disagree: {sorted(full ^ {(o['method'], o['path']) for o in ops})}")

# the server's routes and the document's operations are the same set
routes = set(re.findall(r'X\(R_\w+, "([A-Z]+)", "(/[^"]*)"\)', open(internal).read()))
documented = {(o["method"], o["path"]) for o in ops}
if routes != documented:
    fail(f"routes not documented: {sorted(routes - documented)}; documented but not routes: {sorted(documented - routes)}")

def call(method, path, token, body):
    data, headers = None, {}
    if token: headers["Authorization"] = "Bearer " + token
    if body is not None:
        data = body.encode()
        try:
            json.loads(body); headers["Content-Type"] = "application/json"
        except ValueError:
            headers["Content-Type"] = "text/plain"
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()

def check(o, status, ctype, body, why):
    name = f"{o['method']} {o['path']} ({why})"
    code = str(status)
    if code not in o["responses"]:
        fail(f"{name}: answered {code}, which the document does not list ({sorted(o['responses'])}): {body[:300]!r}")
    media = ctype.split(";")[0].strip()
    if o["responses"][code] and media not in o["responses"][code]:
        fail(f"{name}: {code} came as {media}, the document says {o['responses'][code]}")
    if media.endswith("json"):
        try: doc = json.loads(body)
        except ValueError: fail(f"{name}: the body is not JSON: {body[:200]!r}")
        if media == "application/problem+json":
            for k in ("type", "title", "status", "detail"):
                if k not in doc: fail(f"{name}: problem without {k}: {doc}")
            if doc["status"] != status: fail(f"{name}: problem status {doc['status']} != {status}")

checked = 0
for o in ops:
    roles = o["roles"] or fail(f"{o['method']} {o['path']}: no x-roles")
    if o["status"] is None: fail(f"{o['method']} {o['path']}: no x-test-status")
    if str(o["status"]) not in o["responses"]:
        fail(f"{o['method']} {o['path']}: x-test-status {o['status']} is not a documented response")
    if o["secure"]:
        st, ct, b = call(o["method"], o["test_path"], None, o["body"])
        if st != 401: fail(f"{o['method']} {o['path']}: without a token expected 401, got {st}")
        check(o, st, ct, b, "no token"); checked += 1
    if roles != ["none"]:
        for r in ROLES:
            if r in roles: continue
            st, ct, b = call(o["method"], o["test_path"], tokens[r], o["body"])
            if st != 403: fail(f"{o['method']} {o['path']}: role {r} expected 403, got {st}: {b[:200]!r}")
            check(o, st, ct, b, f"role {r}"); checked += 1
    who = None if roles == ["none"] else tokens[roles[0]]
    st, ct, b = call(o["method"], o["test_path"], who, o["body"])
    if st != o["status"]:
        fail(f"{o['method']} {o['path']}: expected {o['status']}, got {st}: {b[:300]!r}")
    check(o, st, ct, b, "example"); checked += 1
print(f"openapi.sh: {len(ops)} operations, {checked} answers checked against {spec}")
PY
