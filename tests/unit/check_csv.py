#!/usr/bin/env python3
"""Re-read the --format csv file test_report wrote with Python's csv module
(RFC 4180 quoting) and check every column of its three entries against what
the test put in. Prints 'csv report: N passed, N failed' like the C tests."""
import csv
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from checklib import Tally

TALLY = Tally()
check = TALLY.check

COLUMNS = ["address", "netns", "net", "found_in", "cpu", "state", "use", "status",
           "timeout", "age", "zone", "mark", "l3proto", "proto", "l4state",
           "src", "dst", "sport", "dport", "reply_src", "reply_dst", "reply_sport",
           "reply_dport", "type", "code", "id", "last_hook", "next_hook", "holders",
           "suspect", "reasons"]

try:
    with open(sys.argv[1], newline="") as f:
        text = f.read()
    rows = list(csv.reader(text.splitlines(keepends=True), strict=True))
except Exception as e:  # a parse failure is a test failure, not a crash
    check(False, f"CSV does not parse: {e}")
    rows = []
if rows:
    check(rows[0] == COLUMNS, f"header: {rows[0]}")
    check(len(rows) == 4 and all(len(r) == len(COLUMNS) for r in rows), f"3 records of "
          f"{len(COLUMNS)} fields: {[len(r) for r in rows]}")
    check("\r" not in text and text.endswith("\n"), "LF line ends")
    recs = [dict(zip(COLUMNS, r)) for r in rows[1:]]
if rows and len(recs) == 3:
    # The suspect (tcp) first, then the others in the order added.
    t, u, i = recs
    check([r["address"][-3:] for r in recs] == ["700", "600", "800"],
          f"suspects first, then the others: {[r['address'] for r in recs]}")
    check(u["address"] == "0xffff888012345600" and u["netns"] == "4026531840"
          and u["net"] == "0xffffffff82d1a0c0", f"udp: address, netns, net: {u}")
    check(u["found_in"] == "hash" and u["cpu"] == "" and u["state"] == "confirmed"
          and u["use"] == "2" and u["status"] == "CONFIRMED", f"udp: where and state: {u}")
    check(u["timeout"] == "29" and u["age"] == "" and u["zone"] == "0" and u["mark"] == "0",
          f"udp: timeout, age, zone, mark: {u}")
    check(u["l3proto"] == "ipv4" and u["proto"] == "17" and u["l4state"] == "", f"udp: protocols {u}")
    check((u["src"], u["dst"], u["sport"], u["dport"]) == ("10.0.0.1", "10.0.0.2", "12345", "53"),
          f"udp: original tuple {u}")
    check((u["reply_src"], u["reply_dst"], u["reply_sport"], u["reply_dport"])
          == ("10.0.0.2", "10.0.0.1", "53", "12345"), f"udp: reply tuple {u}")
    check(u["type"] == u["code"] == u["id"] == "" and u["holders"] == "" and u["suspect"] == "no"
          and u["reasons"] == "", f"udp: the rest empty {u}")
    check(t["address"] == "0xffff888012345700" and t["cpu"] == "3" and t["age"] == "61"
          and t["l3proto"] == "ipv6" and t["proto"] == "6" and t["l4state"] == "TIME_WAIT",
          f"tcp: {t}")
    check(t["src"] == "fe80:0000:0000:0000:0000:0000:0000:0001" and t["mark"] == "16"
          and t["status"] == "SEEN_REPLY|ASSURED|CONFIRMED", f"tcp: src, mark, status {t}")
    check(t["holders"] == "skb 0xffff888000abc000 (len 28 dev lo)", f"tcp: holders {t['holders']}")
    check(t["suspect"] == "yes" and t["reasons"] == 'a reason, with a comma; a "quoted" one',
          f"tcp: reasons round-trip the quoting: {t['reasons']}")
    check('"a reason, with a comma; a ""quoted"" one"' in text, "RFC 4180: quoted, quotes doubled")
    check(i["proto"] == "1" and i["sport"] == "" and i["dport"] == "" and i["type"] == "8"
          and i["code"] == "0" and i["id"] == "42" and i["timeout"] == "", f"icmp: {i}")
sys.exit(TALLY.done("csv report"))
