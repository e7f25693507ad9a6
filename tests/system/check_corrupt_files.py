#!/usr/bin/env python3
"""check_corrupt_files.py CTLEAK (ELF KDUMP TRUTH VMLINUX MODULES)...

ctleak on dump files and debug files that are wrong as files (the memory
corruptions are tests/system/test_corrupt_dumps.c), made as copies in a temporary
folder from the real test dumps (the groups vmcores/all.sh prints; the
"leaks" ones are used):
  * a dump cut in half (ELF and kdump), a zero-length file, files that are
    no dump (text, random bytes, a program), a folder;
  * an ELF dump whose VMCOREINFO note is renamed (with and without VMLINUX);
  * the vmlinux of the other kernel (both directions, ELF and kdump);
  * nf_conntrack.ko of the other kernel, and of "another build" of the same
    one (its build-id changed);
  * no module debug file at all (-D an empty folder; /usr/lib/debug must
    hold none): on 6.1+ vmlinux alone cannot describe nf_conntrack (exit 2
    with --types dwarf), and by default the module's BTF in the dump stands
    in (the report the debug file gives); on 5.10 (no module BTF) vmlinux
    alone can: the full answer, less the NFQUEUE holders, and a note.
Each: the documented exit status, exactly one line on stderr that names the
problem, no Python traceback, no sanitizer report.
And real excluded pages: makedumpfile -d 31 copies of the ELF dumps
(vmcores/filter-dump.sh, cached beside them), kdump-compressed and ELF:
ctleak's answer on them is the whole ground truth, as on the full dump
(tests/system/check_ctleak_dumps.py's checks), with nothing on stderr;
and the same with no debug file at all (kallsyms and BTF from the dump):
the same verdict, or on 5.10 (no kallsyms in VMCOREINFO) one sentence.
Prints "corrupt files: N passed, N failed"."""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

import check_ctleak_dumps
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from checklib import Tally

TALLY = Tally()
check = TALLY.check
check_ctleak_dumps.check = check  # its checks count here
HERE = os.path.dirname(os.path.abspath(__file__))


def run(ctleak, args):
    r = subprocess.run([ctleak] + args, capture_output=True, text=True, timeout=600)
    return r.returncode, r.stdout, r.stderr


def expect(name, ctleak, args, rc_want, *phrases):
    """Run ctleak; exit status rc_want and one stderr line holding every
    phrase. Returns (rc, stdout, stderr)."""
    rc, out, err = run(ctleak, args)
    lines = err.splitlines()
    print(f"  {name}: exit {rc}: {lines[0] if lines else '(nothing on stderr)'}")
    check(rc == rc_want, f"{name}: exit {rc}, want {rc_want}: {err.strip()[:400]}")
    check(len(lines) == 1, f"{name}: {len(lines)} lines on stderr, want 1: {err.strip()[:600]}")
    for p in phrases:
        check(p in err, f"{name}: stderr does not say \"{p}\": {err.strip()[:400]}")
    check("Traceback" not in err and "Sanitizer" not in err and "runtime error" not in err,
          f"{name}: a crash report on stderr: {err[:400]}")
    return rc, out, err


def run_report(name, ctleak, args, env=None):
    """ctleak ARGS (a -j run): (exit status, its JSON document or None,
    stderr, stderr's lines); the first line printed, a crash report or
    output that is not JSON a failure."""
    r = subprocess.run([ctleak] + args, capture_output=True, text=True, timeout=600, env=env)
    lines = r.stderr.splitlines()
    print(f"  {name}: exit {r.returncode}: {lines[0][:160] if lines else '(nothing on stderr)'}")
    check("Sanitizer" not in r.stderr and "runtime error" not in r.stderr, f"{name}: {r.stderr[:400]}")
    try:
        return r.returncode, json.loads(r.stdout), r.stderr, lines
    except ValueError as e:
        check(False, f"{name}: output is not JSON: {e}")
        return r.returncode, None, r.stderr, lines


def copy_head(src, dst, size):
    with open(src, "rb") as f, open(dst, "wb") as g:
        left = size
        while left:
            b = f.read(min(left, 1 << 20))
            if not b:
                break
            g.write(b)
            left -= len(b)


def elf_notes(path):
    """(file offset of each note's name, name) in an ELF core file's PT_NOTEs."""
    with open(path, "rb") as f:
        eh = f.read(64)
        phoff, = struct.unpack_from("<Q", eh, 32)
        phentsize, phnum = struct.unpack_from("<HH", eh, 54)
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            p_type, _, p_offset, _, _, p_filesz = struct.unpack("<IIQQQQ", f.read(40))
            if p_type != 4:
                continue
            f.seek(p_offset)
            data = f.read(p_filesz)
            o = 0
            while o + 12 <= len(data):
                namesz, descsz, _ = struct.unpack_from("<III", data, o)
                yield p_offset + o + 12, data[o + 12:o + 12 + namesz].rstrip(b"\0")
                o += 12 + (namesz + 3 & ~3) + (descsz + 3 & ~3)


def build_id_offset(path):
    """File offset of the GNU build-id bytes of an ELF file (its
    .note.gnu.build-id section), or None."""
    with open(path, "rb") as f:
        eh = f.read(64)
        shoff, = struct.unpack_from("<Q", eh, 40)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", eh, 58)
        sh = []
        for i in range(shnum):
            f.seek(shoff + i * shentsize)
            name, _, _, _, off, size = struct.unpack("<IIQQQQ", f.read(40))
            sh.append((name, off, size))
        f.seek(sh[shstrndx][1])
        strtab = f.read(sh[shstrndx][2])
        for name, off, size in sh:
            if strtab[name:strtab.index(b"\0", name)] == b".note.gnu.build-id":
                f.seek(off)
                namesz, descsz, _ = struct.unpack("<III", f.read(12))
                return off + 12 + (namesz + 3 & ~3)
    return None


def check_cut_segment(ctleak, d, rel, root, vmlinux, elf):
    """The largest PT_LOAD of a copy cut at half its file bytes, its p_memsz
    kept (the segments after it moved up): memory an ELF dump leaves out,
    as makedumpfile -E does (p_memsz past p_filesz; libkdumpfile reads it
    as zeros). ctleak must call it missing, never read it as zeros and call
    the report complete."""
    with open(elf, "rb") as f:
        eh = f.read(64)
        phoff, = struct.unpack_from("<Q", eh, 32)
        phnum, = struct.unpack_from("<H", eh, 56)
        f.seek(phoff)
        phs = [list(struct.unpack("<IIQQQQQQ", f.read(56))) for _ in range(phnum)]
    big = max((i for i in range(phnum) if phs[i][0] == 1), key=lambda i: phs[i][5])
    end = phs[big][2] + phs[big][5]
    keep = (phs[big][5] // 2) & ~0xfff
    later = [i for i in range(phnum) if phs[i][0] == 1 and phs[i][2] >= end]
    cut = os.path.join(d, "cut-vmcore.elf")
    copy_head(elf, cut, phs[big][2] + keep)
    with open(elf, "rb") as f, open(cut, "r+b") as g:
        g.seek(0, 2)
        for i in later:
            f.seek(phs[i][2])
            phs[i][2] = g.tell()
            g.write(f.read(phs[i][5]))
        phs[big][5] = keep
        for i in [big] + later:
            g.seek(phoff + i * 56)
            g.write(struct.pack("<IIQQQQQQ", *phs[i]))
    name = f"{rel} largest segment cut at half its file bytes"
    # libkdumpfile 0.5.1 leaks 104 bytes (allocated by libkdumpfile inside
    # libaddrxlat's addrxlat_sys_os_init) when a page-table read fails as
    # the dump is opened (measured here, under LeakSanitizer): not ctleak's,
    # so leaks allocated by libkdumpfile are not counted in this case.
    supp = os.path.join(d, "lsan-libkdumpfile.supp")
    with open(supp, "w") as f:
        f.write("leak:libkdumpfile.so\n")
    env = dict(os.environ, LSAN_OPTIONS=f"suppressions={supp}:print_suppressions=0")
    rc, doc, err, lines = run_report(name, ctleak, ["-j", "-D", root, vmlinux, cut], env)
    os.unlink(cut)
    if doc is None:
        return
    if rc == 2:  # what the analysis needs first is in the cut half (a page table: "not mapped")
        check(len(lines) == 1 and ("not in the dump" in err or "not mapped" in err),
              f"{name}: exit 2: {err[:400]}")
        return
    check(rc == 3 and doc["complete"] is False and doc["incomplete"],
          f"{name}: exit {rc}, complete {doc.get('complete')}, incomplete {doc.get('incomplete')}")


def check_files(ctleak, tmp, group):
    elf, kdump, truth, vmlinux, modules = group
    t = json.load(open(truth))
    rel = t["kernel"]["release"]
    root = modules.split("/usr/lib/debug/")[0]
    d = os.path.join(tmp, rel)
    os.makedirs(d)
    print(f"{rel}:")

    # Cut in half: the headers promise more than the file holds.
    for src in (elf, kdump):
        half = os.path.join(d, "half-" + os.path.basename(src))
        copy_head(src, half, os.path.getsize(src) // 2)
        expect(f"{rel} {os.path.basename(half)}", ctleak, ["-D", root, vmlinux, half], 2,
               f"{half} is truncated", "an incomplete copy")
    tail = os.path.join(d, "short-vmcore.kdump")  # only its last page cut
    copy_head(kdump, tail, os.path.getsize(kdump) - 1000)
    expect(f"{rel} kdump less its last 1000 bytes", ctleak, ["-D", root, vmlinux, tail], 2,
           f"{tail} is truncated")

    check_cut_segment(ctleak, d, rel, root, vmlinux, elf)

    # No VMCOREINFO: the note renamed in a copy of the ELF dump.
    novmci = os.path.join(d, "novmcoreinfo.elf")
    shutil.copyfile(elf, novmci)
    at = [o for o, n in elf_notes(novmci) if n == b"VMCOREINFO"]
    check(len(at) == 1, f"{rel}: {len(at)} VMCOREINFO notes in {elf}")
    with open(novmci, "r+b") as f:
        for o in at:
            f.seek(o)
            f.write(b"XMCOREINFO")
    expect(f"{rel} no VMCOREINFO, with VMLINUX", ctleak, ["-D", root, vmlinux, novmci], 2,
           f"{novmci} has no VMCOREINFO note", "not at its link address (KASLR)")
    expect(f"{rel} no VMCOREINFO, no VMLINUX", ctleak, ["-D", root, novmci], 2,
           f"{novmci} has no VMCOREINFO note", "kernel release is unknown")
    os.unlink(novmci)

    # nf_conntrack.ko of another build of the same kernel: its build-id.
    other = os.path.join(d, "otherbuild")
    ko_dir = os.path.join(other, "lib", "modules", rel)
    os.makedirs(ko_dir)
    ko = os.path.join(ko_dir, "nf_conntrack.ko")
    shutil.copyfile(os.path.join(modules, "kernel/net/netfilter/nf_conntrack.ko"), ko)
    off = build_id_offset(ko)
    check(off is not None, f"{rel}: no build-id in nf_conntrack.ko")
    if off is not None:
        with open(ko, "r+b") as f:
            f.seek(off)
            b = f.read(4)
            f.seek(off)
            f.write(bytes(x ^ 0xff for x in b))
        expect(f"{rel} nf_conntrack.ko of another build", ctleak, ["-D", other, vmlinux, elf], 2,
               f"{ko} (build-id", "is not the nf_conntrack module loaded in this dump")

    # No module debug file at all.
    empty = os.path.join(d, "empty")
    os.makedirs(empty)
    system = [f"/usr/lib/debug/lib/modules/{rel}/kernel/net/netfilter/nf_conntrack.ko",
              f"/usr/lib/debug/lib/modules/{rel}/kernel/net/netfilter/nf_conntrack.ko.debug"]
    if any(os.path.exists(p) for p in system):
        print(f"  SKIP {rel}: /usr/lib/debug holds nf_conntrack's debug file: "
              "'no module debug file' not tested")
        return
    # Where the counter lives in nf_conntrack_net (5.13+), only the module
    # describes it: asked of the layout ctleak resolves with the module.
    _, model, _ = run(ctleak, ["-m", "-j", vmlinux, os.path.join(modules, "kernel/net/netfilter/nf_conntrack.ko")])
    if json.loads(model)["model"]["count_in"] == "nf_conntrack_net.count":
        # DWARF alone (--types dwarf): refused, naming the file that would do.
        expect(f"{rel} no module debug file, --types dwarf", ctleak,
               ["-j", "--types", "dwarf", "-D", empty, vmlinux, elf], 2,
               "no debug file nf_conntrack.ko", "vmlinux alone does not describe nf_conntrack",
               "pass -D DIR")
        # By default nf_conntrack's BTF in the dump stands in for its debug
        # file (5.11+): the report that file gives, with nothing to say.
        rc, out, err = run(ctleak, ["-j", "-D", empty, vmlinux, elf])
        full = run(ctleak, ["-j", "-D", modules.split("/usr/lib/debug/")[0], vmlinux, elf])
        try:
            doc, want = json.loads(out), json.loads(full[1])
            want["kernel"]["types_from"] = "dwarf+btf"
        except ValueError as e:
            check(False, f"{rel} no module debug file: output is not JSON: {e}: {err[:300]}")
            return
        check(rc == full[0] and err == "" and doc == want,
              f"{rel} no module debug file: with nf_conntrack's BTF: exit {rc} (want "
              f"{full[0]}), stderr {err[:300]!r}, same report: {doc == want}")
        return
    rc, out, err = expect(f"{rel} no module debug file", ctleak, ["-j", "-D", empty, vmlinux, elf],
                          1, "note: no debug file nf_conntrack.ko", "nor nfnetlink_queue.ko",
                          "NFQUEUEs are not searched", "using vmlinux alone")
    try:
        doc = json.loads(out)
    except ValueError as e:
        check(False, f"{rel} no module debug file: output is not JSON: {e}")
        return
    # Everything else is still there: counts, lists, the planted leaks.
    mine = {n["inum"]: n for n in doc["netns"]}
    for g in t["netns"]:
        n = mine.get(g["inum"], {})
        check(n.get("count") == g["count"] and n.get("confirmed") == len(g["conntrack"])
              and n.get("unaccounted") == 0,
              f"{rel} no module debug file: netns {g['inum']}: {n}")
    found = {int(e["address"], 16) for e in doc["entries"] if e["suspect"]}
    check(all(int(p["ct"], 16) in found for p in t["planted"]),
          f"{rel} no module debug file: planted leaks not all suspects")
    check(doc["nfqueues"] == [] and not doc["errors"],
          f"{rel} no module debug file: nfqueues {doc['nfqueues']}, errors {doc['errors'][:2]}")


def check_other_kernel(ctleak, tmp, groups):
    """Debug files of the other kernel: refused, naming both."""
    if len(groups) < 2:
        return
    for (elf_a, kdump_a, truth_a, vml_a, mod_a), (_, _, truth_b, vml_b, mod_b) in \
            (groups[:2], groups[1::-1]):
        ra = json.load(open(truth_a))["kernel"]["release"]
        rb = json.load(open(truth_b))["kernel"]["release"]
        for dump in (elf_a, kdump_a):
            expect(f"{ra} {os.path.basename(dump)} with the {rb} vmlinux", ctleak, [vml_b, dump], 2,
                   f"{vml_b} (build-id", f"is not the kernel of this dump")
        d = os.path.join(tmp, f"{ra}-with-{rb}-ko", "lib", "modules", ra)
        os.makedirs(d)
        shutil.copy(f"{mod_b}/kernel/net/netfilter/nf_conntrack.ko", d)
        expect(f"{ra} dump with the {rb} nf_conntrack.ko", ctleak,
               ["-D", d.split("/lib/modules/")[0], vml_a, elf_a], 2,
               "is not the nf_conntrack module loaded in this dump")


def check_not_dumps(ctleak, tmp, vmlinux):
    empty = os.path.join(tmp, "empty.core")
    open(empty, "wb").close()
    text = os.path.join(tmp, "text.core")
    with open(text, "w") as f:
        f.write("not a dump\n")
    rnd = os.path.join(tmp, "random.core")
    with open(rnd, "wb") as f:
        f.write(os.urandom(1 << 16))
    folder = os.path.join(tmp, "folder.core")
    os.makedirs(folder)
    for name, path in (("zero-length file", empty), ("text file", text),
                       ("random bytes", rnd), ("a program", "/bin/true"), ("a folder", folder)):
        expect(name, ctleak, [vmlinux, path], 2, f"{path} is not a dump libkdumpfile can read")


def kdump_pages(path):
    """(RAM pages, pages in the file) of a kdump-compressed file: the bits
    of its two bitmaps (makedumpfile's layout)."""
    with open(path, "rb") as f:
        h = f.read(448)
        block, sub, blocks = struct.unpack_from("<iiI", h, 428)
        half = blocks * block // 2
        f.seek((1 + sub) * block)
        first, second = f.read(half), f.read(half)
    count = lambda b: sum(bin(x).count("1") for x in b)
    return count(first), count(second)


def check_filtered(ctleak, groups):
    """Real excluded pages: what ctleak still finds in a -d 31 dump."""
    for elf, _, truth, vmlinux, modules in groups:
        t = json.load(open(truth))
        rel = t["kernel"]["release"]
        root = modules.split("/usr/lib/debug/")[0]
        r = subprocess.run(["bash", os.path.join(HERE, "..", "..", "vmcores", "filter-dump.sh"), elf],
                           capture_output=True, text=True, timeout=600)
        made = dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)
        if not check(r.returncode == 0 and "kdump" in made and "elf" in made,
                     f"{rel}: filter-dump.sh failed: {r.stderr.strip()[-400:]}"):
            continue
        ram, kept = kdump_pages(made["kdump"])
        print(f"  {rel} -d 31: {ram - kept} of {ram} RAM pages excluded, "
              f"{os.path.getsize(made['kdump']) >> 20} MiB kdump, "
              f"{os.path.getsize(made['elf']) >> 20} MiB ELF")
        check(kept < ram // 2, f"{rel} -d 31: only {ram - kept} of {ram} pages excluded")
        lost = excluded_slab_pages(made.get("stats"))
        forms = [("kdump", "-d 31"), ("elf", "-d 31"), ("kdump_d23", "-d 23"), ("elf_d23", "-d 23")]
        for form, level in forms:
            if form not in made:
                continue
            name = f"{rel} {level} {form.split('_')[0]}"
            rc, out, err = run(ctleak, ["-j", "-D", root, vmlinux, made[form]])
            gone = lost.get(os.path.basename(made[form]), 0)
            print(f"  {name}: exit {rc}, {len(err.splitlines())} lines on stderr, "
                  f"{gone} slab pages left out")
            try:
                doc = json.loads(out)
            except ValueError as e:
                check(False, f"{name}: output is not JSON: {e}")
                continue
            # makedumpfile's -d 8 drops slab pages on 6.12+ (see
            # vmcores/filter-dump.sh): ctleak must then say the report is
            # incomplete — or, if it needed none of them, be right.
            if gone and rc == 3:
                codes = {x["code"] for x in doc["incomplete"]}
                check(doc["complete"] is False and codes & {"not_in_dump", "slab_scan"},
                      f"{name}: exit 3 without a not_in_dump reason: {doc['incomplete'][:3]}")
                check_filtered_nodebug(name, ctleak, made[form], rc, rel, t)
                continue
            check(rc == 1 and err == "", f"{name}: exit {rc}: {err.strip()[:400]}")
            check_ctleak_dumps.check_report(name, doc, t)
            check_filtered_nodebug(name, ctleak, made[form], rc, rel, t)


def check_filtered_nodebug(name, ctleak, dump, rc_debug, rel, t):
    """The same copy with no debug file (kallsyms and BTF from the dump,
    whose pages makedumpfile keeps: kernel text and data): the verdict the
    debug files gave. Where the pages holding them are left out, or the
    kernel names no kallsyms (5.10), one sentence and exit 2."""
    name += " no debug"
    with tempfile.TemporaryDirectory(prefix="ctleak-cache-") as cache:
        rc, doc, err, lines = run_report(name, ctleak, ["-j", dump],
                                         dict(os.environ, CTLEAK_CACHE=cache))
    if doc is None:
        return
    if rel.startswith("5."):
        check(rc == 2 and len(lines) == 1 and "names no kallsyms tables" in err,
              f"{name}: exit {rc}, want 2 and one line: {err.strip()[:400]}")
        return
    if rc == 2:  # what it needed is not in the dump: said once
        check(len(lines) == 1 and "error" in doc and any(w in err for w in ("BTF", "btf_modules", "kallsyms")),
              f"{name}: exit 2, want one line naming the BTF or kallsyms: {err[:400]}")
        return
    check(rc == rc_debug, f"{name}: exit {rc}, with debug files {rc_debug}: {err.strip()[:400]}")
    check(doc["kernel"]["types_from"] == "btf", f"{name}: types from {doc['kernel']['types_from']}")
    if rc == 3:
        check(doc["complete"] is False and doc["incomplete"], f"{name}: exit 3, complete")
    else:
        check(err == "", f"{name}: stderr: {err.strip()[:400]}")
        check_ctleak_dumps.check_report(name, doc, t)


def excluded_slab_pages(stats):
    """{file name: slab pages a filtered copy left out}, from filter-dump.sh's stats."""
    if not stats or not os.path.exists(stats):
        return {}
    out = {}
    for f in json.load(open(stats)).get("filtered", []):
        k = f.get("excluded_by_kind", {})
        out[os.path.basename(f["file"])] = k.get("slab-head", 0) + k.get("slab-tail", 0)
    return out


def main(args):
    ctleak, rest = args[0], args[1:]
    if len(rest) % 5:
        sys.exit("usage: check_corrupt_files.py CTLEAK (ELF KDUMP TRUTH VMLINUX MODULES)...")
    groups = [rest[i:i + 5] for i in range(0, len(rest), 5)]
    leaks = [g for g in groups if json.load(open(g[2]))["kernel"]["scenario"] == "leaks"]
    with tempfile.TemporaryDirectory(prefix="ctleak-files-") as tmp:
        try:
            check_not_dumps(ctleak, tmp, leaks[0][3] if leaks else groups[0][3])
            for g in leaks:
                check_files(ctleak, tmp, g)
            check_other_kernel(ctleak, tmp, leaks)
            check_filtered(ctleak, leaks)
        except Exception as e:  # a broken check is a failure, never a traceback
            check(False, f"the check itself failed: {type(e).__name__}: {e}")
    return TALLY.done("corrupt files")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
