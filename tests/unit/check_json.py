#!/usr/bin/env python3
"""Parse the JSON report written by test_report and check it carries what the
test put in, in the documented shape (README "JSON output"). Prints
'json report: N passed, N failed' like the C tests."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from checklib import Tally

TALLY = Tally()
check = TALLY.check


try:
    doc = json.load(open(sys.argv[1]))
except Exception as e:  # a parse failure is a test failure, not a crash
    check(False, f"JSON does not parse: {e}")
    doc = {}
if doc:
    check(doc["schema"] == 1, "schema 1")
    check(list(doc)[:4] == ["schema", "complete", "incomplete", "incomplete_dropped"],
          f"the verdict comes first: {list(doc)[:4]}")
    check(doc["complete"] is False and doc["incomplete_dropped"] == 0
          and [x["code"] for x in doc["incomplete"]] == ["unaccounted", "count_unknown",
                                                         "entries_dropped"]
          and doc["incomplete"][0]["what"] == "netns 4026531840: 1 of its 5 entries not found (no slab scan)",
          f"incomplete: {doc['incomplete']}")
    v = doc.get("verdict") or {}
    check(list(doc)[4] == "verdict" and list(v) == [
        "complete", "entries", "namespaces", "nf_conntrack_max", "fullest", "suspects",
        "classified", "causes", "nfqueues", "nfqueues_more", "lines"],
          f"verdict after the completeness keys, in the documented shape: {list(v)}")
    check(v.get("complete") is False and v.get("entries") == 5 and v.get("namespaces") == 2
          and v.get("nf_conntrack_max") == 262144 and v.get("fullest") == {"netns": 4026531840, "count": 5}
          and v.get("suspects") == 2 and v.get("classified") == 2
          and v.get("causes") == {"nfqueue": 0, "teardown": 0, "stolen_before_confirm": 0,
                                  "leaked_no_holder": 0, "other": 2}
          and v.get("nfqueues") == [] and v.get("nfqueues_more") == 0
          and len(v.get("lines", [])) == 2 and all(l.startswith("verdict: ") for l in v["lines"]),
          f"verdict: {v}")
    k = doc["kernel"]
    check(k["release"] == "6.1.0-test" and k["nf_conntrack_max"] == 262144 and k["buckets"] is None,
          "kernel header")
    ns = doc["netns"]
    check(len(ns) == 2, "two namespaces")
    check(ns[0]["count"] == 5 and ns[0]["confirmed"] == 3 and ns[0]["dying"] == 1, "counts")
    check(ns[0]["unaccounted"] == 1 and ns[0]["suspects"] == 2, "unaccounted, suspects")
    check(ns[0]["inum"] == 4026531840 and ns[0]["address"] == "0xffffffff82d1a0c0", "inum, address")
    check(ns[1]["cleanup"] is True and ns[1]["count"] is None and ns[1]["unaccounted"] is None,
          "cleanup netns, unknown count")
    check(doc["suspects"] == 2, "suspects")
    ents = doc["entries"]
    check(len(ents) == 2 and doc["entries_dropped"] == 1, "two entries kept, one dropped")
    d = ents[1]
    check(d["found_in"] == "dying_list" and d["state"] == "dying", "dying entry")
    check(d["address"] == "0xffff888012345600" and d["netns"] == 4026531840, "address as hex string")
    check(d["orig"]["src"] == "10.0.0.1" and d["orig"]["sport"] == 12345, "tuple")
    check(d["reply"]["dport"] == 12345 and d["proto"] == 17 and d["l3proto"] == "ipv4", "reply, proto")
    check(d["status"] == ["CONFIRMED", "DYING"], f"status names {d['status']}")
    check(d["cpu"] == 1 and d["last_hook"] == "LOCAL_OUT" and d["next_hook"] == "POST_ROUTING"
          and d["timeout"] == 29, "extras")
    check(d["suspect"] is True and d["reasons"] == ["dying: deleted but still referenced (use 2)"],
          "reasons")
    check(ents[0]["orig"]["src"].startswith("fe80:") and ents[0]["l3proto"] == "ipv6", "ipv6 entry")
    check(ents[0]["l4state"] == "ESTABLISHED" and len(ents[0]["reasons"]) == 4, "tcp state, reasons")
    check(doc["errors"] == [
        {"what": 'bucket 7: "loop"\tdetected', "address": "0xffff888000001000", "code": "corrupt"},
        {"what": "node unreadable (not in dump)", "address": "0xffff888000002000", "code": "fault"}],
          f"error text, address and code round-trip: {doc['errors']}")
    check(doc["errors_dropped"] == 0, "errors_dropped")
    check(doc["notes"] == [{"what": "no nf_conntrack debug file", "address": None, "code": "notfound"}],
          f"notes: {doc.get('notes')}")

# A failed run: one document, the error and what was collected before it.
try:
    err = json.load(open(sys.argv[1] + ".error"))
except Exception as e:
    check(False, f"the error document does not parse: {e}")
    err = {}
if err:
    check(list(err) == ["schema", "complete", "error", "errors", "errors_dropped", "notes"],
          f"error document keys: {list(err)}")
    check(err["schema"] == 1 and err["complete"] is False, "schema 1, not complete")
    check(err["error"] == {"code": "notfound", "what": "nf_conntrack is not loaded", "address": None},
          f"error: {err['error']}")
    check([e["code"] for e in err["errors"]] == ["corrupt", "fault"] and len(err["notes"]) == 1,
          "problems and notes collected before the failure")
sys.exit(TALLY.done("json report"))
