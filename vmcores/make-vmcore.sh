#!/usr/bin/env bash
# make-vmcore.sh [--print] SERIES SCENARIO — make one real test dump, or find
# it made. With --print, only find it: exit 1 when it is not made (nothing is
# downloaded or built).
#
#   SERIES    6.1, 5.10, 6.12 or 7.3 (pins in vmcores/kernels.conf)
#   SCENARIO  leaks     ordinary traffic, planted leaks, two network namespaces
#             baseline  almost no conntrack activity, nothing planted
#             scale-N   N unreplied UDP flows over four namespaces, a 262144-bucket
#                       hash and the planted leaks (make bench; not in make check)
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
# links to the newest one made. Each lookup touches <dir>/used; a dump of
# another key (older scripts, or another checkout sharing the cache) is
# removed once a new one is made and it has not been looked up for
# CTLEAK_VMCORE_KEEP_MIN minutes (default 720): two checkouts do not delete
# each other's dumps while they use them. One build per release and scenario runs at a time
# (a lock in <cache>/vmcores/<release>/); a second caller waits for it and
# then finds the dump made. On success stdout gets key=value lines:
#   dir= elf= kdump= truth= vmlinux= modules= release=
set -euo pipefail

prog=${0##*/}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }
note() { printf '%s: %s\n' "$prog" "$*" >&2; }

print=
if [[ ${1:-} == --print ]]; then
	print=--print
	shift
fi
[[ $# -eq 2 ]] || die "usage: $prog [--print] SERIES SCENARIO (leaks|baseline|scale-N)"
series=$1 scenario=$2
mem=512 guest_scenario=$scenario guest_append=
case $scenario in
leaks | baseline) ;;
scale-[0-9]*)
	# make bench: N entries over four namespaces; ~400 bytes each.
	size=${scenario#scale-}
	[[ $size =~ ^[0-9]+$ && $size -ge 1000 && $size -le 4000000 ]] ||
		die "scale-N takes 1000 <= N <= 4000000"
	guest_scenario=scale guest_append="ctleak.size=$size"
	mem=$((1024 + size / 1000))
	;;
*) die "unknown scenario '$scenario'" ;;
esac

# shellcheck source=vmcores/guest-lib.sh
source "$here/guest-lib.sh"
if [[ -n $print ]]; then
	guest_kernel "$series" --print || die "kernel $series is not fetched (run without --print)"
else
	guest_check_tools
	guest_kernel "$series"
fi

key=$( {
	echo "$release $version $scenario"
	cat "$here/make-vmcore.sh"
	guest_sources
} | sha256sum | cut -c1-16)
dir=$cache/vmcores/$release/$scenario-$key

result() {
	touch "$dir/used" 2>/dev/null || true
	printf 'dir=%s\nelf=%s\nkdump=%s\ntruth=%s\nvmlinux=%s\nmodules=%s\nrelease=%s\n' \
		"$dir" "$dir/vmcore.elf" "$dir/vmcore.kdump" "$dir/truth.json" \
		"$vmlinux" "$modules_dbg" "$release"
}
if [[ -f $dir/done ]]; then
	result
	exit 0
fi
[[ -z $print ]] || { note "the $scenario dump of $release ($dir) is not made"; exit 1; }

# One build of this release and scenario at a time: the work directory,
# QMP socket, link and the cleanup of superseded dumps are shared.
mkdir -p "$cache/vmcores/$release"
exec 7>"$cache/vmcores/$release/.$scenario.lock"
if ! flock -n 7; then
	note "waiting for another make-vmcore.sh $series $scenario"
	flock 7
fi
if [[ -f $dir/done ]]; then
	result
	exit 0
fi

note "making the $scenario dump of $release (key $key)"
rm -rf "$dir.tmp"
mkdir -p "$dir.tmp"
work=$dir.tmp
started=$(date +%s)

# --- initramfs, boot, wait for the ground truth, dump ----------------------
rootfs=$work/rootfs
t_rootfs=$(date +%s)
guest_rootfs "$work" "$rootfs" qemu_fw_cfg nf_defrag_ipv4 nf_defrag_ipv6 nf_conntrack nfnetlink_queue
guest_initrd "$rootfs" "$work/initrd.gz"
t_boot=$(date +%s)
guest_boot "$work" "$guest_scenario" "$mem"
cleanup() { kill "$qpid" 2>/dev/null || true; }
trap cleanup EXIT
guest_wait "$work" CTLEAK-READY 900
booted=$(date +%s)

qmp=$work/qmp.sock
# For make bench, a third copy for drgn 0.0.22, which cannot read the other
# two (it cannot translate kernel addresses in an ELF dump without virtual
# addresses, and libkdumpfile finds no arch in QEMU's kdump file): QEMU's
# paging dump, whose segments carry the guest's virtual addresses.
paging=()
[[ $guest_scenario != scale ]] ||
	paging=("{\"execute\": \"dump-guest-memory\", \"arguments\": {\"paging\": true, \"protocol\": \"file:$work/vmcore.paging.elf\"}}")
python3 "$here/qmp.py" "$qmp" \
	'{"execute": "stop"}' \
	"{\"execute\": \"dump-guest-memory\", \"arguments\": {\"paging\": false, \"protocol\": \"file:$work/vmcore.elf\"}}" \
	"{\"execute\": \"dump-guest-memory\", \"arguments\": {\"paging\": false, \"protocol\": \"file:$work/vmcore.kdump.flat\", \"format\": \"kdump-zlib\"}}" \
	"${paging[@]}" \
	'{"execute": "quit"}' || die "QMP dump failed"
wait "$qpid" 2>/dev/null || true
trap - EXIT

# QEMU writes kdump in the flattened format, which libkdumpfile 0.5.1 does
# not read; makedumpfile -R turns it into a regular kdump file.
makedumpfile -R "$work/vmcore.kdump" <"$work/vmcore.kdump.flat" >/dev/null 2>"$work/makedumpfile.log" ||
	die "makedumpfile -R failed (see $work/makedumpfile.log)"
rm -f "$work/vmcore.kdump.flat" "$qmp"
python3 "$here/truth.py" "$work/truth.raw" "$work/truth.json"
dumped=$(date +%s)
rm -rf "$rootfs"
date -u +%FT%TZ >"$work/done"
echo "boot-to-ready $((booted - started)) s, total $(($(date +%s) - started)) s" >>"$work/done"
# the same, split: initramfs (module build, ctgen, modules), QEMU start to the
# guest's CTLEAK-READY, stop + both dumps + makedumpfile -R + truth.json
echo "initramfs $((t_boot - t_rootfs)) s, guest $((booted - t_boot)) s, dump $((dumped - booted)) s" >>"$work/done"

rm -rf "$dir"
mv "$work" "$dir"
ln -sfn "$dir" "$cache/vmcores/$release/$scenario"
# Dumps made by other scripts are superseded: ~600 MB each, drop them once
# nobody has looked them up for a while (another checkout may be using them).
keep=${CTLEAK_VMCORE_KEEP_MIN:-720}
[[ $keep =~ ^[0-9]+$ ]] || die "CTLEAK_VMCORE_KEEP_MIN must be a number of minutes"
for old in "$cache/vmcores/$release/$scenario"-*; do
	[[ $old != "$dir" && -d $old ]] || continue
	if [[ $old == *.tmp ]]; then
		# a build that died: nothing in it written for an hour
		[[ -n $(find "$old" -mmin -60 -print -quit 2>/dev/null) ]] || rm -rf "$old"
		continue
	fi
	stamp=$old/used
	[[ -f $stamp ]] || stamp=$old/done
	if [[ -z $(find "$stamp" -mmin "-$keep" 2>/dev/null) ]]; then
		rm -rf "$old"
	else
		note "keeping $old (looked up in the last $keep minutes)"
	fi
done
note "made $dir in $(($(date +%s) - started)) s"
result
