#!/usr/bin/env python3
"""check_vmcore_truth.py — are the test dumps what their ground truth says?

For each dump made by vmcores/make-vmcore.sh (paths from its key=value
output, one dump per argument group "ELF KDUMP TRUTH VMLINUX MODULES"), check:
  * truth.json is self-consistent: each namespace's count held still while it
    was listed; count = listed entries + planted entries off the table;
    scenario-specific expectations (>= 20,000 entries, two namespaces, every
    planted scenario present; nothing planted in the baseline);
  * an independent reader, Debian's crash in batch mode (where crash cannot
    initialise the dump — 8.0.2 on 6.12 and 7.x — crash --minimal --kaslr=auto
    reading raw words at offsets gdb gives from nf_conntrack.ko), finds at every
    planted address an nf_conn whose tuple, status and refcount are the ones
    the guest reported — in the ELF and in the kdump file.
It never runs ctleak: a broken fixture must be caught before ctleak is blamed.
Prints "vmcore fixtures: N passed, N failed"."""
import json
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from checklib import Tally

TALLY = Tally()
check = TALLY.check


def tuple_key(l3, proto, src, dst, sport, dport):
    return (int(l3), int(proto), src, dst, int(sport), int(dport))


def proc_tuples(lines):
    """Original-direction tuples of /proc/net/nf_conntrack lines."""
    out = set()
    for line in lines:
        f = line.split()
        if len(f) < 4:
            continue
        kv = {}
        for tok in f:
            if "=" in tok:
                k, v = tok.split("=", 1)
                kv.setdefault(k, v)  # first occurrence = original direction
        if "sport" in kv:
            out.add(tuple_key(f[1], f[3], kv["src"], kv["dst"], kv["sport"], kv["dport"]))
    return out


def check_truth(name, t):
    k = t["kernel"]
    scen = k.get("scenario")
    planted = t["planted"]
    check(len(t["netns"]) >= 1, f"{name}: at least one netns")
    for ns in t["netns"]:
        check(ns.get("count") == ns.get("count_after"),
              f"{name} netns {ns['name']}: count moved while listing ({ns.get('count')} -> {ns.get('count_after')})")
        mine = [p for p in planted if p.get("netns") == ns.get("inum")]
        off_table = [p for p in mine if p["scenario"] in ("unconfirmed", "dying_extra_ref", "nfqueue")]
        check(ns["count"] == len(ns["conntrack"]) + len(off_table),
              f"{name} netns {ns['name']}: count {ns['count']} != listed {len(ns['conntrack'])} + planted off-table {len(off_table)}")
        listed = proc_tuples(ns["conntrack"])
        for p in mine:
            key = tuple_key(p["l3"], p["proto"], p["src"], p["dst"], p["sport"], p["dport"])
            on = key in listed
            if p["scenario"] == "live_extra_ref":
                check(on and p["confirmed"] == 1 and p["dying"] == 0 and p["use"] >= 2,
                      f"{name}: live_extra_ref {p['ct']} listed={on} use={p['use']}")
            else:
                check(not on, f"{name}: {p['scenario']} {p['ct']} must not be in /proc/net/nf_conntrack")
            if p["scenario"] in ("unconfirmed", "nfqueue"):
                check(p["confirmed"] == 0 and p["use"] >= 1, f"{name}: {p['scenario']} {p['ct']} unconfirmed, held")
            if p["scenario"] == "dying_extra_ref":
                check(p["dying"] == 1 and p["use"] >= 1, f"{name}: dying {p['ct']} dying, held")
    if scen == "baseline":
        check(not planted, f"{name}: baseline has nothing planted")
        check(sum(ns["count"] for ns in t["netns"]) < 100, f"{name}: baseline is quiet")
    else:
        check(len(t["netns"]) == 2 and t["netns"][0]["inum"] != t["netns"][1]["inum"],
              f"{name}: two distinct namespaces")
        check(sum(len(ns["conntrack"]) for ns in t["netns"]) >= 20000, f"{name}: >= 20,000 confirmed entries")
        kinds = {p["scenario"] for p in planted}
        check(kinds == {"unconfirmed", "live_extra_ref", "dying_extra_ref", "nfqueue"},
              f"{name}: every scenario planted (got {sorted(kinds)})")
        check(any(p["l3"] == 10 for p in planted), f"{name}: IPv6 leaks too")
        second = t["netns"][1]["inum"] if len(t["netns"]) > 1 else None
        check(any(p["netns"] == second for p in planted), f"{name}: leaks in the second netns")


def addr_bytes(l3, text):
    fam = socket.AF_INET6 if int(l3) == 10 else socket.AF_INET
    return socket.inet_pton(fam, text)


def crash_check(name, dump, vmlinux, ko, planted, init_inum):
    """Read init_net's inode number and each planted nf_conn with crash."""
    fields = ["tuplehash[0].tuple.src.l3num", "tuplehash[0].tuple.dst.protonum",
              "tuplehash[0].tuple.src.u.all", "tuplehash[0].tuple.dst.u.all",
              "status", "ct_general.use.refs.counter"]
    marker = 0x5EED0000  # "p/x MARKER+i" before object i splits crash's answers
    with tempfile.NamedTemporaryFile("w", suffix=".crash", delete=False) as f:
        f.write(f"mod -s nf_conntrack {ko}\n")
        f.write("p/x init_net.ns.inum\n")
        for i, p in enumerate(planted):
            f.write(f"p/x {marker + i:#x}\n")
            for fld in fields:
                f.write(f"p/x ((struct nf_conn *){p['ct']})->{fld}\n")
            for k in range(4):
                f.write(f"p/x ((struct nf_conn *){p['ct']})->tuplehash[0].tuple.src.u3.all[{k}]\n")
        f.write("q\n")
        cmds = f.name
    try:
        r = subprocess.run(["crash", "-s", vmlinux, dump, "-i", cmds], capture_output=True,
                           text=True, timeout=600)
    except subprocess.TimeoutExpired:
        check(False, f"{name}: crash timed out on {dump}")
        return
    finally:
        os.unlink(cmds)
    vals = [int(v, 16) for v in re.findall(r"^\$\d+ = (0x[0-9a-f]+)$", r.stdout, re.M)]
    if not vals and (not r.stdout.strip() or "do not match" in r.stdout):
        # crash 8.0.2 cannot initialise 6.12 and 7.x dumps ("do not
        # match!"); --minimal with --kaslr=auto reads raw memory.
        print(f"{name}: crash cannot initialise {os.path.basename(dump)}: raw reads in "
              f"crash --minimal, offsets from gdb")
        minimal_check(name, dump, vmlinux, ko, planted, fields)
        return
    if not check(bool(vals), f"{name}: crash read nothing from {dump} (rc {r.returncode}; "
                             f"{r.stderr.strip()[-300:]})"):
        return
    check(vals[0] == init_inum, f"{name}: crash reads init_net inum {vals[0]}, guest said {init_inum}")
    answers, cur = {}, None
    for v in vals[1:]:
        if marker <= v < marker + len(planted) and (v - marker) not in answers:
            cur = answers.setdefault(v - marker, [])
        elif cur is not None:
            cur.append(v)
    per = len(fields) + 4
    for i, p in enumerate(planted):
        v = answers.get(i, [])
        if not check(len(v) == per, f"{name}: crash could not read the nf_conn at {p['ct']} "
                                    f"({len(v)} of {per} fields)"):
            continue
        l3, proto, sport_be, dport_be, status, use = v[:6]
        src = struct.pack("<4I", *v[6:10])[:16 if p["l3"] == 10 else 4]
        swap = lambda x: ((x & 0xff) << 8) | (x >> 8)
        ok = (l3 == p["l3"] and proto == p["proto"] and swap(sport_be) == p["sport"]
              and swap(dport_be) == p["dport"] and status == int(p["status"], 16)
              and use == p["use"] and src == addr_bytes(p["l3"], p["src"]))
        check(ok, f"{name}: crash reads {p['ct']} as l3={l3} proto={proto} sport={swap(sport_be)} "
                  f"dport={swap(dport_be)} status={status:#x} use={use}; guest said {p}")


def gdb_fields(ko, paths):
    """(offset, size) of each nf_conn member path, from gdb on the module's debug file."""
    cmds = []
    for f in paths:
        cmds += ["-ex", f"print/d (long)&((struct nf_conn *)0)->{f}",
                 "-ex", f"print/d (long)sizeof(((struct nf_conn *)0)->{f})"]
    r = subprocess.run(["gdb", "-batch"] + cmds + [ko], capture_output=True, text=True, timeout=300)
    nums = [int(v) for v in re.findall(r"^\$\d+ = (-?\d+)$", r.stdout, re.M)]
    return list(zip(nums[0::2], nums[1::2])) if len(nums) == 2 * len(paths) else None


def minimal_check(name, dump, vmlinux, ko, planted, fields):
    """Each planted nf_conn read word by word with crash --minimal's rd."""
    paths = fields + [f"tuplehash[0].tuple.src.u3.all[{k}]" for k in range(4)]
    layout = gdb_fields(ko, paths)
    if not check(layout is not None, f"{name}: gdb could not place the nf_conn fields"):
        return
    width = {1: "-8", 2: "-16", 4: "-32", 8: "-64"}
    with tempfile.NamedTemporaryFile("w", suffix=".crash", delete=False) as f:
        for p in planted:
            for off, size in layout:
                f.write(f"rd {width[size]} {int(p['ct'], 16) + off:#x} 1\n")
        f.write("exit\n")
        cmds = f.name
    try:
        r = subprocess.run(["crash", "--minimal", "--kaslr=auto", "-s", vmlinux, dump, "-i", cmds],
                           capture_output=True, text=True, timeout=600)
    finally:
        os.unlink(cmds)
    words = [int(v, 16) for v in re.findall(r"^[0-9a-f]+:\s+([0-9a-f]+)", r.stdout, re.M)]
    per = len(paths)
    if not check(len(words) == per * len(planted),
                 f"{name}: crash --minimal read {len(words)} of {per * len(planted)} words"):
        return
    for i, p in enumerate(planted):
        v = words[i * per:(i + 1) * per]
        l3, proto, sport_be, dport_be, status, use = v[:6]
        src = struct.pack("<4I", *v[6:10])[:16 if p["l3"] == 10 else 4]
        swap = lambda x: ((x & 0xff) << 8) | (x >> 8)
        ok = (l3 == p["l3"] and proto == p["proto"] and swap(sport_be) == p["sport"]
              and swap(dport_be) == p["dport"] and status == int(p["status"], 16)
              and use == p["use"] and src == addr_bytes(p["l3"], p["src"]))
        check(ok, f"{name}: crash --minimal reads {p['ct']} as l3={l3} proto={proto} "
                  f"sport={swap(sport_be)} dport={swap(dport_be)} status={status:#x} use={use}; "
                  f"guest said {p}")


def main(args):
    if len(args) % 5:
        sys.exit("usage: check_vmcore_truth.py (ELF KDUMP TRUTH VMLINUX MODULES)...")
    for i in range(0, len(args), 5):
        elf, kdump, truth_path, vmlinux, modules = args[i:i + 5]
        name = os.path.basename(os.path.dirname(truth_path))
        release = os.path.basename(os.path.dirname(os.path.dirname(truth_path)))
        name = f"{release}/{name}"
        t = json.load(open(truth_path))
        check(t["kernel"].get("release") == release, f"{name}: guest release {t['kernel'].get('release')}")
        check_truth(name, t)
        ko = os.path.join(modules, "kernel/net/netfilter/nf_conntrack.ko")
        for dump in (elf, kdump):
            crash_check(f"{name} {os.path.basename(dump)}", dump, vmlinux, ko, t["planted"],
                        t["netns"][0]["inum"])
    return TALLY.done("vmcore fixtures")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
