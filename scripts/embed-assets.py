#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""embed-assets.py: turn the web pages' files into one C source file.

Usage: embed-assets.py --out FILE.c URL=PATH [URL=PATH ...]

Each URL=PATH pair puts the bytes of PATH in a constant array answered for the
request path URL (it must start with "/"; several URLs may name one file, as
"/" and "/index.html" do). The generated file implements
include/frontera/webassets.h: fr_web_asset() and fr_web_asset_etag(), over a
table sorted by URL and searched by bisection. Each asset gets its
Content-Type from its file name's extension (an unknown extension is an error,
so nothing is served as the wrong type) and an ETag: the quoted hex of the
64-bit FNV-1a hash of its bytes. Python 3 standard library only; the output is
byte-for-byte the same for the same input (written to a temporary file and
renamed, so an interrupted build leaves no half file).

HTML pages may hold lines `<!--#include NAME key="value" ...-->`: each is
replaced by the file NAME of the --partials directory, with every {{key}} in
it replaced by its value (the header, navigation and sign-in form every page
shares live there once), so the embedded page is whole.
"""
import argparse
import os
import re
import sys

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
}
MAX_ASSET_BYTES = 4 << 20  # a page asset larger than this is a mistake


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def c_string(s):
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif 32 <= ord(ch) < 127:
            out.append(ch)
        else:
            raise ValueError("non-ASCII character in %r" % s)
    return '"' + "".join(out) + '"'


def c_bytes(data):
    # A trailing NUL keeps every array non-empty and text assets terminated;
    # the recorded length leaves it out.
    data = data + b"\0"
    lines = []
    for i in range(0, len(data), 24):
        lines.append("    " + ",".join(str(b) for b in data[i:i + 24]) + ",")
    return "\n".join(lines)


def fail(msg):
    sys.stderr.write("embed-assets: %s\n" % msg)
    sys.exit(2)


INCLUDE = re.compile(rb'^[ \t]*<!--#include ([A-Za-z0-9_.-]+)((?: [a-z]+="[^"]*")*)-->[ \t]*\n', re.M)
PARAM = re.compile(rb'([a-z]+)="([^"]*)"')


def expand(path, data, partials):
    """The page with each include line replaced by its partial."""
    def one(m):
        name = m.group(1).decode()
        if not partials:
            fail("%s: includes %s but no --partials directory was given" % (path, name))
        try:
            with open(os.path.join(partials, name), "rb") as f:
                text = f.read()
        except OSError as e:
            fail("%s: cannot include %s: %s" % (path, name, e.strerror))
        for key, value in PARAM.findall(m.group(2)):
            text = text.replace(b"{{" + key + b"}}", value)
        left = re.search(rb"\{\{([a-z]+)\}\}", text)
        if left:
            fail("%s: include %s leaves {{%s}} without a value" % (path, name, left.group(1).decode()))
        return text
    return INCLUDE.sub(one, data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="C file to write")
    ap.add_argument("--partials", help="directory of the files HTML pages include")
    ap.add_argument("pairs", nargs="+", metavar="URL=PATH")
    args = ap.parse_args()

    files = {}   # path -> index into blobs
    blobs = []   # (path, bytes, content type, etag)
    routes = {}  # url -> blob index
    for pair in args.pairs:
        url, sep, path = pair.partition("=")
        if not sep or not url.startswith("/") or not path:
            fail("%r: expected URL=PATH with URL starting with /" % pair)
        if any(c in url for c in "?#\\ ") or ".." in url:
            fail("%r: a URL may not hold '?', '#', '\\', a space or '..'" % url)
        if url in routes:
            fail("%s: named twice" % url)
        if path not in files:
            ext = os.path.splitext(path)[1].lower()
            if ext not in CONTENT_TYPES:
                fail("%s: no content type known for '%s' files (add it to CONTENT_TYPES)" % (path, ext))
            try:
                with open(path, "rb") as f:
                    data = f.read(MAX_ASSET_BYTES + 1)
            except OSError as e:
                fail("%s: cannot read: %s" % (path, e.strerror))
            if ext == ".html":
                data = expand(path, data, args.partials)
            if len(data) > MAX_ASSET_BYTES:
                fail("%s: larger than %d bytes" % (path, MAX_ASSET_BYTES))
            files[path] = len(blobs)
            blobs.append((path, data, CONTENT_TYPES[ext], '"%016x"' % fnv1a64(data)))
        routes[url] = files[path]

    out = []
    out.append("/* Generated by scripts/embed-assets.py from web/: do not edit.\n"
               " * The table implements include/frontera/webassets.h. */")
    out.append("#include <string.h>\n")
    out.append('#include "frontera/webassets.h"\n')
    for i, (path, data, _ctype, _etag) in enumerate(blobs):
        out.append("/* %s (%d bytes) */" % (os.path.basename(path).replace("*/", "* /"), len(data)))
        out.append("static const unsigned char asset_%d[%d] = {" % (i, len(data) + 1))
        out.append(c_bytes(data))
        out.append("};\n")
    out.append("struct web_route {\n    const char *url;\n    const unsigned char *data;\n"
               "    size_t len;\n    const char *content_type;\n    const char *etag;\n};\n")
    out.append("/* Sorted by url (strcmp order) for bisection. */")
    out.append("static const struct web_route routes[] = {")
    for url in sorted(routes, key=lambda u: u.encode()):
        path, data, ctype, etag = blobs[routes[url]]
        out.append("    {%s, asset_%d, %d, %s, %s}," % (c_string(url), routes[url], len(data),
                                                    c_string(ctype), c_string(etag)))
    out.append("};\n")
    out.append(r"""/* The route for path, ignoring a query string or fragment; NULL if none. */
static const struct web_route *find_route(const char *path)
{
    if (!path) return NULL;
    size_t n = strcspn(path, "?#");
    size_t lo = 0, hi = sizeof routes / sizeof routes[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *u = routes[mid].url;
        int c = strncmp(u, path, n);
        if (c == 0 && u[n] != '\0') c = 1; /* u is longer than the path: after it */
        if (c == 0) return &routes[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int fr_web_asset(const char *path, const unsigned char **data, size_t *len,
                 const char **content_type)
{
    const struct web_route *r = find_route(path);
    if (!r) return 0;
    if (data) *data = r->data;
    if (len) *len = r->len;
    if (content_type) *content_type = r->content_type;
    return 1;
}

const char *fr_web_asset_etag(const char *path)
{
    const struct web_route *r = find_route(path);
    return r ? r->etag : NULL;
}
""")
    text = "\n".join(out)
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write(text)
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
