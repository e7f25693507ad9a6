#!/usr/bin/env python3
"""check_ctleak_dumps.py [--no-debug] CTLEAK (ELF KDUMP TRUTH VMLINUX MODULES)...

ctleak itself on every real test dump, in both formats, against the ground
truth the guest kernel recorded (truth.json, from procfs and the planting
module; never from ctleak):
  * every netns ctleak reports is one the guest listed, with the guest's
    nf_conntrack_count, and "confirmed" equal to the guest's number of
    /proc/net/nf_conntrack lines;
  * on a kernel with unconfirmed/dying lists (5.10) nothing is unaccounted,
    and every planted leak is a suspect in the right place and state;
  * on a kernel without them (6.1) the entries on no list are found by the
    slab scan, with the right state; nothing is unaccounted anywhere, and the
    slab's allocated objects are exactly the sum of the namespaces' counts;
  * the clean baseline has no suspects and exits 0; a dump with leaks exits 1;
  * -n, -p, -c, -u and -d select what they say; --dport of each planted
    port lists exactly the planted entries with that port; -n repeated
    lists both namespaces, -n naming no namespace fails in one sentence
    (one in teardown is found, through the slab scan, and said to need it
    with --no-slab);
    --state ESTABLISHED -c lists the guest's ESTABLISHED lines;
  * --format proc -c: per namespace, the kernel's own part of each line
    equals a line of the guest's /proc/net/nf_conntrack (less what moved
    between its reading and the dump: timeout, delta-time=, use=);
    --format csv lists what -j lists;
  * kernel.types_from is "dwarf", and the text's first line names no source;
  * an ELF dump is read from the file directly where the kernel maps
    memory linearly ($CTLEAK_STATS counts those reads), and read through
    libkdumpfile alone (CTLEAK_DIRECT_READS=0) it meets the same truth.
With --no-debug, the same dumps with no debug file anywhere (no -D, no
VMLINUX, a fresh empty HOME and layout cache, the system's own debug places
hidden if it has any): where the kernel's installed nf_conntrack.ko carries
BTF (6.1 on), every check above, with types_from "btf" and the text's first
line ending ", types from BTF"; `--types btf VMLINUX` reads BTF all the same,
VMLINUX alone takes the module's types from its BTF ("dwarf+btf"), and
`--types dwarf` fails in one sentence. Where it carries none (5.10):
status 2 and one sentence naming what is missing and which debug file would
do, under -j in a JSON error document.
Prints "ctleak on real dumps: N passed, N failed" (", no debug files" with
--no-debug)."""
import csv
import io
import json
import lzma
import os
import shlex
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from checklib import Tally

TALLY = Tally()
check = TALLY.check


def run(ctleak, args, src=None):
    """ctleak with args; src (a Source) puts its files first and sets its
    environment."""
    env = None
    pre, files = [], []
    if src:
        pre, files = src.wrap, src.files
        env = dict(os.environ, **src.env) if src.env else None
    r = subprocess.run(pre + [ctleak] + args[:-1] + files + args[-1:], capture_output=True,
                       text=True, timeout=600, env=env)
    return r.returncode, r.stdout, r.stderr


class Source:
    """Where a run's types come from: files, the arguments before the dump
    ("-D ROOT VMLINUX" with debug files, none without); env, what it adds to
    the environment; wrap, a command ctleak runs under (hiding_wrap);
    types, the kernel.types_from the report must say; label, for messages."""

    def __init__(self, files, types, label="", env=None, wrap=None):
        self.files, self.types, self.label = files, types, label
        self.env, self.wrap = env or {}, wrap or []


def with_debug(vmlinux, modules):
    return Source(["-D", modules.split("/usr/lib/debug/")[0], vmlinux], "dwarf")


def key(l3, proto, src, dst, sport, dport):
    return (l3, proto, src, dst, sport, dport)


def entry_key(e):
    return key(e["l3proto"], e["proto"], e["orig"]["src"], e["orig"]["dst"],
               e["orig"]["sport"], e["orig"]["dport"])


def planted_key(p):
    return key("ipv6" if p["l3"] == 10 else "ipv4", p["proto"], p["src"], p["dst"],
               p["sport"], p["dport"])


def check_report(name, doc, t):
    """ctleak's JSON report doc against the guest's ground truth t (a
    truth.json), for a kernel that held still while it was read: a dump, or
    a live kernel with its traffic stopped."""
    check(not doc["errors"], f"{name}: errors {doc['errors'][:3]}")
    check(doc["complete"] is True and doc["incomplete"] == [] and doc["incomplete_dropped"] == 0,
          f"{name}: the report should be complete: {doc['incomplete'][:3]}")
    has_lists = doc["kernel"]["layout"]["lists"] != "none"
    guest = {ns["inum"]: ns for ns in t["netns"]}
    mine = {ns["inum"]: ns for ns in doc["netns"]}
    check(set(guest) <= set(mine), f"{name}: namespaces {sorted(mine)} lack some of {sorted(guest)}")
    for inum, g in guest.items():
        n = mine.get(inum)
        if not n:
            continue
        check(n["count"] == g["count"], f"{name} netns {inum}: count {n['count']} != guest {g['count']}")
        check(n["confirmed"] == len(g["conntrack"]),
              f"{name} netns {inum}: confirmed {n['confirmed']} != guest's {len(g['conntrack'])} lines")
        off = [p for p in t["planted"] if p["netns"] == inum
               and p["scenario"] in ("unconfirmed", "nfqueue", "dying_extra_ref")]
        check(n["unaccounted"] == 0, f"{name} netns {inum}: unaccounted {n['unaccounted']} != 0")
        check(n["orphaned"] == 0, f"{name} netns {inum}: orphaned {n['orphaned']}")
        if has_lists:
            unconf = sum(1 for p in off if p["scenario"] != "dying_extra_ref")
            check(n["unconfirmed"] == unconf and n["dying"] == len(off) - unconf
                  and n["slab_only"] == 0,
                  f"{name} netns {inum}: unconfirmed/dying/slab {n['unconfirmed']}/{n['dying']}/{n['slab_only']}")
        else:
            check(n["slab_only"] == len(off), f"{name} netns {inum}: slab_only {n['slab_only']} != {len(off)}")
    gone = (t.get("teardown") or {}).get("inum")
    in_teardown = sum(1 for p in t["planted"] if p["netns"] == gone) if gone else 0
    check(doc["slab"] and doc["slab"]["allocated"] == sum(g["count"] for g in t["netns"]) + in_teardown,
          f"{name}: slab allocated {doc['slab']} != sum of counts")
    found = {int(e["address"], 16): e for e in doc["entries"]}
    # A namespace destroyed while its entries leak: found through its
    # objects, marked, counted from its own struct net, its entries suspects.
    gone = (t.get("teardown") or {}).get("inum")
    if gone:
        n = mine.get(gone)
        theirs = [p for p in t["planted"] if p["netns"] == gone]
        check(n and n["cleanup"] is True and n["count"] == len(theirs) and n["unaccounted"] == 0,
              f"{name}: namespace {gone} in teardown: {n}")
        for p in theirs:
            e = found.get(int(p["ct"], 16))
            check(e and e["suspect"] and e["netns"] == gone and e["state"] == "dying"
                  and any("being torn down" in r for r in e["reasons"]),
                  f"{name}: entry {p['ct']} of the namespace in teardown: {e}")
    for p in t["planted"]:
        addr = int(p["ct"], 16)
        e = found.get(addr)
        if p["netns"] == gone:
            continue
        if p["scenario"] == "live_extra_ref":
            ok = e and e["suspect"] and e["found_in"] == "hash" and e["state"] == "confirmed" \
                and e["use"] == p["use"]
        elif p["scenario"] == "dying_extra_ref":
            ok = e and e["suspect"] and e["state"] == "dying" \
                and e["found_in"] == ("dying_list" if has_lists else "slab")
        else:  # unconfirmed, nfqueue: stolen or queued before the confirm hook
            # (locally sent: confirmed at POST_ROUTING, whether queued there
            # or at LOCAL_OUT)
            ok = e and e["suspect"] and e["state"] == "unconfirmed" \
                and e["found_in"] == ("unconfirmed_list" if has_lists else "slab") \
                and e["last_hook"] == ("LOCAL_OUT" if p["scenario"] == "unconfirmed" else p["hook"]) \
                and e["next_hook"] == ("POST_ROUTING" if p["scenario"] == "nfqueue" else p["hook"]) \
                and (e["cpu"] is not None) == has_lists
        check(bool(ok), f"{name}: planted {p['scenario']} {p['ct']} not reported right: {e}")
        if not e:
            continue
        # Age from the timestamp extension, which the guest turned on: the
        # start is stamped at confirm time, so unconfirmed entries have none.
        if p["scenario"] in ("live_extra_ref", "dying_extra_ref"):
            check(e["age"] is not None and 0 <= e["age"] < 3600, f"{name}: {p['ct']} age {e['age']}")
        else:
            check(e["age"] is None, f"{name}: unconfirmed {p['ct']} has age {e['age']}")
        # Who holds it: the stolen skb, the queued packet, or nobody.
        holders = {(h["kind"], int(h["address"], 16)) for h in e["holders"]}
        if p["scenario"] == "unconfirmed":
            check(("skb", int(p["skb"], 16)) in holders,
                  f"{name}: stolen {p['ct']}: holder skb {p['skb']} not named: {e['holders']}")
        elif p["scenario"] == "nfqueue":
            check(any(k == "nfqueue" for k, _ in holders) and e["last_hook"] == p["hook"]
                  and e["last_hook_evidence"].startswith("nfqueue 0, packet id"),
                  f"{name}: queued {p['ct']}: {e['holders']} {e['last_hook']} {e['last_hook_evidence']}")
        else:
            check("no holder found: reference leaked" in e["reasons"],
                  f"{name}: {p['scenario']} {p['ct']} reasons {e['reasons']}")
        if e:
            check(entry_key(e) == planted_key(p) and e["netns"] == p["netns"],
                  f"{name}: {p['ct']} tuple/netns {entry_key(e)} {e['netns']} != {planted_key(p)}")
    planted_addrs = {int(p["ct"], 16) for p in t["planted"]}
    extra = [e for e in doc["entries"] if int(e["address"], 16) not in planted_addrs]
    check(not extra, f"{name}: suspects that were not planted: {extra[:2]}")
    check(doc["suspects"] == len(doc["entries"]), f"{name}: suspects {doc['suspects']} != listed")


def check_verdict(name, doc, t, text=None):
    """The verdict (JSON "verdict", the text's first lines) against the
    ground truth: the fullest namespace and its fill level from the guest's
    own counts and nf_conntrack_max, each planted leak under its cause."""
    v = doc.get("verdict")
    if not check(isinstance(v, dict), f"{name}: no verdict object"):
        return
    gone = (t.get("teardown") or {}).get("inum")
    planted = t["planted"]
    in_teardown = [p for p in planted if gone and p["netns"] == gone]
    counts = [(g["count"], g["inum"]) for g in t["netns"]]
    if in_teardown:
        counts.append((len(in_teardown), gone))
    top_count, top_inum = max(counts)
    mx = t["kernel"]["max"]
    check(v["complete"] is True and v["nf_conntrack_max"] == mx
          and v["entries"] == sum(c for c, _ in counts) and v["namespaces"] == len(counts)
          and v["fullest"] == {"netns": top_inum, "count": top_count},
          f"{name}: verdict fill {v}, guest counts {counts}, max {mx}")
    rest = [p for p in planted if p not in in_teardown]
    want = {"nfqueue": sum(p["scenario"] == "nfqueue" for p in rest),
            "teardown": len(in_teardown),
            "stolen_before_confirm": sum(p["scenario"] == "unconfirmed" for p in rest),
            "leaked_no_holder": sum(p["scenario"] in ("live_extra_ref", "dying_extra_ref") for p in rest),
            "other": 0}
    check(v["causes"] == want and v["suspects"] == len(planted) and v["classified"] == len(planted),
          f"{name}: verdict causes {v['causes']} ({v['suspects']}/{v['classified']}), want {want}")
    queues = {}
    for p in rest:
        if p["scenario"] == "nfqueue":
            queues[(p["netns"], p["queue"])] = queues.get((p["netns"], p["queue"]), 0) + 1
    got = {(q["netns"], q["queue"]): q["held"] for q in v["nfqueues"]}
    check(got == queues, f"{name}: verdict nfqueues {got}, want {queues}")
    pm = top_count * 1000 // mx
    fill = f"at {top_count} of nf_conntrack_max {mx} ({pm // 10}.{pm % 10}%)"
    lines = v["lines"] if len(v["lines"]) == 2 else ["", ""]
    if planted:
        phrases = [f"{len(planted)} suspects: "] + [f"{n} {what}" for n, what in (
            (want["stolen_before_confirm"], "stolen before confirm"),
            (want["leaked_no_holder"], "references leaked (no holder)"),
            (want["nfqueue"], "held by NFQUEUE"),
            (want["teardown"], "in a namespace being torn down")) if n]
        said = all(ph in lines[1] for ph in phrases)
    else:
        phrases, said = ["verdict: no suspects"], lines[1] == "verdict: no suspects"
    check(lines[0].startswith("verdict: report complete; ") and fill in lines[0] and said,
          f"{name}: verdict lines {v['lines']}, want {fill!r} and {phrases}")
    if text is not None:
        check(text.splitlines()[:2] == v["lines"], f"{name}: the text does not open with the verdict: "
              f"{text.splitlines()[:2]} vs {v['lines']}")


def truth_table(t):
    """Every entry of the guest's table as (netns, l3, proto, src, dst, key,
    state, zone, mark): its /proc/net/nf_conntrack lines, and the planted
    entries no line shows (off the hash, or in the namespace in teardown)."""
    rows = []
    names = {1: "icmp", 6: "tcp", 17: "udp", 58: "icmpv6", 132: "sctp"}
    for g in t["netns"]:
        for line in g["conntrack"]:
            f = line.split()
            kv = {}
            for w in f:
                if "=" in w:
                    kv.setdefault(w.split("=", 1)[0], w.split("=", 1)[1])
            proto = int(f[3])
            key = (f"{names[proto]} dport {kv['dport']}" if "dport" in kv
                   else f"{names[proto]} type {kv['type']}" if "type" in kv else names[proto])
            state = (f[5] if proto == 6 else "UNREPLIED" if "[UNREPLIED]" in f
                     else "ASSURED" if "[ASSURED]" in f else "REPLIED")
            rows.append((g["inum"], proto, kv["src"], kv["dst"], key, f"{names[proto]} {state}",
                         kv["zone"], kv["mark"]))
    gone = (t.get("teardown") or {}).get("inum")
    for p in t["planted"]:
        if p["scenario"] == "live_extra_ref" and p["netns"] != gone:
            continue  # confirmed: a line of its namespace
        st = int(p["status"], 16)
        state = "UNREPLIED" if not st & 2 else "ASSURED" if st & 4 else "REPLIED"
        rows.append((p["netns"], p["proto"], p["src"], p["dst"],
                     f"{names[p['proto']]} dport {p['dport']}", f"{names[p['proto']]} {state}",
                     "0", "0"))
    return rows


def check_table_summary(name, ts, t):
    """-s's table summary against every entry the guest's table held: the
    entry total, and each dimension's top rows with their counts."""
    if not check(isinstance(ts, dict), f"{name}: -s has no table_summary"):
        return
    rows = truth_table(t)
    check(ts["entries"] == len(rows), f"{name}: table summary of {ts['entries']} entries, "
          f"the guest's table holds {len(rows)}")
    import collections
    import ipaddress
    dims = {"by_proto_port": 4, "by_destination": 3, "by_source": 2, "by_state": 5,
            "by_zone": 6, "by_mark": 7, "by_netns": 0}
    for dim, col in dims.items():
        want = collections.Counter(str(r[col]) if col not in (2, 3) else
                                   str(ipaddress.ip_address(r[col])) for r in rows)
        got = ts.get(dim) or {}
        top = got.get("top", [])
        norm = [(str(ipaddress.ip_address(x["key"])) if col in (2, 3) else x["key"], x["entries"])
                for x in top]
        check(got.get("distinct", -1) >= len(want) and got.get("untracked") == 0,
              f"{name}: {dim}: distinct {got.get('distinct')}, want {len(want)}")
        # The ten biggest, biggest first, each with the guest's count.
        same = all(want[k] == n for k, n in norm) and len(norm) == min(len(want), 10) and \
            [n for _, n in norm] == sorted(want.values(), reverse=True)[:10]
        check(same, f"{name}: {dim}: {norm} vs the guest's {want.most_common(10)}")


def check_types_from(name, src, doc, text):
    """Where the types came from, in the JSON report and the text's first
    line (which says so only for BTF)."""
    got = doc["kernel"].get("types_from")
    check(got == src.types, f"{name}: kernel.types_from {got!r}, want {src.types!r}")
    if text is None:
        return
    # The kernel line, after the verdict's (and any INCOMPLETE) lines.
    first = next((l for l in text.splitlines() if l.startswith("kernel ")), "")
    if src.types == "btf":
        check(first.endswith(", types from BTF"), f"{name}: kernel line {first!r}")
    else:
        check(first and "types from" not in first, f"{name}: kernel line {first!r} names a source")


def check_dump(ctleak, dump, truth, src):
    """Every check of one dump, its types found as src says."""
    t = json.load(open(truth))
    name = f"{t['kernel']['release']}/{t['kernel']['scenario']}/{os.path.basename(dump)}{src.label}"
    rc, out, err = run(ctleak, ["-j", dump], src)
    leaks = bool(t["planted"])
    if not check(rc == (1 if leaks else 0), f"{name}: exit status {rc} ({err.strip()[:300]})"):
        if rc == 2:
            return
    try:
        doc = json.loads(out)
    except ValueError as e:
        check(False, f"{name}: output is not JSON: {e}")
        return
    check_report(name, doc, t)
    rc_text, text, _ = run(ctleak, [dump], src)
    check(rc_text == rc, f"{name}: text exit status {rc_text} != JSON's {rc}")
    check_types_from(name, src, doc, text)
    check_verdict(name, doc, t, text)
    if not leaks:
        return
    # Filters, on the text output too.
    second = t["netns"][1]["inum"]
    rc, out, _ = run(ctleak, ["-j", "-n", str(second), dump], src)
    d = json.loads(out)
    check(d["entries"] and all(e["netns"] == second for e in d["entries"]), f"{name}: -n {second}")
    rc, out, _ = run(ctleak, ["-j", "-s", dump], src)
    check_table_summary(name, json.loads(out)["table_summary"], t)
    # Under a filter, what fills the table counts what the filter matches.
    _, fout, _ = run(ctleak, ["-j", "-s", "--dport", "5000", "-p", "udp", dump], src)
    want = sum(1 for r in truth_table(t) if r[4] == "udp dport 5000")
    ts = json.loads(fout)["table_summary"]
    check(ts and ts["entries"] == want and ts["by_proto_port"]["distinct"] == (1 if want else 0),
          f"{name}: -s --dport 5000 -p udp: table of {ts and ts['entries']}, the guest's {want}")
    g = json.loads(out)["groups"]
    check(g and sum(r["suspects"] for r in g["by_netns"]) == doc["suspects"]
          and any(r["key"] == "under 1 minute" for r in g["by_age"]),
          f"{name}: -s groups {g}")
    rc, out, _ = run(ctleak, ["-j", "-p", "icmp", dump], src)
    check(json.loads(out)["entries"] == [], f"{name}: -p icmp lists no suspect")
    rc, out, _ = run(ctleak, ["-j", "-c", dump], src)
    d = json.loads(out)
    hashed = sum(1 for e in d["entries"] if e["found_in"] == "hash")
    check(hashed == sum(len(g["conntrack"]) for g in t["netns"]), f"{name}: -c lists every hashed entry ({hashed})")
    check("suspects" in text and "NETNS" in text and "INCOMPLETE" not in text,
          f"{name}: text output")
    check_filters_formats(ctleak, dump, t, src, name)
    # Without the slab scan, a kernel without lists (5.19+) loses the
    # entries on no list: the report must say so first, and exit 3.
    if doc["kernel"]["layout"]["lists"] == "none":
        rc, out, _ = run(ctleak, ["--no-slab", dump], src)
        lines = out.splitlines()
        missing = {g["inum"]: sum(1 for p in t["planted"] if p["netns"] == g["inum"]
                                  and p["scenario"] in ("unconfirmed", "nfqueue", "dying_extra_ref"))
                   for g in t["netns"]}
        want = [f"INCOMPLETE: netns {i}: {n} of its {g['count']} entries not found (no slab scan)"
                for g in t["netns"] for i, n in [(g["inum"], missing[g["inum"]])] if n]
        check(rc == 3 and lines[0].startswith("INCOMPLETE: this report does not account")
              and all(w in lines[1:len(want) + 1] for w in want),
              f"{name}: --no-slab: exit {rc}, first lines {lines[:4]}, want {want}")
        rc, out, _ = run(ctleak, ["-j", "--no-slab", dump], src)
        d = json.loads(out)
        check(rc == 3 and d["complete"] is False
              and {x["code"] for x in d["incomplete"]} == {"unaccounted"}
              and len(d["incomplete"]) == len(want),
              f"{name}: --no-slab JSON: exit {rc}, {d['complete']}, {d['incomplete']}")


def direct_reads(err):
    """The "direct N" of a $CTLEAK_STATS line, or None."""
    for line in err.splitlines():
        if line.startswith("ctleak: stats:") and ", direct " in line:
            return int(line.split(", direct ")[1].split(",")[0])
    return None


def check_read_paths(ctleak, elf, truth, src):
    """An ELF dump is read from the file directly where memory is mapped
    linearly (kdump_direct.h), else through libkdumpfile: the direct reads
    really happen, and with them off (CTLEAK_DIRECT_READS=0, every read
    through libkdumpfile) the report meets the same ground truth."""
    t = json.load(open(truth))
    name = f"{t['kernel']['release']}/{t['kernel']['scenario']}/{os.path.basename(elf)}"
    want_rc = 1 if t["planted"] else 0
    for off in (False, True):
        env = dict(src.env, CTLEAK_STATS="1", **({"CTLEAK_DIRECT_READS": "0"} if off else {}))
        run_src = Source(src.files, src.types, src.label, env, src.wrap)
        rc, out, err = run(ctleak, ["-j", elf], run_src)
        label = f"{name}, {'libkdumpfile reads only' if off else 'direct reads'}"
        n = direct_reads(err)
        check(rc == want_rc and n is not None and (n == 0 if off else n > 0),
              f"{label}: exit {rc}, direct reads {n} ({err.strip()[-200:]})")
        if rc == want_rc:
            check_report(label, json.loads(out), t)


def proc_core(fields):
    """The fields of a /proc/net/nf_conntrack line less what moves between
    the guest's reading and the dump: the timeout (the fifth field),
    delta-time= and use= (/proc's reader holds a reference)."""
    f = fields[:4] + fields[5:]
    return " ".join(x for x in f if not x.startswith(("delta-time=", "use=")))


def ctleak_proc_lines(out):
    """--format proc lines as (address, netns, found_in, state, kernel fields)."""
    rows = []
    for line in out.splitlines():
        head, _, _ = line.partition(" why: ")
        f = head.split()
        rows.append((int(f[0], 16), int(f[1]), f[2], f[3], f[4:]))
    return rows


def check_filters_formats(ctleak, dump, t, src, name):
    """The filters and formats against the ground truth."""
    for port in sorted({p["dport"] for p in t["planted"]}):
        rc, out, _ = run(ctleak, ["-j", "--dport", str(port), dump], src)
        want = {int(p["ct"], 16) for p in t["planted"] if p["dport"] == port}
        got = {int(e["address"], 16) for e in json.loads(out)["entries"]}
        check(rc == 1 and got == want, f"{name}: --dport {port}: {len(got)} entries, the truth "
              f"{len(want)}; extra {sorted(map(hex, got - want))[:3]}, missing {sorted(map(hex, want - got))[:3]}")
        rc, out, _ = run(ctleak, ["--format", "proc", "--dport", str(port), dump], src)
        rows = ctleak_proc_lines(out)
        check({r[0] for r in rows} == want and all(f"dport={port}" in r[4] for r in rows)
              and all(" why: " in line for line in out.splitlines()),
              f"{name}: --format proc --dport {port}: {out[:300]}")
    a, b = t["netns"][0]["inum"], t["netns"][1]["inum"]
    rc, out, _ = run(ctleak, ["-j", "-n", str(a), "-n", f"net:[{b}]", dump], src)
    d = json.loads(out)
    want = sum(n["suspects"] for n in d["netns"] if n["inum"] in (a, b))
    check({e["netns"] for e in d["entries"]} == {a, b} and len(d["entries"]) == want
          and d["filter"]["listed"] == want, f"{name}: -n {a} -n net:[{b}]: both namespaces")
    rc, out, err = run(ctleak, ["-n", "12345", dump], src)
    check(rc == 2 and out == "" and err.count("\n") == 1
          and "-n 12345: no namespace of this dump has this inode number" in err,
          f"{name}: -n 12345: exit {rc}, {err.strip()[:200]}")
    td = t.get("teardown", {}).get("inum")
    if td:
        rc, out, _ = run(ctleak, ["-j", "-n", str(td), dump], src)
        d = json.loads(out)
        check(rc == 1 and len(d["entries"]) == 3 and all(e["netns"] == td for e in d["entries"]),
              f"{name}: -n {td} (in teardown): {len(d['entries'])} entries")
        rc, out, err = run(ctleak, ["--no-slab", "-n", str(td), dump], src)
        check(rc == 2 and out == "" and "those being torn down are found by the slab scan only"
              in err, f"{name}: --no-slab -n {td}: exit {rc}, {err.strip()[:300]}")
    rc, out, err = run(ctleak, ["--dport", "9", "-j", dump], src)
    check(rc == 1 and json.loads(out)["filter"]["none_matched"]
          and err.strip().endswith("ctleak: no entry matches --dport 9 among the suspects "
                                   "(-a: among every entry)"), f"{name}: --dport 9: {err[-200:]}")
    established = sum(1 for g in t["netns"] for line in g["conntrack"]
                      if line.split()[2] == "tcp" and line.split()[5] == "ESTABLISHED")
    rc, out, _ = run(ctleak, ["-j", "-c", "--state", "ESTABLISHED", dump], src)
    d = json.loads(out)
    check(established and len(d["entries"]) == established
          and all(e["l4state"] == "ESTABLISHED" for e in d["entries"]),
          f"{name}: --state ESTABLISHED -c: {len(d['entries'])}, the guest {established}")
    rc, out, err = run(ctleak, ["--format", "proc", "-c", dump], src)
    rows = ctleak_proc_lines(out)
    check(err.startswith("# ") and "\n# NETNS " in err, f"{name}: --format proc: the table "
          f"on stderr as comments: {err[:200]}")
    for g in t["netns"]:
        mine = sorted(proc_core(r[4]) for r in rows if r[1] == g["inum"] and r[2] == "hash")
        guest = sorted(proc_core(line.split()) for line in g["conntrack"])
        diff = [x for x, y in zip(mine, guest) if x != y][:2]
        check(mine == guest, f"{name}: --format proc -c, netns {g['inum']}: {len(mine)} lines, "
              f"the guest {len(guest)}; first differences {diff}")
    rc, out, _ = run(ctleak, ["--format", "csv", "-a", dump], src)
    rc_j, out_j, _ = run(ctleak, ["-j", "-a", dump], src)
    rows = list(csv.DictReader(io.StringIO(out)))
    check(rc == rc_j and [r["address"] for r in rows]
          == [e["address"] for e in json.loads(out_j)["entries"]],
          f"{name}: --format csv -a lists what -j -a lists ({len(rows)} rows)")


def check_mismatch(ctleak, groups):
    """Debug files of another kernel are refused with one sentence naming both."""
    by_release = {}
    for elf, kdump, truth, vmlinux, modules in groups:
        rel = os.path.basename(modules)
        by_release.setdefault(rel, (elf, vmlinux, modules))
    if len(by_release) < 2:
        return
    (ra, (elf_a, vml_a, mod_a)), (rb, (_, vml_b, mod_b)) = list(by_release.items())[:2]
    rc, out, err = run(ctleak, [vml_b, elf_a])
    check(rc == 2 and "is not the kernel of this dump" in err and vml_b in err
          and err.count("\n") == 1, f"{ra} dump with {rb} vmlinux: rc {rc}, {err.strip()}")
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(f"{d}/lib/modules/{ra}")
        shutil.copy(f"{mod_b}/kernel/net/netfilter/nf_conntrack.ko", f"{d}/lib/modules/{ra}/")
        rc, out, err = run(ctleak, ["-D", d, vml_a, elf_a])
        check(rc == 2 and "is not the nf_conntrack module loaded in this dump" in err,
              f"{ra} dump with {rb} nf_conntrack.ko: rc {rc}, {err.strip()}")


# --- no debug files: types from the dump's BTF, symbols from its kallsyms ----

def has_btf_section(path):
    """Does the ELF file at path (.ko or .ko.xz) carry a .BTF section?"""
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".xz"):
        data = lzma.decompress(data)
    if data[:4] != b"\x7fELF" or data[4] != 2:
        return False
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    strtab_off, = struct.unpack_from("<Q", data, shoff + shstrndx * shentsize + 0x18)
    for i in range(shnum):
        name_at, = struct.unpack_from("<I", data, shoff + i * shentsize)
        at = strtab_off + name_at
        if data[at:data.index(b"\0", at)] == b".BTF":
            return True
    return False


def module_has_btf(modules):
    """Whether the kernel's installed (stripped) nf_conntrack.ko carries
    BTF: the feature a run without debug files needs (5.10's does not).
    None when no installed module is found beside the debug tree."""
    root, rel = modules.split("/usr/lib/debug/")[0], os.path.basename(modules)
    for d in (f"{root}/lib/modules/{rel}", f"{root}/usr/lib/modules/{rel}"):
        for ext in ("", ".xz"):
            ko = f"{d}/kernel/net/netfilter/nf_conntrack.ko{ext}"
            if os.path.exists(ko):
                return has_btf_section(ko)
    return None


def system_debug_places(release):
    """What ctleak finds on its own, with no -D, for this release
    (lib/app/debugfind.c: the system root "/" is always searched). On CI
    machines none of them exists for the test kernels; where one does, the
    runs hide it (hiding_wrap), so the test does not depend on it."""
    places = [f"/boot/vmlinux-{release}", f"/usr/lib/debug/boot/vmlinux-{release}",
              f"/usr/lib/debug/lib/modules/{release}", f"/lib/modules/{release}",
              f"/vmlinux-{release}"]
    return [p for p in places if os.path.exists(p)]


def hiding_wrap(places):
    """A command that runs ctleak in a private mount namespace with each of
    places hidden under an empty tmpfs (a folder) or /dev/null (a file)."""
    if not places:
        return []
    steps = [f"mount -t tmpfs ctleak-hidden {shlex.quote(p)}" if os.path.isdir(p)
             else f"mount --bind /dev/null {shlex.quote(p)}" for p in places]
    user = [] if os.geteuid() == 0 else ["--map-root-user"]
    return ["unshare", "--mount"] + user + ["sh", "-c", " && ".join(steps) + ' && exec "$@"', "sh"]


def no_debug(home, release, label=", no debug files"):
    """A Source with no debug file: the layout cache, XDG_CACHE_HOME and
    HOME all in home, a fresh folder (lib/kernel/layout.c's
    ct_layout_default_cache_dir), so that no layout cached from DWARF is
    found; the system's own debug places hidden if there are any."""
    env = {"CTLEAK_CACHE": f"{home}/cache", "XDG_CACHE_HOME": f"{home}/xdg", "HOME": home}
    return Source([], "btf", label, env, hiding_wrap(system_debug_places(release)))


def check_forced(ctleak, elf, truth, vmlinux, home):
    """--types btf with a vmlinux given: BTF all the same; the vmlinux with
    no module debug file: vmlinux's DWARF, the module's types from its BTF
    in the dump ("dwarf+btf"); --types dwarf with no debug file at all: one
    sentence, status 2."""
    t = json.load(open(truth))
    rel = t["kernel"]["release"]
    name = f"{rel}/{t['kernel']['scenario']}/{os.path.basename(elf)}"
    for args, types in ((["--types", "btf", vmlinux], "btf"), ([vmlinux], "dwarf+btf")):
        src = no_debug(home, rel)
        src.types, what = types, f"{name} {' '.join(args[:-1] + ['VMLINUX'])}, no -D"
        rc, out, err = run(ctleak, ["-j"] + args + [elf], src)
        if check(rc == (1 if t["planted"] else 0), f"{what}: rc {rc} {err.strip()[:300]}"):
            doc = json.loads(out)
            check_report(what, doc, t)
            check_types_from(what, src, doc, None)
    rc, out, err = run(ctleak, ["--types", "dwarf", elf], no_debug(home, rel))
    check(rc == 2 and err.count("\n") == 1 and err.startswith("ctleak: ") and out == ""
          and "unknown option" not in err,
          f"{name} --types dwarf, no debug files: rc {rc}, {err.strip()!r}")


def check_no_btf(ctleak, dump, truth, home):
    """A kernel whose dump cannot serve the types (5.10: nf_conntrack.ko
    has no BTF): status 2, one line naming what is missing and the debug
    file that would do; under -j the same sentence in a JSON error
    document."""
    t = json.load(open(truth))
    rel = t["kernel"]["release"]
    name = f"{rel}/{t['kernel']['scenario']}/{os.path.basename(dump)}, no debug files"
    src = no_debug(home, rel)
    rc, out, err = run(ctleak, [dump], src)
    line = err.strip()
    check(rc == 2 and out == "" and err.count("\n") == 1 and line.startswith("ctleak: ")
          and any(w in line for w in ("BTF", "kallsyms"))
          and any(w in line for w in (f"linux-image-{rel}-dbg", "vmlinux", ".ko")),
          f"{name}: rc {rc}, stderr {err!r}, stdout {out[:200]!r}")
    rc, out, err = run(ctleak, ["-j", dump], src)
    try:
        doc = json.loads(out)
    except ValueError:
        doc = None
    check(rc == 2 and doc and doc.get("complete") is False and doc.get("error")
          and doc["error"].get("code") and line.endswith(doc["error"].get("what") or "\0"),
          f"{name} -j: rc {rc}, stdout {out[:300]!r}")


def check_btf_cache(name, layouts):
    """The layouts read from BTF are cached too (vmlinux's alone, then with
    the modules', as with DWARF), each one saying it came from BTF."""
    kept = sorted(os.listdir(layouts)) if os.path.isdir(layouts) else []
    origins = [open(f"{layouts}/{f}").readline().split()[-1:] for f in kept]
    check(kept and all(o == ["btf"] for o in origins),
          f"{name}: layout cache holds {kept}, from {origins}")


def main_no_debug(ctleak, groups):
    """Every dump again, with no debug file anywhere: where the kernel's
    nf_conntrack.ko carries BTF, every check of check_dump, types from
    BTF; where it does not, the one sentence."""
    for elf, kdump, truth, vmlinux, modules in groups:
        btf = module_has_btf(modules)
        if not check(btf is not None, f"{modules}: no installed nf_conntrack.ko beside it"):
            continue
        with tempfile.TemporaryDirectory(prefix="ctleak-nodebug-") as home:
            rel = os.path.basename(modules)
            for dump in (elf, kdump):
                own = f"{home}/{os.path.basename(dump)}"
                if btf:
                    check_dump(ctleak, dump, truth, no_debug(own, rel))
                    check_btf_cache(f"{rel}/{os.path.basename(dump)}", f"{own}/cache/layouts")
                else:
                    check_no_btf(ctleak, dump, truth, own)
            if btf:
                check_forced(ctleak, elf, truth, vmlinux, f"{home}/forced")
    return TALLY.done("ctleak on real dumps, no debug files")


def main(args):
    nodebug = bool(args) and args[0] == "--no-debug"
    args = args[1:] if nodebug else args
    if not args or len(args[1:]) % 5:
        sys.exit("usage: check_ctleak_dumps.py [--no-debug] CTLEAK (ELF KDUMP TRUTH VMLINUX MODULES)...")
    ctleak, rest = args[0], args[1:]
    groups = [rest[i:i + 5] for i in range(0, len(rest), 5)]
    if nodebug:
        return main_no_debug(ctleak, groups)
    for elf, kdump, truth, vmlinux, modules in groups:
        for dump in (elf, kdump):
            check_dump(ctleak, dump, truth, with_debug(vmlinux, modules))
        check_read_paths(ctleak, elf, truth, with_debug(vmlinux, modules))
    check_mismatch(ctleak, groups)
    return TALLY.done("ctleak on real dumps")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
