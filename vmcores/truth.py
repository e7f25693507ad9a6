#!/usr/bin/env python3
"""truth.py RAW JSON — turn the guest's ground-truth transcript (second serial
port) into truth.json. Only reformatting: every value comes from the guest
kernel (procfs and the ctleak_plant module's /proc file), none from ctleak.

Transcript sections, written by guest/init.sh:
  === kernel            key=value lines (release, max, buckets, scenario)
  === netns NAME        key=value lines (inum, count), then
  --- conntrack         the netns's /proc/net/nf_conntrack lines
  --- end
  === teardown          inum= of a namespace destroyed while its entries leak
  === plant             /proc/ctleak_plant lines (key=value, one object each)
  CTLEAK-READY
"""
import json
import sys


def kv(line):
    out = {}
    for tok in line.split():
        if "=" in tok:
            k, v = tok.split("=", 1)
            out[k] = v
    return out


def num(v):
    try:
        return int(v, 0)
    except (TypeError, ValueError):
        return v


def main(raw_path, json_path):
    kernel, netns, planted, summary, teardown = {}, [], [], None, None
    section, cur, in_ct = None, None, False
    ready = False
    for line in open(raw_path, errors="replace"):
        line = line.rstrip("\r\n")
        if line.startswith("CTLEAK-READY"):
            ready = True
            break
        if line.startswith("=== "):
            parts = line.split()
            section = parts[1]
            if section == "netns":
                cur = {"name": parts[2] if len(parts) > 2 else "", "conntrack": []}
                netns.append(cur)
            in_ct = False
            continue
        if section == "netns" and line == "--- conntrack":
            in_ct = True
            continue
        if section == "netns" and line == "--- end":
            in_ct = False
            continue
        if section == "netns" and in_ct:
            cur["conntrack"].append(line)
        elif section == "teardown" and "=" in line:
            teardown = {k: num(v) for k, v in kv(line).items()}
        elif section in ("kernel", "netns") and "=" in line:
            d = kv(line)
            target = kernel if section == "kernel" else cur
            target.update({k: num(v) for k, v in d.items()})
        elif section == "plant" and line.startswith("scenario="):
            d = {k: num(v) for k, v in kv(line).items()}
            for k in ("ct", "skb"):  # addresses stay hex strings
                if k in d:
                    d[k] = "0x%016x" % d[k]
            d["status"] = kv(line)["status"]
            planted.append(d)
        elif section == "plant" and line.startswith("planted "):
            summary = {k: num(v) for k, v in kv(line).items()}
    if not ready:
        sys.exit(f"truth: {raw_path} has no CTLEAK-READY line: the guest did not finish")
    doc = {"schema": 1, "kernel": kernel, "netns": netns, "planted": planted,
           "planted_summary": summary, "teardown": teardown}
    with open(json_path, "w") as f:
        json.dump(doc, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
