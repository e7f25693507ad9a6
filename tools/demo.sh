#!/usr/bin/env bash
# demo.sh BUILD — ctleak's main job as a user runs it, on the default dump:
# Debian 11's 5.10 cloud kernel booted in QEMU with planted leaks (made once
# by `make vmcores` into the cache outside the checkout, reused after).
set -euo pipefail
BUILD=$1
here=$(cd "$(dirname "$0")/.." && pwd)

echo "== the default dump: Debian 11's 5.10 kernel with planted conntrack leaks"
echo "   (first time: downloads the kernel packages and boots it in QEMU, ~2 min)"
out=$(bash "$here/vmcores/make-vmcore.sh" 5.10 leaks)
kv() { sed -n "s/^$1=//p" <<<"$out"; }
dump=$(kv elf)
root=$(kv modules)
root=${root%%/usr/lib/debug/*}
echo
echo "\$ ctleak -D $root $dump"
rc=0
"$BUILD/ctleak" -D "$root" "$dump" || rc=$?
echo
echo "(exit status $rc: 0 no suspects, 1 suspects found, 2 could not analyse, 3 incomplete report)"
echo
echo "\$ ctleak -j ... | jq -r '.entries[] | [.address, .state, .found_in, .orig.dport, .reasons[0]] | @tsv'"
"$BUILD/ctleak" -j -D "$root" "$dump" |
	jq -r '.entries[] | [.address, .state, .found_in, .orig.dport, .reasons[0]] | @tsv' || true
echo
echo "The guest's own record of what was planted: $(kv truth)"

echo
echo "== the same inside crash, as a support engineer would type it"
vmlinux=$(kv vmlinux)
cmds=$(mktemp)
printf 'extend %s\nctleak -D %s\nq\n' "$(cd "$BUILD" && pwd)/ctleak.so" "$root" >"$cmds"
echo "\$ crash $vmlinux $dump"
echo "crash> extend $(cd "$BUILD" && pwd)/ctleak.so"
echo "crash> ctleak -D $root"
crash -s "$vmlinux" "$dump" -i "$cmds" >"$cmds.out" 2>/dev/null || true
# What crash printed after loading the extension (its own start-up noise before).
sed -n '/shared object loaded/,$p' "$cmds.out" | sed -n '2,30p'
echo "   ..."
rm -f "$cmds" "$cmds.out"
