#!/usr/bin/env python3
"""check_function_length.py [ROOT] [LIMIT] — no function of lib/ and ext/
longer than LIMIT lines (80), counted from the line its definition starts
on to its closing brace. The tree's style makes that simple to see: a
function body opens with "{" alone at column 0 and closes with "}" there.
One check per function; each too long one is named with its length."""
import glob
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from checklib import Tally  # noqa: E402


def functions(path):
    """(name, first line, length) of every function definition in path."""
    lines = open(path, encoding="utf-8").read().split("\n")
    start = None
    for i, line in enumerate(lines):
        if line == "{":
            j = i - 1
            while j > 0 and not re.match(r"[A-Za-z_]", lines[j]):
                j -= 1
            m = re.search(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(", lines[j])
            start = (m.group(1) if m else "?", j)
        elif line == "}" and start:
            yield start[0], start[1] + 1, i - start[1] + 1
            start = None


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 80
    t = Tally()
    files = sorted(glob.glob(os.path.join(root, "lib", "**", "*.c"), recursive=True) +
                   glob.glob(os.path.join(root, "ext", "*.c")))
    t.check(len(files) > 10, f"found the sources ({len(files)} files)")
    n = 0
    for path in files:
        for name, first, length in functions(path):
            n += 1
            rel = os.path.relpath(path, root)
            t.check(length <= limit, f"{rel}:{first}: {name} is {length} lines (limit {limit})")
    t.check(n > 300, f"found the functions ({n})")
    return t.done("function length")


if __name__ == "__main__":
    sys.exit(main())
