#!/usr/bin/env python3
"""Lists pairs of modules that import each other (issue 9: "no module imports from a module
that imports it back"), per crate under crates/ and python/src.

A module is a source file (`a/b.rs` or `a/b/mod.rs` is `a::b`); module A uses module B when
A's code (comments and `#[cfg(test)] mod tests` blocks left out) names a path into B through
`crate::`, `super::` or `self::`, `use` lists included. A parent and its own submodule may use
each other (that is how Rust re-exports); any other pair that uses each other is printed.
Exit status 1 when a pair is found.

  python3 scripts/module_cycles.py [ROOT]     (default: the repository)
"""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
PATH = re.compile(r"\b(crate|super|self)((?:::(?:[A-Za-z_][A-Za-z0-9_]*|\{[^}]*\}))+)")


def module_of(src, path):
    parts = os.path.relpath(path, src)[:-3].split(os.sep)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return tuple(parts)


def strip(text):
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    cut = re.search(r"#\[cfg\(test\)\]\s*mod tests\b", text)
    return text[: cut.start()] if cut else text


def expand(segments):
    """`a::{b, c::d}` → [[a, b], [a, c, d]] (one level of braces is enough here)."""
    out = [[]]
    for seg in segments:
        if seg.startswith("{"):
            items = [i.strip().split(" as ")[0] for i in seg[1:-1].split(",") if i.strip()]
            out = [p + item.split("::") for p in out for item in items]
        else:
            out = [p + [seg] for p in out]
    return out


def crate_edges(src):
    files = {}
    for d, _, names in os.walk(src):
        for n in names:
            if n.endswith(".rs"):
                files[module_of(src, os.path.join(d, n))] = os.path.join(d, n)
    mods = set(files)

    def resolve(path):
        for k in range(len(path), -1, -1):
            if tuple(path[:k]) in mods:
                return tuple(path[:k])
        return ()

    edges = {m: set() for m in mods}
    for m, f in files.items():
        if m and m[-1] == "tests":
            continue
        with open(f, encoding="utf-8") as fh:
            text = strip(fh.read())
        for hit in PATH.finditer(text):
            head = hit.group(1)
            segments = re.findall(r"\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*", hit.group(2))
            base = {"crate": (), "self": m, "super": m[:-1]}[head]
            while segments and segments[0] == "super":
                segments, base = segments[1:], base[:-1]
            for path in expand(segments):
                target = resolve(list(base) + path)
                if target != m:
                    edges[m].add(target)
    return edges


def main():
    found = 0
    roots = [os.path.join(ROOT, "crates", c) for c in sorted(os.listdir(os.path.join(ROOT, "crates")))]
    roots.append(os.path.join(ROOT, "python"))
    for crate in roots:
        src = os.path.join(crate, "src")
        if not os.path.isdir(src):
            continue
        edges = crate_edges(src)
        for a in sorted(edges):
            for b in sorted(edges[a]):
                if a < b and a in edges.get(b, ()) and a != b[: len(a)] and b != a[: len(b)]:
                    found += 1
                    show = lambda m: "::".join(m) or "lib"
                    print(f"{os.path.basename(crate)}: {show(a)} <-> {show(b)}")
    print(f"{found} pair(s) of modules that import each other")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
