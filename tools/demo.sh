#!/usr/bin/env bash
# demo.sh BUILD — the main job as far as it exists today, on a real kernel:
# fetch Debian 12's 6.1 cloud kernel debug package (once, into the cache
# outside the checkout) and show the conntrack layout ctleak resolves from it,
# first from DWARF, then from the build-id cache.
set -euo pipefail
BUILD=$1
here=$(cd "$(dirname "$0")/.." && pwd)

echo "== fetching Debian's 6.1 cloud kernel debug files (first time: ~280 MB)"
out=$(bash "$here/vmcores/fetch-kernel.sh" 6.1 dbg)
vmlinux=$(sed -n 's/^vmlinux=//p' <<<"$out")
root=$(sed -n 's/^root=//p' <<<"$out")

echo
echo "== ctleak -m $vmlinux   (types read from DWARF, or from the cache if an earlier run left one)"
"$BUILD/ctleak" -m -D "$root" "$vmlinux"
echo
echo "== the same from the build-id cache, as JSON (first lines)"
"$BUILD/ctleak" -m -p -D "$root" "$vmlinux" | head -20
echo
echo "What this demo does not do yet: walk a vmcore. Dumps with planted leaks"
echo "(make vmcores) and the walk itself (ctleak VMCORE) are the next issues;"
echo "see README.md, 'Status'."
