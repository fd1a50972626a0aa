#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""rename-internal.py: internal functions and variables carry the prefix fr__.

  rename-internal.py [ROOT]          rename, in place, every internal name
  rename-internal.py --check [ROOT]  list the names to rename; exit 1 if any
  rename-internal.py --list [ROOT]   print "old new" for each name to rename
  rename-internal.py --self-test     rename a small made-up tree and check it

A name is internal when a header under src/ that is not a public header
(include/frontera/, src/*/include/frontera/) declares it as a function or a
global variable, and no public header mentions it. Public names keep fr_
(STYLE.md, docs/ARCHITECTURE.md "Names and symbols"); internal ones become fr__ + the
rest of the name with its leading and trailing underscores stripped, so
fr_x, fr_x_ and fr__x all read fr__x. When that name is taken by another
identifier of the C code, the rest keeps its trailing underscore (fr__x_);
when that is taken too (or there is none), the script names it on stderr,
leaves it as it is and exits 1.

The list is derived from the headers on every run (nothing is hard-coded),
so the script can be re-run on a later tree: it is idempotent, and the
--check mode (ctest tree.names) fails when a new internal name carries the
public prefix. Renaming rewrites each old name as a whole word, strings
and comments included, in src/, include/ (comments only, as a public header
that used the name would make it public), cmd/, tests/, bench/, fuzz/,
docs/ and scripts/ (the generators that write .inc and .c files into src/),
skipping binary files, fuzz corpora and this
script; then it lists any occurrence left elsewhere in the tree. Run
clang-format on the files it names afterwards (`make format`)."""
import os
import re
import sys

REWRITE_DIRS = ["src", "include", "cmd", "tests", "bench", "fuzz", "docs", "scripts"]
SKIP_DIRS = {"corpus", "node_modules", "__pycache__"}
SELF = os.path.abspath(__file__)
IDENT = re.compile(r"[A-Za-z_]\w*")
NOT_NAMES = {
    "__attribute__", "__declspec", "sizeof", "_Alignas", "_Static_assert", "return", "if",
    "while", "for", "switch", "int", "char", "void", "long", "short", "unsigned", "signed",
    "double", "float", "const", "volatile", "static", "extern", "inline", "struct", "enum",
    "union", "restrict", "_Bool", "_Noreturn", "FR_API",
}


def strip_c(text):
    """Comments, string and character literals, preprocessor lines -> blanks
    (newlines kept, so offsets still give line numbers)."""
    out = []
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c in " \t":
            out.append(c)
            i += 1
            continue
        if line_start and c == "#":
            # a preprocessor line, with its continuations
            while i < n and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n and text[i + 1] == "\n":
                    out.append(" \n")
                    i += 2
                    continue
                out.append(" ")
                i += 1
            continue
        line_start = False
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        else:
            if c == "\n":
                line_start = True
            out.append(c)
            i += 1
    return "".join(out)


TOKEN = re.compile(r"[A-Za-z_]\w*|\d\w*|\S")


def tokens(text):
    """(token, line) for the code of a C file."""
    code = strip_c(text)
    for m in TOKEN.finditer(code):
        yield m.group(0), code.count("\n", 0, m.start()) + 1


def declared_names(text):
    """Functions and global variables declared or defined at file scope:
    a list of (name, line, kind)."""
    found = []
    stmt = []
    it = iter(tokens(text))
    for tok, line in it:
        if tok == ";":
            found += statement_names(stmt)
            stmt = []
        elif tok == "{" and [t for t, _ in stmt] == ["extern"]:
            stmt = []  # extern "C" { (the string is blanked): its declarations count
        elif tok == "{":
            is_function = stmt and stmt[-1][0] == ")" and stmt[0][0] != "typedef"
            depth = 1
            for t, _ in it:  # skip the body
                depth += {"{": 1, "}": -1}.get(t, 0)
                if depth == 0:
                    break
            if is_function:
                found += statement_names(stmt)
                stmt = []
            else:
                stmt.append(("{}", line))  # struct/enum/union body
        elif tok == "}":
            stmt = []  # closing an extern "C" block
        else:
            stmt.append((tok, line))
    return found


def statement_names(stmt):
    if not stmt or stmt[0][0] == "typedef":
        return []
    toks = [t for t, _ in stmt]
    depth = 0
    for k, t in enumerate(toks):
        if t == "(":
            prev = toks[k - 1] if k else ""
            if depth == 0 and IDENT.fullmatch(prev) and prev not in NOT_NAMES:
                return [(prev, stmt[k - 1][1], "function")] if prev.startswith("fr_") else []
            if depth == 0 and k + 2 < len(toks) and toks[k + 1] == "*" and IDENT.fullmatch(toks[k + 2]):
                name = toks[k + 2]  # a pointer to a function: int (*fr_x)(void);
                return [(name, stmt[k + 2][1], "variable")] if name.startswith("fr_") else []
            depth += 1
        elif t == ")":
            depth -= 1
        elif t in ("=", "[") and depth == 0:
            break
    # a variable: the last identifier before =, [ or the end
    name, line, prev = None, 0, ""
    for t, ln in stmt:
        if t in ("=", "["):
            break
        if IDENT.fullmatch(t) and t not in NOT_NAMES and prev not in ("struct", "enum", "union"):
            name, line = t, ln
        prev = t
    if name and name.startswith("fr_") and len(stmt) > 1 and "{}" not in toks:
        return [(name, line, "variable")]
    return []


def read(path):
    with open(path, "rb") as fh:
        data = fh.read()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def is_public_header(rel):
    parts = rel.split(os.sep)
    return rel.endswith(".h") and len(parts) >= 3 and parts[-2] == "frontera" and parts[-3] == "include"


def walk(root, top):
    for dirpath, dirs, files in os.walk(os.path.join(root, top)):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS
                         and not d.startswith("build"))
        for f in sorted(files):
            path = os.path.join(dirpath, f)
            if os.path.abspath(path) != SELF:
                yield path


def internal_names(root):
    """{name: (header, line)} for the fr_ names internal headers declare."""
    public, internal = set(), {}
    headers = [p for top in ("include", "src") for p in walk(root, top) if p.endswith(".h")]
    for path in headers:
        rel = os.path.relpath(path, root)
        text = read(path) or ""
        if is_public_header(rel):
            public.update(t for t, _ in tokens(text))
    for path in headers:
        rel = os.path.relpath(path, root)
        if is_public_header(rel) or not rel.startswith("src" + os.sep):
            continue
        for name, line, _kind in declared_names(read(path) or ""):
            if name not in public:
                internal.setdefault(name, (rel, line))
    return internal


def all_identifiers(root):
    """Identifiers of the C code (not its comments or strings, nor the docs,
    which may cite a name before it exists)."""
    idents = set()
    for top in REWRITE_DIRS:
        for path in walk(root, top):
            if path.endswith((".c", ".h", ".inc")):
                text = read(path)
                if text is not None:
                    idents.update(IDENT.findall(strip_c(text)))
    return idents


def plan(root):
    """(internal {name: (header, line)}, renames {old: new}, problems [message])"""
    internal = internal_names(root)
    idents = all_identifiers(root)
    renames, problems, taken = {}, [], {}
    for name in sorted(internal):
        rest = name[len("fr_"):]
        new = None
        cands = list(dict.fromkeys(("fr__" + rest.strip("_"), "fr__" + rest.lstrip("_"))))
        for cand in cands:
            owner = taken.get(cand)
            if cand == name or (cand not in idents and owner is None):
                new = cand
                break
        if new is None:
            where = "%s:%d" % internal[name]
            problems.append(f"{where}: {name}: {' and '.join(cands)} already taken; rename it by hand")
            continue
        taken[new] = name
        if new != name:
            renames[name] = new
    return internal, renames, problems


def rewrite(root, renames):
    if not renames:
        return None, []
    pattern = re.compile(r"(?<![\w])(" + "|".join(map(re.escape, sorted(renames, key=len, reverse=True)))
                         + r")(?![\w])")
    changed = []
    for top in REWRITE_DIRS:
        for path in walk(root, top):
            text = read(path)
            if text is None:
                continue
            new = pattern.sub(lambda m: renames[m.group(1)], text)
            if new != text:
                with open(path, "w", encoding="utf-8") as fh:
                    fh.write(new)
                changed.append(os.path.relpath(path, root))
    return pattern, changed


def leftovers(root, pattern):
    """Occurrences of old names outside the rewritten folders."""
    out = []
    for dirpath, dirs, files in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        top = rel_dir.split(os.sep)[0]
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS
                   and not d.startswith("build") and not (rel_dir == "." and d in REWRITE_DIRS)]
        if top in REWRITE_DIRS:
            continue
        for f in files:
            path = os.path.join(dirpath, f)
            text = read(path)
            if text and pattern.search(text):
                out.append(os.path.relpath(path, root))
    return out


SELF_TEST_FILES = {
    "include/frontera/x.h": 'extern "C" {\nint fr_pub(int a); /* calls fr_hidden */\n}\n',
    "src/core/x_internal.h": (
        'extern "C" {\nstruct fr_fwd;\ntypedef int (*fr_cb)(int);\n'
        "typedef struct fr_thing {\n    int (*fr_field)(int);\n} fr_thing;\n"
        "int fr_hidden(int a);\nint fr_trail_(int a);\nint fr_trail(int a);\nint fr__good(int a);\n"
        "extern const char *const fr_table[];\n"
        "static inline int fr_inl(int x)\n{\n    return x + 1;\n}\nint fr_pub(int a);\n}\n"),
    "src/core/x.c": ('#include "x_internal.h"\nint fr__taken; /* not fr__inl */\n'
                     "int fr_hidden(int a) { return fr_trail_(a) + fr_trail(a) + fr_inl(a); }\n"
                     "int fr_hiddenx(int a) { return a; }\n"),
    "docs/x.md": "`fr_hidden()`, fr_trail_, fr_hiddenx; fr__table cited before it exists\n",
    "src/core/y_internal.h": "int fr_taken(void);\nint fr__taken_(void);\n",
}
SELF_TEST_WANT = {
    "fr_hidden": "fr__hidden", "fr_trail": "fr__trail", "fr_trail_": "fr__trail_",
    "fr_table": "fr__table", "fr_inl": "fr__inl",
}


def self_test():
    """Rename a small tree written for the purpose; 0 when every case holds."""
    import tempfile
    with tempfile.TemporaryDirectory() as root:
        for rel, text in SELF_TEST_FILES.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w", encoding="utf-8") as fh:
                fh.write(text)
        internal, renames, problems = plan(root)
        fails = []
        if renames != SELF_TEST_WANT:
            fails.append(f"renames {renames}")
        # fr_taken: fr__taken (x.c) and fr__taken_ (y_internal.h) are both taken
        if len(problems) != 1 or "fr_taken" not in problems[0]:
            fails.append(f"problems {problems}")
        rewrite(root, renames)
        got = {rel: read(os.path.join(root, rel)) for rel in SELF_TEST_FILES}
        for rel, needle in (("src/core/x.c", "fr__trail_(a) + fr__trail(a) + fr__inl(a)"),
                            ("src/core/x.c", "int fr_hiddenx("), ("docs/x.md", "`fr__hidden()`"),
                            ("include/frontera/x.h", "calls fr__hidden"),
                            ("include/frontera/x.h", "int fr_pub("),
                            ("src/core/x_internal.h", "int (*fr_field)(int);")):
            if needle not in got[rel]:
                fails.append(f"{rel} lacks {needle!r}")
        again = plan(root)[1]
        if again:
            fails.append(f"not idempotent: {again}")
    for f in fails:
        print("self-test: " + f)
    print("self-test: " + ("failed" if fails else "ok"))
    return 1 if fails else 0


def main(argv):
    mode = "rename"
    args = []
    for a in argv:
        if a == "--self-test":
            return self_test()
        if a in ("--check", "--list"):
            mode = a[2:]
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            args.append(a)
    root = os.path.abspath(args[0] if args else os.path.join(os.path.dirname(SELF), ".."))
    internal, renames, problems = plan(root)
    for p in problems:
        print(p, file=sys.stderr)
    if mode == "list":
        for old, new in sorted(renames.items()):
            print(old, new)
        return 1 if problems else 0
    if mode == "check":
        for old, new in sorted(renames.items()):
            hdr, line = internal[old]
            print(f"{hdr}:{line}: {old} is internal and should be named {new} "
                  "(run: python3 scripts/rename-internal.py)")
        print(f"names: {len(internal)} internal names, {len(renames)} to rename")
        return 1 if renames or problems else 0
    if not renames:
        print(f"names: {len(internal)} internal names, none to rename")
        return 1 if problems else 0
    pattern, changed = rewrite(root, renames)
    print(f"names: renamed {len(renames)} of {len(internal)} internal names in {len(changed)} files:")
    for path in changed:
        print("  " + path)
    rest = leftovers(root, pattern)
    if rest:
        print("old names still appear outside " + ", ".join(REWRITE_DIRS) + " (edit by hand):")
        for path in rest:
            print("  " + path)
    print("now run: clang-format -i on the C files above (or make format)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
