#!/usr/bin/env bash
# live-test.sh SERIES CTLEAK OUTDIR [CTLEAK_ASAN] — run ctleak inside the
# test guest on the guest's own /proc/kcore.
#
# Boots the same guest as make-vmcore.sh (scenario "live": the leaks
# scenario's traffic and planted leaks), with CTLEAK and its shared
# libraries in the initramfs and the kernel's debug tree (usr/lib/debug of
# the extracted -dbg package) served read-only over virtiofs and mounted at
# the guest's /usr/lib/debug, as on a machine with the debug package
# installed. The guest writes its ground truth, then the transcripts of
# ctleak runs (traffic stopped, traffic flowing, as an unprivileged user)
# and of libkdumpfile's attempt at /proc/kcore, then powers off. With
# CTLEAK_ASAN (the ASan+UBSan build) the run with traffic flowing is made
# by it too. With CTLEAK_LIVE_NO_DEBUG=1 the guest gets no debug share (its
# mount fails, init.sh says so on the console, and /usr/lib/debug stays
# empty), as on a host with no debug package: ctleak must take its types
# from /sys/kernel/btf and its symbols from /proc/kallsyms.
#
# OUTDIR gets truth.raw (the whole transcript), truth.json (truth.py),
# console.log. Nothing is cached: the guest runs every time (~1-2 min).
# On success stdout gets key=value lines: raw= truth= release=
set -euo pipefail

prog=${0##*/}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }
note() { printf '%s: %s\n' "$prog" "$*" >&2; }

[[ $# -eq 3 || $# -eq 4 ]] || die "usage: $prog SERIES CTLEAK OUTDIR [CTLEAK_ASAN]"
series=$1 ctleak=$2 work=$3 ctleak_asan=${4:-}
no_debug=${CTLEAK_LIVE_NO_DEBUG:-}
[[ -z $ctleak_asan || -x $ctleak_asan ]] || die "$ctleak_asan is not an executable"
[[ -x $ctleak ]] || die "$ctleak is not an executable"
virtiofsd=/usr/lib/qemu/virtiofsd
[[ -n $no_debug || -x $virtiofsd ]] || die "$virtiofsd is missing (Debian package qemu-system-common)"

# shellcheck source=vmcores/guest-lib.sh
source "$here/guest-lib.sh"
guest_check_tools
guest_kernel "$series"
debug_tree=$kroot/usr/lib/debug
[[ -n $no_debug || -f $debug_tree/boot/vmlinux-$release ]] || die "no debug vmlinux under $debug_tree"

rm -rf "$work"
mkdir -p "$work"
started=$(date +%s)
rootfs=$work/rootfs
# virtiofs, its virtio PCI transport and what they need (all modules in
# Debian's cloud kernels).
guest_rootfs "$work" "$rootfs" qemu_fw_cfg nf_conntrack nfnetlink_queue nf_defrag_ipv6 virtio_pci virtiofs
guest_add_binary "$rootfs" "$ctleak" ctleak
[[ -z $ctleak_asan ]] || guest_add_binary "$rootfs" "$ctleak_asan" ctleak-asan
gcc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 "$here/guest/kcore_probe.c" \
	-lkdumpfile -o "$work/kcore_probe" || die "building kcore_probe failed"
guest_add_binary "$rootfs" "$work/kcore_probe" kcore_probe
guest_initrd "$rootfs" "$work/initrd.gz"
rm -rf "$rootfs"

# virtiofsd has no read-only switch: the guest mounts the share read-only.
vpid=
share=()
if [[ -z $no_debug ]]; then
	"$virtiofsd" --socket-path="$work/vfs.sock" -o source="$debug_tree" -o cache=always \
		-o sandbox=chroot >"$work/virtiofsd.log" 2>&1 &
	vpid=$!
	for ((i = 0; i < 50; i++)); do
		[[ -S $work/vfs.sock ]] && break
		kill -0 "$vpid" 2>/dev/null || die "virtiofsd failed (see $work/virtiofsd.log)"
		sleep 0.1
	done
	[[ -S $work/vfs.sock ]] || die "virtiofsd made no socket (see $work/virtiofsd.log)"
	share=(-chardev "socket,id=vfs,path=$work/vfs.sock" -device vhost-user-fs-pci,chardev=vfs,tag=debug)
fi

mem=1024
guest_boot "$work" live "$mem" \
	-object "memory-backend-memfd,id=mem,size=${mem}M,share=on" -machine memory-backend=mem \
	"${share[@]}"
cleanup() {
	kill "$qpid" 2>/dev/null || true
	[[ -z $vpid ]] || kill "$vpid" 2>/dev/null || true
}
trap cleanup EXIT
guest_wait "$work" CTLEAK-LIVE-DONE 1500
# The guest powers itself off once its transcript is written.
for ((i = 0; i < 30; i++)); do kill -0 "$qpid" 2>/dev/null || break; sleep 1; done
cleanup
trap - EXIT
python3 "$here/truth.py" "$work/truth.raw" "$work/truth.json"
note "live guest of $release${no_debug:+ (no debug share)} done in $(($(date +%s) - started)) s"
printf 'raw=%s\ntruth=%s\nrelease=%s\n' "$work/truth.raw" "$work/truth.json" "$release"
