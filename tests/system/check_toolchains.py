#!/usr/bin/env python3
"""check_toolchains.py CTLEAK12 ROOT13 CTLEAK13 (ELF KDUMP TRUTH VMLINUX MODULES)...

The twin built with Debian 12's toolchain (libdwarf 20210528, libkdumpfile
0.5.1) and the twin built in the Debian 13 root ROOT13 (libdwarf 0.11,
libkdumpfile 0.5.4; run there with chroot) print the same bytes and exit
with the same status on every test dump, in both formats, with and without
the layout cache, for the default report, -j, -a -j and -s. Each twin is
checked against the ground truth and against its own crash extension
elsewhere (check_ctleak_dumps.py, check_crash_ext.py), so all four builds
agree. Prints "toolchains agree: N passed, N failed"."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from checklib import Tally

TALLY = Tally()
check = TALLY.check
OPTIONS = [[], ["-j"], ["-a", "-j"], ["-s"]]


def run(cmd, env):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=env)
    return r.returncode, r.stdout


def main(args):
    ctleak12, root13, ctleak13, rest = args[0], args[1], args[2], args[3:]
    if len(rest) % 5:
        sys.exit("usage: check_toolchains.py CTLEAK12 ROOT13 CTLEAK13 (ELF KDUMP TRUTH VMLINUX MODULES)...")
    with tempfile.TemporaryDirectory(dir=os.path.join(root13, "tmp")) as cold13, \
            tempfile.TemporaryDirectory() as cold12:
        inside = "/tmp/" + os.path.basename(cold13)
        for i in range(0, len(rest), 5):
            elf, kdump, truth, vmlinux, modules = rest[i:i + 5]
            root = modules.split("/usr/lib/debug/")[0]
            for dump in (elf, kdump):
                name = f"{os.path.basename(os.path.dirname(truth))}/{os.path.basename(dump)}"
                for opts in OPTIONS:
                    argv = opts + ["-D", root, vmlinux, dump]
                    # The first run of each twin reads DWARF cold into its
                    # own empty cache; later ones use that cache.
                    env12 = dict(os.environ, CTLEAK_CACHE=cold12)
                    rc12, out12 = run([ctleak12] + argv, env12)
                    rc13, out13 = run(["chroot", root13, "/usr/bin/env", "-i", "PATH=/usr/bin:/bin",
                                       f"CTLEAK_CACHE={inside}", ctleak13] + argv, None)
                    check(rc12 == rc13 and rc12 in (0, 1) and out12 == out13 and out12,
                          f"{name} {' '.join(opts)}: Debian 12 twin (rc {rc12}, {len(out12)} bytes) "
                          f"and Debian 13 twin (rc {rc13}, {len(out13)} bytes) differ")
    return TALLY.done("toolchains agree")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
