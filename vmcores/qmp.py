#!/usr/bin/env python3
"""qmp.py SOCKET CMD... — a minimal QMP client for make-vmcore.sh.

Each CMD is a JSON object ({"execute": ..., "arguments": ...}); they run in
order, each waiting for its own answer (asynchronous events are skipped).
Exits 1 with the error QEMU gave, if any. Every wait is bounded. QEMU may
close the socket on "quit" before (or instead of) answering it, as EOF or
as a connection reset: for "quit" that is success."""
import json
import socket
import sys
import time

TIMEOUT = 300  # seconds for one command (a dump of 512 MiB takes ~2 s)


def main():
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    deadline = time.time() + 30
    while True:
        try:
            sock.connect(sys.argv[1])
            break
        except OSError:
            if time.time() > deadline:
                sys.exit(f"qmp: cannot connect to {sys.argv[1]}")
            time.sleep(0.2)
    sock.settimeout(TIMEOUT)
    stream = sock.makefile("rwb", buffering=0)

    def answer():
        while True:
            line = stream.readline()
            if not line:
                sys.exit("qmp: QEMU closed the connection")
            msg = json.loads(line)
            if "return" in msg or "error" in msg:
                return msg

    stream.readline()  # greeting
    for cmd in [json.dumps({"execute": "qmp_capabilities"})] + sys.argv[2:]:
        if json.loads(cmd)["execute"] == "quit":
            try:
                stream.write(cmd.encode() + b"\n")
                answer()
            except (ConnectionError, SystemExit):
                pass  # gone: that is what quit asks for
            continue
        stream.write(cmd.encode() + b"\n")
        msg = answer()
        if "error" in msg:
            sys.exit(f"qmp: {json.loads(cmd)['execute']}: {msg['error'].get('desc')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
