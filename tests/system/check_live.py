#!/usr/bin/env python3
"""check_live.py [--asan=CTLEAK_ASAN] [--no-debug] CTLEAK SERIES... — ctleak
--live inside the test guest.

For each kernel series, vmcores/live-test.sh boots the guest with the leaks
scenario's traffic and planted leaks, and CTLEAK inside it; the guest runs
it on its own /proc/kcore and writes the transcripts next to its ground
truth (taken by procfs and the planting module, never by ctleak):
  * traffic stopped, `ctleak --live -j` (first run: DWARF read cold over
    virtiofs): every check of the dumps (check_ctleak_dumps.check_report):
    per-netns count == the guest's nf_conntrack_count, confirmed == its
    /proc/net/nf_conntrack lines, nothing unaccounted, every planted leak
    found with the right state, holders and hook, nothing else a suspect;
    "live": true, and nothing re-walked, met twice or in flight;
  * the same kernel, `ctleak` with no argument at all: live, text;
  * traffic flowing (new flows all the time, old ones expiring): the run
    finishes (exit 0 or 1) with a JSON report that says "live" and carries
    the re-walk counters; every planted leak is still found;
  * as an unprivileged user: one sentence saying root is needed, exit 2;
  * libkdumpfile's own attempt at /proc/kcore is recorded (a fact for
    README, not a test of ctleak);
  * kernel.types_from is "dwarf", and the text's first line names no source.
With --no-debug the guest boots without the debug share
(CTLEAK_LIVE_NO_DEBUG=1: its console says the mount failed, and the guest
has no debug file anywhere): the same checks, with types_from "btf"
(/sys/kernel/btf) and the text's first line ending ", types from BTF".
Prints "ctleak live in the guest: N passed, N failed" (", no debug files"
with --no-debug)."""
import json
import os
import re
import subprocess
import sys
import tempfile

import check_ctleak_dumps
from check_ctleak_dumps import check_report, check_types_from, check_verdict, planted_key, entry_key, Source

# One tally with the dump checks this file reuses (check_report).
TALLY = check_ctleak_dumps.TALLY
check = TALLY.check


def sections(raw):
    """{name: {"rc", "ms", "stdout", "stderr"}} of the '=== live NAME' runs."""
    out = {}
    for m in re.finditer(r"^=== live (\S+)\nrc=(\d+) ms=(\d+)\n--- stdout\n(.*?)--- stderr\n(.*?)--- end$",
                         raw, re.S | re.M):
        out[m.group(1)] = {"rc": int(m.group(2)), "ms": int(m.group(3)),
                           "stdout": m.group(4), "stderr": m.group(5)}
    return out


def parse_json(name, run):
    try:
        doc = json.loads(run["stdout"])
    except ValueError as e:
        check(False, f"{name}: output is not JSON ({e}); stderr {run['stderr'][:300]}")
        return None
    # An error document (status 2): no report to check.
    return None if "error" in doc else doc


def check_moving(name, rel, t, raw, moving, src):
    """A run while traffic flows: finishes, says it is live, finds the planted leaks."""
    check(moving["rc"] in (0, 1), f"{name}: exit status {moving['rc']} ({moving['stderr'][:300]})")
    doc = parse_json(name, moving)
    if doc:
        check(doc["live"] is True and all(k in doc for k in
                                          ("rewalked", "unsettled", "met_twice", "in_flight")),
              f"{name}: live counters missing")
        check_types_from(name, src, doc, None)
        grew = re.search(r"^=== moving\ncount=(\d+)$", raw, re.M)
        init = next((n for n in t["netns"] if n["name"] == "init"), None)
        check(grew and init and int(grew.group(1)) != init["count"],
              f"{name}: the traffic did move the table ({grew and grew.group(1)})")
        found = {int(e["address"], 16): e for e in doc["entries"]}
        for p in t["planted"]:
            e = found.get(int(p["ct"], 16))
            check(e is not None and e["suspect"] and entry_key(e) == planted_key(p),
                  f"{name}: planted {p['scenario']} {p['ct']} not among the suspects")
        planted = {int(p["ct"], 16) for p in t["planted"]}
        others = [e for a, e in found.items() if a not in planted and e["suspect"]]
        print(f"{name}: {moving['ms']} ms, "
              f"{sum(n['count'] for n in doc['netns'])} entries counted, "
              f"{doc['rewalked']} chains re-walked, {doc['unsettled']} unsettled, "
              f"{doc['met_twice']} met twice, {doc['in_flight']} suspects in flight, "
              f"{doc['suspects']} suspects ({len(others)} not planted: "
              f"{sorted(set(e['state'] + '/' + e['found_in'] for e in others))}), "
              f"{len(doc['errors'])} problems")


def check_series(ctleak, asan, series, work, src):
    env = dict(os.environ, CTLEAK_LIVE_NO_DEBUG="1") if src.types == "btf" else None
    r = subprocess.run(["bash", "vmcores/live-test.sh", series, ctleak, work] + ([asan] if asan else []),
                       capture_output=True, text=True, timeout=1800, env=env)
    if not check(r.returncode == 0, f"{series}: live-test.sh failed: {r.stderr.strip()[-500:]}"):
        return
    raw = open(f"{work}/truth.raw", errors="replace").read()
    t = json.load(open(f"{work}/truth.json"))
    runs = sections(raw)
    rel = t["kernel"]["release"]
    # Without the share the guest's mount fails, and says so (init.sh).
    console = open(f"{work}/console.log", errors="replace").read()
    check(("mounting the debug files failed" in console) == (src.types == "btf"),
          f"{rel}: the debug share is {'mounted' if src.types == 'btf' else 'missing'}")
    rel_label = rel + src.label
    check_runs(runs, raw, t, rel, rel_label, asan, src)


def check_runs(runs, raw, t, rel, label, asan, src):
    """The transcript's runs (sections) against the ground truth t."""
    check(set(runs) >= {"stopped", "text", "moving", "nonroot", "kdumpfile"},
          f"{rel}: transcript has runs {sorted(runs)}")

    stopped = runs.get("stopped")
    if stopped:
        name = f"{label}/live, traffic stopped"
        check(stopped["rc"] == 1, f"{name}: exit status {stopped['rc']} ({stopped['stderr'][:300]})")
        doc = parse_json(name, stopped)
        if doc:
            check(doc["live"] is True and doc["kernel"]["dump_format"] is None,
                  f"{name}: live {doc['live']} dump_format {doc['kernel']['dump_format']}")
            check(doc["rewalked"] == 0 and doc["unsettled"] == 0 and doc["met_twice"] == 0
                  and doc["in_flight"] == 0,
                  f"{name}: nothing moved, yet rewalked {doc['rewalked']} unsettled "
                  f"{doc['unsettled']} met_twice {doc['met_twice']} in_flight {doc['in_flight']}")
            check_report(name, doc, t)
            check_verdict(name, doc, t)
            check_types_from(name, src, doc, runs.get("text", {}).get("stdout"))
        after = re.search(r"^=== after\ncount=(\d+)$", raw, re.M)
        init = next((n for n in t["netns"] if n["name"] == "init"), None)
        check(after and init and int(after.group(1)) == init["count"],
              f"{rel}: the init netns count held still across the run "
              f"({after.group(1) if after else '?'} vs {init and init['count']})")
        how = "BTF from /sys/kernel/btf" if src.types == "btf" else "DWARF read over virtiofs"
        print(f"{label}: ctleak --live, cold {how}, under TCG: {stopped['ms']} ms")

    text = runs.get("text")
    if text:
        check(text["rc"] == 1 and f"kernel {rel} (live)" in text["stdout"]
              and "live: a sample of a moving system" in text["stdout"]
              and "NETNS" in text["stdout"],
              f"{rel}: ctleak without arguments: rc {text['rc']} {text['stdout'][:300]!r}")
        print(f"{label}: ctleak --live with the layout cache warm, under TCG: {text['ms']} ms")

    for tag, moving in (("", runs.get("moving")), (" [asan]", runs.get("moving-asan"))):
        if moving:
            check_moving(f"{label}/live, traffic flowing{tag}", rel, t, raw, moving, src)
    if asan:
        check("moving-asan" in runs, f"{rel}: no run of the ASan build")

    nonroot = runs.get("nonroot")
    nonroot = runs.get("nonroot")
    if nonroot:
        err = nonroot["stderr"].strip()
        check(nonroot["rc"] == 2 and err.count("\n") == 0 and "needs root" in err
              and "CAP_SYS_RAWIO" in err and nonroot["stdout"] == "",
              f"{rel}: unprivileged run: rc {nonroot['rc']}, {err!r}")

    probe = runs.get("kdumpfile")
    if probe:
        print(f"{rel}: libkdumpfile on /proc/kcore: {probe['stdout'].strip()}")


def main(args):
    asan, nodebug = None, False
    while args and args[0].startswith("--"):
        if args[0].startswith("--asan="):
            asan = os.path.abspath(args[0].split("=", 1)[1])
        elif args[0] == "--no-debug":
            nodebug = True
        else:
            sys.exit(f"check_live.py: unknown option {args[0]}")
        args = args[1:]
    if len(args) < 2:
        sys.exit("usage: check_live.py [--asan=CTLEAK_ASAN] [--no-debug] CTLEAK SERIES...")
    ctleak = os.path.abspath(args[0])
    # The guest's files are its own (an initramfs): with no share, it has
    # no debug file and no layout cache anywhere.
    src = Source([], "btf", ", no debug files") if nodebug else Source([], "dwarf")
    with tempfile.TemporaryDirectory() as d:
        for series in args[1:]:
            check_series(ctleak, asan, series, f"{d}/{series}", src)
    return TALLY.done("ctleak live in the guest" + src.label)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
