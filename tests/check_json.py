#!/usr/bin/env python3
"""Parse the JSON written by test_report and check it carries what the test
put in. Prints 'json report: N passed, N failed' like the C tests."""
import json
import sys

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {what}")


try:
    doc = json.load(open(sys.argv[1]))
except Exception as e:  # a parse failure is a test failure, not a crash
    check(False, f"JSON does not parse: {e}")
    doc = {}
if doc:
    check(doc["schema"] == 1, "schema 1")
    check(doc["kernel"]["release"] == "6.1.0-test", "release")
    ns = doc["netns"]
    check(len(ns) == 2, "two namespaces")
    check(ns[0]["count"] == 5 and ns[0]["hashed"] == 3 and ns[0]["dying"] == 1, "counts")
    check(ns[0]["inum"] == 4026531840 and ns[0]["cleanup"] is False, "inum, cleanup")
    check(ns[1]["cleanup"] is True and ns[1]["count"] is None, "cleanup netns, unknown count")
    ents = doc["entries"]
    check(len(ents) == 2, "two entries kept")
    check(doc["entries_dropped"] == 1, "drop counted")
    d = ents[1]
    check(d["found_in"] == "dying" and d["state"] == "dying", "dying entry")
    check(d["addr"] == "0xffff888012345600", "addr as hex string")
    check(d["original"]["src"] == "10.0.0.1" and d["original"]["sport"] == 12345, "tuple")
    check(d["reply"]["dport"] == 12345, "reply tuple")
    check("DYING" in d["flags"] and "CONFIRMED" in d["flags"], "flags")
    check(d["cpu"] == 1 and d["last_hook"] == "LOCAL_OUT" and d["timeout"] == 29, "extras")
    check(ents[0]["original"]["src"].startswith("fe80:"), "ipv6 entry")
    check(ents[0]["l4state"] == "ESTABLISHED", "tcp state")
    check(doc["problems"] == ['bucket 7: "loop"\tdetected'], "problem text round-trips")
print(f"json report: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
