#!/usr/bin/env python3
"""check_layers.py [ROOT] — lib/'s folders are layers and every #include
points down: a file may include its own folder's headers and those of
lower layers, never a higher layer's or a peer's (target and types know
nothing of each other). The order, lowest first:

  base     error records, ELF files, VMCOREINFO text, containers
  symbols  symbol finder chains and the finders that need only files
  target   reading memory: dumps, /proc/kcore, a page cache, test images
  types    type finder chains, the DWARF resolver
  kernel   the program (memory + symbols), layouts, the kernel model,
           modules, SLUB
  report   what a walk found, and how it is printed
  walk     finding every conntrack entry
  app      options and the commands both front ends run

One check per include; each wrong one is named."""
import glob
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from checklib import Tally  # noqa: E402

RANK = {"base": 0, "symbols": 1, "target": 2, "types": 2, "kernel": 3, "report": 4,
        "walk": 5, "app": 6}


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    t = Tally()
    lib = os.path.join(root, "lib")
    flat = glob.glob(os.path.join(lib, "*.[ch]"))
    t.check(not flat, f"every lib/ source is in a layer folder: {flat}")
    folders = {d for d in os.listdir(lib) if os.path.isdir(os.path.join(lib, d))}
    t.check(folders == set(RANK), f"the layer folders are {sorted(RANK)}: {sorted(folders)}")
    n = 0
    for path in sorted(glob.glob(os.path.join(lib, "*", "*.[ch]"))):
        layer = os.path.basename(os.path.dirname(path))
        for line in open(path, encoding="utf-8"):
            m = re.match(r'#include "([^"]+)"', line)
            if not m:
                continue
            n += 1
            inc = m.group(1)
            other = inc.split("/")[0] if "/" in inc else None
            rel = os.path.relpath(path, root)
            if not t.check(other in RANK, f"{rel}: #include \"{inc}\" names no layer folder"):
                continue
            ok = other == layer or RANK[other] < RANK[layer]
            t.check(ok, f"{rel} ({layer}) includes {inc} ({other}): "
                        f"{'a peer' if RANK[other] == RANK[layer] else 'a higher layer'}")
    t.check(n > 100, f"found the includes ({n})")
    return t.done("layers")


if __name__ == "__main__":
    sys.exit(main())
