#!/usr/bin/env python3
"""check_crash_ext.py CTLEAK CTLEAK_SO (ELF KDUMP TRUTH VMLINUX MODULES)...

Debian's real crash, in batch mode, on every test dump in both formats:
`extend ctleak.so`, `help ctleak`, then `ctleak`, `ctleak -d`, `ctleak -u` and
`ctleak -a -j`, each compared byte for byte with the standalone twin's output
on the same dump (the twin itself is checked against the ground truth by
check_ctleak_dumps.py). A dump this crash cannot initialise (crash 8.0.6 on
the QEMU dumps of Debian's 5.10 stops at "invalid size request ... stack
contents") is read with `crash --minimal`, where ctleak is one of the few
commands available: one session per command (minimal mode has no `p` and
no `help`), each compared the same way. Prints "crash extension: N passed,
N failed"."""
import os
import re
import subprocess
import sys
import tempfile

from checklib import Tally

TALLY = Tally()
check = TALLY.check
MARK = 0x5EED0000
COMMANDS = [[], ["-d"], ["-u"], ["-a", "-j"]]


def crash_minimal(so, vmlinux, dump, root, name):
    """Each command in its own --minimal session."""
    for c in COMMANDS:
        with tempfile.NamedTemporaryFile("w", suffix=".crash", delete=False) as f:
            f.write(f"extend {so}\nctleak {' '.join(c)} -D {root}\nexit\n")
            cmds = f.name
        try:
            r = subprocess.run(["crash", "--minimal", "-s", vmlinux, dump, "-i", cmds],
                               capture_output=True, text=True, timeout=900)
        finally:
            os.unlink(cmds)
        out = r.stdout
        head, sep, got = out.partition("shared object loaded\n")
        yield c, (got if sep else None), out


def main(args):
    ctleak, so, rest = args[0], os.path.abspath(args[1]), args[2:]
    for i in range(0, len(rest), 5):
        elf, kdump, truth, vmlinux, modules = rest[i:i + 5]
        root = modules.split("/usr/lib/debug/")[0]
        for dump in (elf, kdump):
            name = f"{os.path.basename(os.path.dirname(truth))}/{os.path.basename(dump)}"
            with tempfile.NamedTemporaryFile("w", suffix=".crash", delete=False) as f:
                f.write(f"extend {so}\n")
                f.write(f"p {MARK}\nhelp ctleak\n")
                for k, c in enumerate(COMMANDS):
                    f.write(f"p {MARK + 1 + k}\nctleak {' '.join(c)} -D {root}\n")
                f.write(f"p {MARK + 99}\nq\n")
                cmds = f.name
            try:
                r = subprocess.run(["crash", "-s", vmlinux, dump, "-i", cmds],
                                   capture_output=True, text=True, timeout=900)
            finally:
                os.unlink(cmds)
            out = r.stdout
            if "shared object loaded" not in out and "invalid size request" in out + r.stderr:
                print(f"{name}: crash cannot initialise this dump; ctleak in crash --minimal")
                for c, got, full in crash_minimal(so, vmlinux, dump, root, name):
                    twin = subprocess.run([ctleak] + c + ["-D", root, vmlinux, dump],
                                          capture_output=True, text=True, timeout=900)
                    check(got == twin.stdout,
                          f"{name}: crash --minimal> ctleak {' '.join(c)} differs from the twin "
                          f"({len(got or '')} vs {len(twin.stdout)} bytes): {full[-300:]}")
                continue
            check("shared object loaded" in out, f"{name}: extend ({out[:200]})")
            parts = re.split(rf"^\$\d+ = ({MARK}|{'|'.join(str(MARK + n) for n in range(1, 100))})\n",
                             out, flags=re.M)
            # parts: [before, mark, text, mark, text, ...]
            sections = {int(parts[j]): parts[j + 1] for j in range(1, len(parts) - 1, 2)}
            helptext = sections.get(MARK, "")
            check("NAME" in helptext and "SYNOPSIS" in helptext and "EXAMPLES" in helptext
                  and "-j, --json" in helptext, f"{name}: help ctleak")
            for k, c in enumerate(COMMANDS):
                got = sections.get(MARK + 1 + k)
                twin = subprocess.run([ctleak] + c + ["-D", root, vmlinux, dump],
                                      capture_output=True, text=True, timeout=900)
                check(got == twin.stdout,
                      f"{name}: crash> ctleak {' '.join(c)} differs from the twin "
                      f"({len(got or '')} vs {len(twin.stdout)} bytes)")
    # Built against another crash's defs.h: one clear line, no command.
    other = os.path.join(os.path.dirname(os.path.abspath(ctleak)), "tests", "ctleak-otherversion.so")
    if rest and os.path.exists(other):
        elf, _, _, vmlinux, _ = rest[:5]
        with tempfile.NamedTemporaryFile("w", suffix=".crash", delete=False) as f:
            f.write(f"extend {other}\nctleak\nq\n")
            cmds = f.name
        try:
            r = subprocess.run(["crash", "-s", vmlinux, elf, "-i", cmds], capture_output=True,
                               text=True, timeout=900)
        finally:
            os.unlink(cmds)
        both = r.stdout + r.stderr
        check("built for crash 0.0.0-other, not " in both and "not loaded" in both
              and "NETNS" not in both, f"foreign crash version refused: {both[-400:]}")
    else:
        check(False, f"{other} was not built")
    return TALLY.done("crash extension")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
