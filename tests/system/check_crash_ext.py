#!/usr/bin/env python3
"""check_crash_ext.py CTLEAK CTLEAK_SO (ELF KDUMP TRUTH VMLINUX MODULES)...

Debian's real crash, in batch mode, on every test dump in both formats:
`extend ctleak.so`, `help ctleak`, then `ctleak`, `ctleak -d`, `ctleak -u`,
`ctleak -a -j` and `ctleak --format proc -c --dport 5000` (there the twin's
"# " lines on stderr, then its stdout), each compared byte for byte with the standalone twin's output
on the same dump (the twin itself is checked against the ground truth by
check_ctleak_dumps.py). A dump this crash cannot initialise — crash stops
before it reads its input: crash 8.0.6 on the QEMU dumps of Debian's 5.10
("invalid size request ... stack contents"), crash 9.0.2 on 7.x ("invalid
structure member offset: module_num_gpl_syms") — is read with `crash
--minimal`, where ctleak is one of the few commands available: one session
with every command (minimal mode has no `p` and no `help`: `eval` marks
them), each compared the same way; a line names the dump and crash's
reason. In the same session, `ctleak -j ... > FILE` (REDIRECTS: a walk cut
short by --max-entries, no module debug file — where nf_conntrack's BTF from
memory must then give the report its debug file gives —, a file argument): inside crash
the error stream is the output stream, yet FILE must hold one JSON document
and nothing else, byte for byte the twin's stdout, its problems and notes
coded. The extension built for another crash version is loaded into a
session on the first dump crash initialises fully (--minimal if none).
Prints "crash extension: N passed, N failed"."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from checklib import Tally

TALLY = Tally()
check = TALLY.check
MARK = 0x5EED0000
# --format proc: inside crash the report's head (the twin's stderr, "# "
# lines) comes first on the one stream, then the entries (its stdout).
COMMANDS = [[], ["-d"], ["-u"], ["-a", "-j"], ["--format", "proc", "-c", "--dport", "5000"]]


def twin_output(twin, c):
    """What crash> ctleak c prints: the twin's stdout, after its stderr's
    "# " lines for --format."""
    return twin.stderr + twin.stdout if "--format" in c else twin.stdout
# `ctleak -j ... > FILE` inside crash, where the error stream is the output
# stream: FILE must hold the JSON document and nothing else — with a
# problem (the walk cut short), with no module debug file (a note on 5.10,
# a failed run on the others), and for a wrong use. (args, -D the tree?)
REDIRECTS = [(["-j", "--max-entries", "100"], True), (["-j"], False),
             (["-j", "--pretty", "somefile"], True)]


def redirect_lines(tmp, root):
    """crash input lines: each REDIRECTS case into its own file in tmp;
    without the tree, -D an empty folder (no module debug file)."""
    os.makedirs(os.path.join(tmp, "empty"), exist_ok=True)
    for k, (args, tree) in enumerate(REDIRECTS):
        d = root if tree else os.path.join(tmp, "empty")
        yield f"ctleak {' '.join(args)} -D {d} > {os.path.join(tmp, f'r{k}.json')}\n"


def check_redirects(name, tmp, ctleak, root, vmlinux, dump):
    for k, (args, tree) in enumerate(REDIRECTS):
        d = root if tree else os.path.join(tmp, "empty")
        label = f"{name}: crash> ctleak {' '.join(args)} > file"
        try:
            text = open(os.path.join(tmp, f"r{k}.json")).read()
            doc = json.loads(text)
        except (OSError, ValueError) as e:
            check(False, f"{label}: not one JSON document ({e})")
            continue
        if "somefile" in args:  # no file arguments inside crash
            check(doc.get("error", {}).get("code") == "usage" and doc["complete"] is False,
                  f"{label}: the usage error as a document: {text[:300]}")
            continue
        twin = subprocess.run([ctleak] + args + ["-D", d, vmlinux, dump],
                              capture_output=True, text=True, timeout=900)
        check(text == twin.stdout, f"{label} differs from the twin's stdout "
              f"({len(text)} vs {len(twin.stdout)} bytes)")
        codes = [p["code"] for p in doc.get("errors", []) + doc.get("notes", [])]
        if tree:
            # A leaks dump holds thousands of entries; a baseline may hold
            # fewer than 100, and then nothing is cut short.
            partial = doc.get("partial") is True
            check(("limit" in codes) == partial and (partial or "leaks-" not in name),
                  f"{label}: the cut-short walk is a coded problem: {codes}")
        else:
            # 5.11+ (module BTF): nf_conntrack's BTF in the kernel's memory
            # stands in for its debug file, and the report is the one the
            # debug file gives; 5.10: the missing file, coded.
            err = doc.get("error")
            btf = (doc.get("kernel") or {}).get("types_from") == "dwarf+btf"
            check(btf or (err or {}).get("code") == "notfound" or "notfound" in codes,
                  f"{label}: the missing debug file, coded: {err} {codes}")
            if btf:
                full = subprocess.run([ctleak] + args + ["-D", root, vmlinux, dump],
                                      capture_output=True, text=True, timeout=900)
                want = json.loads(full.stdout)
                want["kernel"]["types_from"] = "dwarf+btf"
                check(doc == want, f"{label}: with nf_conntrack's BTF for its debug file, "
                      f"not the report its debug file gives")


def crash_minimal(so, vmlinux, dump, root, name, tmp):
    """All commands in one --minimal session (crash takes ~10 s to start on
    a large vmlinux). Minimal mode has no `p`: `eval MARK+n` separates them."""
    with tempfile.NamedTemporaryFile("w", suffix=".crash", delete=False) as f:
        f.write(f"extend {so}\n")
        for k, c in enumerate(COMMANDS):
            f.write(f"eval {MARK + 1 + k}\nctleak {' '.join(c)} -D {root}\n")
        f.writelines(redirect_lines(tmp, root))
        f.write(f"eval {MARK + 99}\nexit\n")
        cmds = f.name
    try:
        r = subprocess.run(["crash", "--minimal", "--kaslr=auto", "-s", vmlinux, dump, "-i", cmds],
                           capture_output=True, text=True, timeout=900)
    finally:
        os.unlink(cmds)
    out = r.stdout
    # eval prints four lines: hexadecimal, decimal, octal, binary.
    parts = re.split(rf"^hexadecimal: ({MARK >> 16:x}[0-9a-f]{{4}}) *\n *decimal: \d+ *\n"
                     r" *octal: \d+ *\n *binary: [01]+ *\n", out, flags=re.M)
    sections = {int(parts[j], 16): parts[j + 1] for j in range(1, len(parts) - 1, 2)}
    loaded = "shared object loaded" in parts[0]
    for k, c in enumerate(COMMANDS):
        yield c, (sections.get(MARK + 1 + k) if loaded else None), out


def initialised(out):
    """Did crash get as far as its input file? (It prints the first mark.)"""
    return re.search(rf"^\$\d+ = {MARK}$", out, flags=re.M) is not None


def reason(out):
    """crash's own last word on why it stopped."""
    lines = [l.strip() for l in out.splitlines() if l.strip()]
    said = [l for l in lines if l.startswith("crash:")]
    return (said or lines or ["(nothing)"])[-1]


def main(args):
    ctleak, so, rest = args[0], os.path.abspath(args[1]), args[2:]
    opened = None  # the first dump crash initialised fully: (vmlinux, dump)
    for i in range(0, len(rest), 5):
        elf, kdump, truth, vmlinux, modules = rest[i:i + 5]
        root = modules.split("/usr/lib/debug/")[0]
        for dump in (elf, kdump):
            name = f"{os.path.basename(os.path.dirname(truth))}/{os.path.basename(dump)}"
            tmp = tempfile.mkdtemp(prefix="ctleak-redirect-")
            with tempfile.NamedTemporaryFile("w", suffix=".crash", delete=False) as f:
                f.write(f"extend {so}\n")
                f.write(f"p {MARK}\nhelp ctleak\n")
                for k, c in enumerate(COMMANDS):
                    f.write(f"p {MARK + 1 + k}\nctleak {' '.join(c)} -D {root}\n")
                f.writelines(redirect_lines(tmp, root))
                f.write(f"p {MARK + 99}\nq\n")
                cmds = f.name
            try:
                r = subprocess.run(["crash", "-s", vmlinux, dump, "-i", cmds],
                                   capture_output=True, text=True, timeout=900)
            finally:
                os.unlink(cmds)
            out = r.stdout
            if not initialised(out) and "shared object loaded" not in out:
                print(f"{name}: crash cannot initialise this dump ({reason(out + r.stderr)}); "
                      f"ctleak in crash --minimal")
                results = list(crash_minimal(so, vmlinux, dump, root, name, tmp))
                if results and "hexadecimal:" not in results[0][2]:
                    # crash 8.0.2 on 7.x: it stops before its prompt even
                    # in --minimal; there is no crash> ctleak to compare.
                    print(f"{name}: crash cannot open this dump even with --minimal "
                          f"({reason(results[0][2])}): nothing to compare")
                    shutil.rmtree(tmp)
                    continue
                for c, got, full in results:
                    twin = subprocess.run([ctleak] + c + ["-D", root, vmlinux, dump],
                                          capture_output=True, text=True, timeout=900)
                    check(got == twin_output(twin, c),
                          f"{name}: crash --minimal> ctleak {' '.join(c)} differs from the twin "
                          f"({len(got or '')} vs {len(twin.stdout)} bytes): {full[-300:]}")
                check_redirects(name + " (--minimal)", tmp, ctleak, root, vmlinux, dump)
                shutil.rmtree(tmp)
                continue
            opened = opened or (vmlinux, dump)
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
                check(got == twin_output(twin, c),
                      f"{name}: crash> ctleak {' '.join(c)} differs from the twin "
                      f"({len(got or '')} vs {len(twin.stdout)} bytes)")
            check_redirects(name, tmp, ctleak, root, vmlinux, dump)
            shutil.rmtree(tmp)
    # Built against another crash's defs.h: one clear line, no command.
    other = os.path.join(os.path.dirname(os.path.abspath(ctleak)), "tests", "ctleak-otherversion.so")
    if rest and os.path.exists(other):
        vmlinux, dump = opened or (rest[3], rest[0])
        with tempfile.NamedTemporaryFile("w", suffix=".crash", delete=False) as f:
            f.write(f"extend {other}\nctleak\nq\n")
            cmds = f.name
        try:
            r = subprocess.run(["crash"] + ([] if opened else ["--minimal", "--kaslr=auto"]) +
                               ["-s", vmlinux, dump, "-i", cmds], capture_output=True,
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
