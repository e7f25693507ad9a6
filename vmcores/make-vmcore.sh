#!/usr/bin/env bash
# make-vmcore.sh SERIES SCENARIO — make one real test dump, or find it made.
#
#   SERIES    6.1 or 5.10 (pins in vmcores/kernels.conf)
#   SCENARIO  leaks     ordinary traffic, planted leaks, two network namespaces
#             baseline  almost no conntrack activity, nothing planted
#
# Boots Debian's kernel in QEMU (TCG, 2 vCPUs, 512 MiB, KASLR on) with a
# busybox initramfs, the conntrack modules, our ctleak_plant module and the
# ctgen traffic generator; waits for the guest's ground truth on the second
# serial port; dumps guest memory in ELF and kdump-zlib form (the latter
# unflattened with makedumpfile -R) and writes truth.json beside them.
#
# Everything lives in the cache outside the checkout:
#   <cache>/vmcores/<release>/<scenario>-<key>/{vmcore.elf,vmcore.kdump,truth.json,...}
# where <key> hashes the package version and every script and source that
# made the dump, so changing one rebuilds exactly what it affects, and a second
# call for an existing dump returns at once. <cache>/vmcores/<release>/<scenario>
# links to the current one. On success stdout gets key=value lines:
#   dir= elf= kdump= truth= vmlinux= modules= release=
set -euo pipefail

prog=${0##*/}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }
note() { printf '%s: %s\n' "$prog" "$*" >&2; }

[[ $# -eq 2 ]] || die "usage: $prog SERIES SCENARIO (leaks|baseline)"
series=$1 scenario=$2
case $scenario in leaks | baseline) ;; *) die "unknown scenario '$scenario'" ;; esac

for tool in qemu-system-x86_64 makedumpfile busybox modinfo cpio gzip python3 gcc; do
	command -v "$tool" >/dev/null || [[ -x /bin/$tool ]] ||
		die "$tool is missing: run 'make deps'"
done
busybox_bin=/bin/busybox
[[ -x $busybox_bin ]] || die "/bin/busybox (busybox-static) is missing: run 'make deps'"
file "$busybox_bin" 2>/dev/null | grep -q "statically linked" ||
	die "/bin/busybox is not statically linked: install busybox-static"

out=$(bash "$here/fetch-kernel.sh" "$series" dbg image headers)
kv() { sed -n "s/^$1=//p" <<<"$out"; }
release=$(kv release) version=$(kv version) kroot=$(kv root)
vmlinux=$(kv vmlinux) modules_dbg=$(kv modules) vmlinuz=$(kv vmlinuz)
cache=$(cd "$kroot/../.." && pwd)

key=$( {
	echo "$release $version $scenario"
	cat "$here/make-vmcore.sh" "$here/qmp.py" "$here/truth.py" \
		"$here/guest/init.sh" "$here/guest/netns2.sh" "$here/guest/netns3.sh" "$here/guest/ctgen.c" \
		"$here"/module/*.c "$here/module/build.sh" "$here/module/Kbuild"
} | sha256sum | cut -c1-16)
dir=$cache/vmcores/$release/$scenario-$key

result() {
	printf 'dir=%s\nelf=%s\nkdump=%s\ntruth=%s\nvmlinux=%s\nmodules=%s\nrelease=%s\n' \
		"$dir" "$dir/vmcore.elf" "$dir/vmcore.kdump" "$dir/truth.json" \
		"$vmlinux" "$modules_dbg" "$release"
}
if [[ -f $dir/done ]]; then
	result
	exit 0
fi

note "making the $scenario dump of $release (key $key)"
rm -rf "$dir.tmp"
mkdir -p "$dir.tmp"
work=$dir.tmp
started=$(date +%s)

# --- the guest's programs -------------------------------------------------
bash "$here/module/build.sh" "$kroot" "$work/module" >"$work/module.log" 2>&1 ||
	die "building ctleak_plant.ko failed (see $work/module.log)"
gcc -static -O2 -Wall -Wextra -Werror -std=gnu11 "$here/guest/ctgen.c" -o "$work/ctgen" ||
	die "building ctgen failed"

# --- initramfs ------------------------------------------------------------
rootfs=$work/rootfs
mkdir -p "$rootfs"/{bin,proc,sys,dev,tmp,lib/modules}
cp "$busybox_bin" "$rootfs/bin/busybox"
ln -s busybox "$rootfs/bin/sh"
cp "$here/guest/init.sh" "$rootfs/init"
cp "$here/guest/netns2.sh" "$rootfs/netns2.sh"
cp "$here/guest/netns3.sh" "$rootfs/netns3.sh"
cp "$work/ctgen" "$rootfs/ctgen"
chmod 755 "$rootfs/init" "$rootfs/netns2.sh" "$rootfs/netns3.sh" "$rootfs/ctgen"

# Debian ships no modules.dep: order the modules by their .modinfo depends=.
moddir=$kroot/lib/modules/$release/kernel
declare -A modpath=() loaded=()
while IFS= read -r -d '' f; do
	n=${f##*/}
	n=${n%.ko}
	modpath[${n//-/_}]=$f
done < <(find "$moddir" -name '*.ko' -print0)
order=()
add_module() { # depth-first: dependencies first
	local m=${1//-/_} d
	[[ -n ${loaded[$m]:-} ]] && return 0
	[[ -n ${modpath[$m]:-} ]] || die "module $m not found under $moddir"
	loaded[$m]=1
	for d in $(modinfo -F depends "${modpath[$m]}" | tr ',' ' '); do add_module "$d"; done
	order+=("$m")
}
for m in qemu_fw_cfg nf_conntrack nfnetlink_queue nf_defrag_ipv6; do add_module "$m"; done
: >"$rootfs/modules.list"
for m in "${order[@]}"; do
	cp "${modpath[$m]}" "$rootfs/lib/modules/"
	echo "${modpath[$m]##*/}" >>"$rootfs/modules.list"
done
cp "$work/module/ctleak_plant.ko" "$rootfs/lib/modules/"
echo ctleak_plant.ko >>"$rootfs/modules.list"
(cd "$rootfs" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz"

# --- boot, wait for the ground truth, dump ----------------------------------
qmp=$work/qmp.sock
qemu-system-x86_64 -accel tcg -machine pc -m 512 -smp 2 -no-reboot \
	-kernel "$vmlinuz" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1 quiet ctleak.scenario=$scenario" \
	-device vmcoreinfo -display none -monitor none -nodefaults \
	-serial "file:$work/console.log" -serial "file:$work/truth.raw" \
	-qmp "unix:$qmp,server=on,wait=off" >"$work/qemu.log" 2>&1 &
qpid=$!
cleanup() { kill "$qpid" 2>/dev/null || true; }
trap cleanup EXIT

limit=900
for ((i = 0; i < limit; i++)); do
	grep -q CTLEAK-READY "$work/truth.raw" 2>/dev/null && break
	kill -0 "$qpid" 2>/dev/null || die "QEMU exited before the guest was ready (see $work/console.log)"
	sleep 1
done
grep -q CTLEAK-READY "$work/truth.raw" ||
	die "the guest was not ready after ${limit}s (see $work/console.log)"
booted=$(date +%s)

python3 "$here/qmp.py" "$qmp" \
	'{"execute": "stop"}' \
	"{\"execute\": \"dump-guest-memory\", \"arguments\": {\"paging\": false, \"protocol\": \"file:$work/vmcore.elf\"}}" \
	"{\"execute\": \"dump-guest-memory\", \"arguments\": {\"paging\": false, \"protocol\": \"file:$work/vmcore.kdump.flat\", \"format\": \"kdump-zlib\"}}" \
	'{"execute": "quit"}' || die "QMP dump failed"
wait "$qpid" 2>/dev/null || true
trap - EXIT

# QEMU writes kdump in the flattened format, which libkdumpfile 0.5.1 does
# not read; makedumpfile -R turns it into a regular kdump file.
makedumpfile -R "$work/vmcore.kdump" <"$work/vmcore.kdump.flat" >/dev/null 2>"$work/makedumpfile.log" ||
	die "makedumpfile -R failed (see $work/makedumpfile.log)"
rm -f "$work/vmcore.kdump.flat" "$qmp"
python3 "$here/truth.py" "$work/truth.raw" "$work/truth.json"
rm -rf "$rootfs"
date -u +%FT%TZ >"$work/done"
echo "boot-to-ready $((booted - started)) s, total $(($(date +%s) - started)) s" >>"$work/done"

rm -rf "$dir"
mv "$work" "$dir"
ln -sfn "$dir" "$cache/vmcores/$release/$scenario"
# Dumps made by older scripts are superseded: ~600 MB each, drop them.
for old in "$cache/vmcores/$release/$scenario"-*; do
	[[ $old == "$dir" || ! -d $old ]] || rm -rf "$old"
done
note "made $dir in $(($(date +%s) - started)) s"
result
