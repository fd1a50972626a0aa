#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""rename-internal.py: internal functions and variables carry the prefix fr__.

  rename-internal.py [ROOT]          rename, in place, every internal name
  rename-internal.py --check [ROOT] [LIB.a ...] [--nm NM]
                                     list the names to rename; exit 1 if any,
                                     or if a file still says an old name, or
                                     if an archive has a global symbol that is
                                     neither public nor fr__
  rename-internal.py --list [ROOT]   print "old new" for each name to rename
  rename-internal.py --self-test     rename a small made-up tree and check it

Public names are those the public headers (include/frontera/,
src/*/include/frontera/) mention; they keep fr_ (STYLE.md,
docs/ARCHITECTURE.md "Names and symbols"). Every other name that leaves its
file must carry fr__: a static archive (libfrontera_*.a) would otherwise
define it for whatever program links it. A name is internal when

  - a header under src/ that is not public declares it, as a function or a
    global variable, with fr_ (fr_x); or
  - a .c or .inc file under src/ defines it as a function or a variable
    without static, whatever its prefix (sq_x, srv_x, mrz_x): nm lists these
    as global symbols of the archives.

An internal name becomes fr__ + the name (its fr_ dropped) with leading and
trailing underscores stripped, so fr_x, fr_x_ and fr__x all read fr__x, and
sq_x reads fr__sq_x. When that name is taken by another identifier of
the C code, the rest keeps its trailing underscore (fr__x_); when that is
taken too (or there is none), the script names it on stderr, leaves it as it
is and exits 1. Static functions and variables keep their names.

The names to rename are derived from the sources on every run, so the script
can be re-run on a later tree (idempotent). Each rename is also written to
scripts/internal-names.txt ("old new"), and later runs rewrite whatever still
says an old name: code from a branch merged after the rename. --check (ctest
tree.names) fails on a new internal name without fr__, on an old name still
said, and, given the built archives, on any global symbol nm finds in them
that is neither public nor fr__ (names starting with __, the compiler's own,
aside): that catches what the source reading cannot see (a definition made
by a macro).

Renaming rewrites each old name as a whole word, strings and comments
included, but not as part of a file name (pg_purge.sh) or of a dotted name
(the ctest cli.pg_purge), in src/, include/ (comments only, as a public
header that used the name would make it public), cmd/, tests/, bench/,
fuzz/, docs/ and scripts/ (the generators that write .inc and .c files into
src/), skipping binary files, fuzz corpora, this script and its list; then it
lists any occurrence left elsewhere in the tree. Run clang-format on the
files it names afterwards (`make format`)."""
import os
import re
import subprocess
import sys

REWRITE_DIRS = ["src", "include", "cmd", "tests", "bench", "fuzz", "docs", "scripts"]
SKIP_DIRS = {"corpus", "node_modules", "__pycache__"}
SELF = os.path.abspath(__file__)
LIST = os.path.join("scripts", "internal-names.txt")
LIST_HEAD = """\
# The internal names renamed so far: old name, new name (scripts/rename-internal.py
# adds a line for each name it renames, and renames again whatever still says
# an old name: a branch merged after the rename). Lines may be removed once no
# branch can say the old name.
"""
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


def file_scope(text):
    """The statements at file scope: (tokens [(token, line)], has_body), a
    function's body being skipped and a struct's or initializer's braces
    kept as one token "{}"."""
    stmt = []
    it = iter(tokens(text))
    for tok, line in it:
        if tok == ";":
            yield stmt, False
            stmt = []
        elif tok == "{" and [t for t, _ in stmt] == ["extern"]:
            stmt = []  # extern "C" { (the string is blanked): its declarations count
        elif tok == "{":
            is_function = stmt and stmt[-1][0] == ")" and stmt[0][0] != "typedef" \
                and "=" not in [t for t, _ in stmt]
            depth = 1
            for t, _ in it:  # skip the body
                depth += {"{": 1, "}": -1}.get(t, 0)
                if depth == 0:
                    break
            if is_function:
                yield stmt, True
                stmt = []
            else:
                stmt.append(("{}", line))  # struct/enum/union body, or an initializer
        elif tok == "}":
            stmt = []  # closing an extern "C" block
        else:
            stmt.append((tok, line))


def statement_decl(stmt):
    """The function or variable a file-scope statement declares:
    (name, line, kind, index of the name) or None."""
    if not stmt or stmt[0][0] in ("typedef", "_Static_assert", "static_assert"):
        return None
    toks = [t for t, _ in stmt]
    depth = 0
    for k, t in enumerate(toks):
        if t == "(":
            prev = toks[k - 1] if k else ""
            if depth == 0 and IDENT.fullmatch(prev) and prev not in NOT_NAMES:
                return prev, stmt[k - 1][1], "function", k - 1
            if depth == 0 and k + 2 < len(toks) and toks[k + 1] == "*" and IDENT.fullmatch(toks[k + 2]):
                return toks[k + 2], stmt[k + 2][1], "variable", k + 2  # int (*fr_x)(void);
            depth += 1
        elif t == ")":
            depth -= 1
        elif t in ("=", "[") and depth == 0:
            break
    # a variable: the last identifier before =, [ or the end
    found, prev = None, ""
    for k, (t, ln) in enumerate(stmt):
        if t in ("=", "["):
            break
        if IDENT.fullmatch(t) and t not in NOT_NAMES and prev not in ("struct", "enum", "union"):
            found = (t, ln, "variable", k)
        elif t == "{}":
            found = None  # struct s { ... }; declares no variable
        prev = t
    return found if found and len(stmt) > 1 else None


def declared_names(text):
    """Functions and global variables named fr_... that a header declares or
    defines at file scope: a list of (name, line, kind)."""
    found = []
    for stmt, _body in file_scope(text):
        d = statement_decl(stmt)
        if d and d[0].startswith("fr_"):
            found.append(d[:3])
    return found


def external_definitions(text):
    """Functions and variables a .c file defines with external linkage (not
    static): what nm lists as its global symbols. A list of (name, line, kind)."""
    found = []
    for stmt, body in file_scope(text):
        d = statement_decl(stmt)
        if not d:
            continue
        name, line, kind, k = d
        storage = {t for t, _ in stmt[:k]}
        if "static" in storage or (kind == "function" and not body):
            continue  # internal linkage, or a prototype
        if kind == "variable" and "extern" in storage and "=" not in [t for t, _ in stmt]:
            continue  # a declaration
        found.append((name, line, kind))
    return found


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


def public_names(root):
    """Every identifier of the code of the public headers."""
    public = set()
    for top in ("include", "src"):
        for path in walk(root, top):
            if is_public_header(os.path.relpath(path, root)):
                public.update(t for t, _ in tokens(read(path) or ""))
    return public


def internal_names(root, public=None):
    """{name: (file, line)} for the names to carry fr__: the fr_ functions
    and variables the internal headers declare, and every function or
    variable a .c (or .inc) file under src/ defines with external linkage;
    public names aside."""
    public = public_names(root) if public is None else public
    internal = {}
    for path in walk(root, "src"):
        rel = os.path.relpath(path, root)
        if is_public_header(rel):
            continue
        if path.endswith(".h"):
            found = declared_names(read(path) or "")
        elif path.endswith((".c", ".inc")):
            found = external_definitions(read(path) or "")
        else:
            continue
        for name, line, _kind in found:
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


def read_list(root):
    """{old: new} from the list of the renames made so far."""
    renames = {}
    path = os.path.join(root, LIST)
    text = (read(path) or "") if os.path.exists(path) else ""
    for n, line in enumerate(text.split("\n"), 1):
        words = line.split("#")[0].split()
        if len(words) == 2 and all(IDENT.fullmatch(w) for w in words):
            renames[words[0]] = words[1]
        elif words:
            print(f"{LIST}:{n}: not a line 'old new'", file=sys.stderr)
    return renames


def write_list(root, renames):
    path = os.path.join(root, LIST)
    width = max(len(old) for old in renames)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(LIST_HEAD)
        for old, new in sorted(renames.items()):
            fh.write(f"{old:<{width}} {new}\n")


def new_name(name):
    """The fr__ names a name may take, in order of preference."""
    rest = name[len("fr_"):] if name.startswith("fr_") else name
    return list(dict.fromkeys(("fr__" + rest.strip("_"), "fr__" + rest.lstrip("_"))))


def plan(root):
    """(internal {name: (file, line)}, renames {old: new} for them,
    listed {old: new} the list holds for names no longer defined,
    problems [message])"""
    public = public_names(root)
    internal = internal_names(root, public)
    idents = all_identifiers(root)
    listed = read_list(root)
    renames, problems, taken = {}, [], {}
    for name in sorted(internal):
        cands = new_name(name)
        if name in listed:
            cands = list(dict.fromkeys([listed[name]] + cands))
        new = None
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
    # the names renamed before: whatever still says the old name (a branch
    # merged after the rename) gets the new one; a name public since keeps it
    old = {o: n for o, n in listed.items() if o not in internal and o not in public and o != n}
    return internal, renames, old, problems


def name_pattern(names):
    """An old name as a whole word; not a part of a file name (pg_purge.sh)
    or of a dotted name (the ctest cli.pg_purge)."""
    return re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
                      + r")(?!\w|\.[A-Za-z])")


def rewrite(root, renames, dry_run=False):
    """Rewrite the old names in the tree; the files changed (or, with
    dry_run, to change): [(file, count)]."""
    if not renames:
        return None, []
    pattern = name_pattern(renames)
    changed = []
    for top in REWRITE_DIRS:
        for path in walk(root, top):
            if os.path.abspath(path) == os.path.abspath(os.path.join(root, LIST)):
                continue
            text = read(path)
            if text is None:
                continue
            new, count = pattern.subn(lambda m: renames[m.group(1)], text)
            if new != text:
                if not dry_run:
                    with open(path, "w", encoding="utf-8") as fh:
                        fh.write(new)
                changed.append((os.path.relpath(path, root), count))
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


def archive_symbols(nm_output):
    """{symbol: member} for the global symbols an archive defines, from
    `nm --defined-only --extern-only` (lines "ADDRESS TYPE NAME", a member
    opening with "member.o:")."""
    found, member = {}, "?"
    for line in nm_output.split("\n"):
        words = line.split()
        if len(words) == 1 and words[0].endswith(":"):
            member = words[0][:-1]
        elif len(words) >= 2 and len(words[-2]) == 1 and words[-2] != "U" \
                and (words[-2].isupper() or words[-2] in "iu"):  # u: GNU unique, i: ifunc
            found.setdefault(words[-1], member)
    return found


def stray_symbols(symbols, public):
    """The symbols that are neither public nor fr__: the compiler's own
    (__odr_asan..., reserved to the implementation) aside."""
    return sorted(s for s in symbols if s not in public and not s.startswith(("fr__", "__")))


def check_archives(root, archives, nm):
    """0 when every global symbol of the archives is public or fr__."""
    public = public_names(root)
    bad, total = 0, 0
    for lib in archives:
        run = subprocess.run([nm, "--defined-only", "--extern-only", lib], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"{lib}: {nm} failed: {run.stderr.strip()}")
            bad += 1
            continue
        symbols = archive_symbols(run.stdout)
        total += len(symbols)
        for name in stray_symbols(symbols, public):
            print(f"{os.path.basename(lib)}({symbols[name]}): {name} is a global symbol but neither public "
                  f"nor fr__ (make it static, or name it fr__: python3 scripts/rename-internal.py)")
            bad += 1
    print(f"names: {len(archives)} archives, {total} global symbols, {bad} neither public nor fr__")
    return 1 if bad else 0


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
                     "int fr_hiddenx(int a) { return a; }\n"
                     "int fr_pub(int a) { return -sq_open(); }\n"),
    "docs/x.md": ("`fr_hidden()`, fr_trail_, fr_hiddenx; fr__table cited before it exists\n"
                  "sq_open() and sq_open. stay; tests/sq_open.sh and ctest cli.sq_open keep theirs\n"),
    "src/core/y_internal.h": "int fr_taken(void);\nint fr__taken_(void);\n",
    # short prefixes: whatever a .c file defines without static
    "src/store/q/q.h": ("int sq_open(void);\nextern const int sq_table[2];\n"
                        "static inline int sq_inline(void) { return 1; }\n"),
    "src/store/q/q.c": ('#include "q.h"\nstatic int sq_helper(void) { return 0; }\n'
                        "__attribute__((unused)) static int sq_attr(void) { return 0; }\n"
                        "int sq_open(void)\n{\n    return sq_helper() + sq_inline() + sq_attr();\n}\n"
                        "const int sq_table[2] = {1, 2};\n"
                        "struct sq_s {\n    int a;\n} sq_var = {0};\n"
                        "struct sq_t {\n    int b;\n};\n"
                        "_Static_assert(sizeof(struct sq_t) > 0, \"sq_t\");\n"
                        "extern int sq_elsewhere;\nint sq_proto(void);\n"
                        "int (*sq_hook)(void) = sq_open;\n"
                        "int fr__done(void) { return sq_gone(); }\n"),
    # renamed before (the list), still said by a branch merged since
    "tests/q_test.c": "int t(void) { return sq_gone() + fr_old(); }\n",
    LIST: "# a comment\nsq_gone fr__sq_gone\nfr_old  fr__old\nfr_pub  fr__pub\nsq_open fr__sq_open\n",
}
SELF_TEST_WANT = {
    "fr_hidden": "fr__hidden", "fr_trail": "fr__trail", "fr_trail_": "fr__trail_",
    "fr_table": "fr__table", "fr_inl": "fr__inl", "fr_hiddenx": "fr__hiddenx",
    "sq_open": "fr__sq_open", "sq_table": "fr__sq_table", "sq_var": "fr__sq_var", "sq_hook": "fr__sq_hook",
}
SELF_TEST_NM = """
q.c.o:
0000000000000000 t sq_helper
0000000000000010 T fr__sq_open
                 U fr_pub
0000000000000000 R sq_table
0000000000000000 D __odr_asan.sq_var
0000000000000000 B fr_pub
0000000000000020 W sq_weak

x.c.o:
0000000000000000 T fr__hidden
"""


def self_test():
    """Rename a small tree written for the purpose; 0 when every case holds."""
    import tempfile
    fails = []
    with tempfile.TemporaryDirectory() as root:
        for rel, text in SELF_TEST_FILES.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w", encoding="utf-8") as fh:
                fh.write(text)
        internal, renames, old, problems = plan(root)
        if renames != SELF_TEST_WANT:
            fails.append(f"renames {renames}")
        if old != {"sq_gone": "fr__sq_gone", "fr_old": "fr__old"}:
            fails.append(f"listed {old}")
        # fr_taken: fr__taken (x.c) and fr__taken_ (y_internal.h) are both taken
        if len(problems) != 1 or "fr_taken" not in problems[0]:
            fails.append(f"problems {problems}")
        apply(root, renames, old)
        got = {rel: read(os.path.join(root, rel)) for rel in SELF_TEST_FILES}
        for rel, needle in (("src/core/x.c", "fr__trail_(a) + fr__trail(a) + fr__inl(a)"),
                            ("src/core/x.c", "int fr__hiddenx("), ("docs/x.md", "`fr__hidden()`"),
                            ("include/frontera/x.h", "calls fr__hidden"),
                            ("include/frontera/x.h", "int fr_pub("),
                            ("src/core/x_internal.h", "int (*fr_field)(int);"),
                            ("src/core/x.c", "return -fr__sq_open();"),
                            ("docs/x.md", "fr__sq_open() and fr__sq_open. stay"),
                            ("docs/x.md", "tests/sq_open.sh and ctest cli.sq_open keep"),
                            ("src/store/q/q.h", "static inline int sq_inline(void)"),
                            ("src/store/q/q.h", "extern const int fr__sq_table[2];"),
                            ("src/store/q/q.c", "fr__sq_open(void)\n{\n    return sq_helper() + sq_inline() + "
                                                "sq_attr();"),
                            ("src/store/q/q.c", "struct sq_s {\n    int a;\n} fr__sq_var = {0};"),
                            ("src/store/q/q.c", "struct sq_t {"),
                            ("src/store/q/q.c", "extern int sq_elsewhere;\nint sq_proto(void);"),
                            ("src/store/q/q.c", "int (*fr__sq_hook)(void) = fr__sq_open;"),
                            ("src/store/q/q.c", "return fr__sq_gone(); }"),
                            ("tests/q_test.c", "return fr__sq_gone() + fr__old(); }"),
                            (LIST, "sq_var"), (LIST, "sq_gone"), (LIST, "fr_pub")):
            if needle not in got[rel]:
                fails.append(f"{rel} lacks {needle!r}")
        again = plan(root)
        if again[1] or rewrite(root, again[2], dry_run=True)[1]:
            fails.append(f"not idempotent: {again[1]} {again[2]}")
        symbols = archive_symbols(SELF_TEST_NM)
        stray = stray_symbols(symbols, public_names(root))
        if stray != ["sq_table", "sq_weak"] or symbols["fr__hidden"] != "x.c.o":
            fails.append(f"archive symbols {symbols}, stray {stray}")
    for f in fails:
        print("self-test: " + f)
    print("self-test: " + ("failed" if fails else "ok"))
    return 1 if fails else 0


def apply(root, renames, old):
    """Rename in the tree, record the renames in the list; the files changed."""
    pattern, changed = rewrite(root, {**old, **renames})
    if renames:
        write_list(root, {**read_list(root), **renames})
    return pattern, changed


def main(argv):
    mode = "rename"
    args, archives, nm = [], [], os.environ.get("NM", "nm")
    it = iter(argv)
    for a in it:
        if a == "--self-test":
            return self_test()
        if a in ("--check", "--list"):
            mode = a[2:]
        elif a == "--nm":
            nm = next(it, nm)
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        elif a.endswith(".a"):
            archives.append(a)
        else:
            args.append(a)
    root = os.path.abspath(args[0] if args else os.path.join(os.path.dirname(SELF), ".."))
    internal, renames, old, problems = plan(root)
    for p in problems:
        print(p, file=sys.stderr)
    if mode == "list":
        for o, n in sorted(renames.items()):
            print(o, n)
        return 1 if problems else 0
    if mode == "check":
        for o, n in sorted(renames.items()):
            where, line = internal[o]
            print(f"{where}:{line}: {o} is internal and should be named {n} "
                  "(run: python3 scripts/rename-internal.py)")
        _, stale = rewrite(root, old, dry_run=True)
        for path, count in stale:
            print(f"{path}: {count} old names ({LIST}; run: python3 scripts/rename-internal.py)")
        print(f"names: {len(internal)} internal names, {len(renames)} to rename, "
              f"{len(stale)} files saying an old name")
        bad = 1 if renames or problems or stale else 0
        return max(bad, check_archives(root, archives, nm) if archives else 0)
    if not renames and not rewrite(root, old, dry_run=True)[1]:
        print(f"names: {len(internal)} internal names, none to rename")
        return 1 if problems else 0
    pattern, changed = apply(root, renames, old)
    print(f"names: renamed {len(renames)} of {len(internal)} internal names"
          + (f" (and old names from {LIST})" if old else "") + f" in {len(changed)} files:")
    for path, _count in changed:
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
