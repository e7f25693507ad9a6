#!/usr/bin/env bash
# system/run.sh BUILD — the system tier of `make check`: Debian's real debug
# files, the real dumps against their ground truth (read by crash too),
# hostile dumps, ctleak live in QEMU guests, the crash extension, and the
# Debian 13 and 14 toolchains in debootstrap roots. Needs what `make deps`
# and `make vmcores` made. Same summary lines as tests/unit/run.sh.
set -u
BUILD=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
. tests/common/tally.sh
vg=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite)

run "real debug files" bash tests/system/real-debian.sh "$BUILD"
# The BTF finder against the DWARF one (tests/system/test_btf_layout.c): the
# whole layout table from vmlinux's .BTF and the stripped modules' (6.12+
# ship them as .ko.xz), against the debug files' DWARF. 5.10's stripped
# modules have no .BTF: vmlinux's alone may know less, never otherwise.
declare -A btf_done=()
while read -r elf kdump truth vmlinux modules; do
	rel=$(basename "$modules")
	[[ -n ${btf_done[$rel]:-} ]] && continue
	btf_done[$rel]=1
	root=${modules%/usr/lib/debug/*}
	dbg=$modules/kernel/net/netfilter
	btfdir=$scratch/btf-$rel
	mkdir -p "$btfdir"
	for m in nf_conntrack nfnetlink_queue; do
		for d in "$root/lib/modules/$rel" "$root/usr/lib/modules/$rel"; do
			f=$d/kernel/net/netfilter/$m.ko
			if [[ -f $f ]]; then cp "$f" "$btfdir/$m.ko"; elif [[ -f $f.xz ]]; then
				xz -dc "$f.xz" >"$btfdir/$m.ko"; fi
		done
	done
	case $rel in
	5.*) run "btf layout ${rel%%[-+]*} (vmlinux BTF alone)" "$BUILD/tests/test_btf_layout" \
		--no-module-btf "$vmlinux" "$dbg/nf_conntrack.ko" "$dbg/nfnetlink_queue.ko" \
		"$btfdir/nf_conntrack.ko" ;;
	*) run "btf layout ${rel%%[-+]*}" "$BUILD/tests/test_btf_layout" "$vmlinux" \
		"$dbg/nf_conntrack.ko" "$dbg/nfnetlink_queue.ko" "$btfdir/nf_conntrack.ko" \
		"$btfdir/nfnetlink_queue.ko" ;;
	esac
done < <(bash vmcores/all.sh --print)
# The dumps themselves, against their ground truth, read by crash (make
# check made them first with `make vmcores`).
mapfile -t dumps < <(bash vmcores/all.sh)
# shellcheck disable=SC2046
run "vmcore fixtures" python3 tests/system/check_vmcore_truth.py $(printf '%s ' "${dumps[@]}")
# ctleak on them against the same ground truth, and crash> ctleak against ctleak.
# shellcheck disable=SC2046
run "ctleak on real dumps" python3 tests/system/check_ctleak_dumps.py "$BUILD/ctleak" $(printf '%s ' "${dumps[@]}")
# shellcheck disable=SC2046
run "ctleak on real dumps [asan]" env ASAN_OPTIONS=detect_leaks=1 \
	python3 tests/system/check_ctleak_dumps.py "$BUILD/asan/ctleak" $(printf '%s ' "${dumps[@]}")
# The same dumps with every debug tree hidden: types from the BTF in the
# dump, symbols from its kallsyms (6.1 on); 5.10 (no BTF in nf_conntrack.ko)
# says in one sentence what it lacks.
# shellcheck disable=SC2046
run "ctleak on real dumps, no debug files" python3 tests/system/check_ctleak_dumps.py --no-debug \
	"$BUILD/ctleak" $(printf '%s ' "${dumps[@]}")
# shellcheck disable=SC2046
run "ctleak on real dumps, no debug files [asan]" env ASAN_OPTIONS=detect_leaks=1 \
	python3 tests/system/check_ctleak_dumps.py --no-debug "$BUILD/asan/ctleak" $(printf '%s ' "${dumps[@]}")
# The kernel's own kallsyms (lib/kernel/kallsyms.c) read from each dump, in
# both formats, against vmlinux's symbols (tests/system/test_kallsyms_dumps.c);
# 5.10's VMCOREINFO names no kallsyms tables: one sentence must say so.
for line in "${dumps[@]}"; do
	read -r elf kdump truth vmlinux modules <<<"$line"
	rel=$(basename "$modules")
	kind=$(basename "$(dirname "$elf")")
	none=
	case $rel in 5.*) none=--none ;; esac
	for d in "elf:$elf" "kdump:$kdump"; do
		run "kallsyms ${rel%%.0-*} ${kind%%-*} ${d%%:*}" "$BUILD/tests/test_kallsyms_dumps" \
			$none "$vmlinux" "${d#*:}"
	done
done
# Hostile dumps. Memory corrupted through an overlay of the real leaks dumps
# (tests/system/test_corrupt_dumps.c: loops, cross-linked chains, bad pointers,
# refcounts, counts, bucket counts), ELF, kdump and a makedumpfile -d 31
# copy with real excluded pages (vmcores/filter-dump.sh, cached beside the
# dump); plain, ASan, and under valgrind on the ELF dumps (libkdumpfile
# 0.5.1's kdump_free itself reads freed memory on kdump files). Then wrong
# files: truncated, not dumps, no VMCOREINFO, debug files of another build
# or none, and the -d 31 copies against the ground truth
# (tests/system/check_corrupt_files.py).
corrupt=()
for line in "${dumps[@]}"; do
	read -r elf kdump truth vmlinux modules <<<"$line"
	case $elf in */leaks-*/*) ;; *) continue ;; esac
	rel=$(basename "$modules")
	# 6.12+: makedumpfile's -d 31 drops slab pages ctleak needs, and
	# filter-dump.sh makes a -d 23 copy beside it; those copies are checked
	# by tests/system/check_corrupt_files.py (verdict and ground truth), not here:
	# libkdumpfile 0.5.1 crashes inside kdump_read on 7.3's -d 23 copy when
	# this suite probes for an excluded page.
	made=$(bash vmcores/filter-dump.sh "$elf")
	filtered=
	grep -q '^kdump_d23=' <<<"$made" || filtered=$(sed -n 's/^kdump=//p' <<<"$made")
	level="-d 31"
	for d in "elf:$elf" "kdump:$kdump" "$level kdump:$filtered"; do
		[ -n "${d#*:}" ] && corrupt+=("${rel%%.0-*} ${d%%:*}|$vmlinux|${d#*:}|${modules%%/usr/lib/debug/*}|$truth")
	done
done
for c in "${corrupt[@]}"; do
	IFS='|' read -r label vmlinux dump root truth <<<"$c"
	run "corrupt dumps $label" "$BUILD/tests/test_corrupt_dumps" "$vmlinux" "$dump" "$root" "$truth"
done
for c in "${corrupt[@]}"; do
	IFS='|' read -r label vmlinux dump root truth <<<"$c"
	run "corrupt dumps $label [asan]" env ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$BUILD/asan/tests/test_corrupt_dumps" "$vmlinux" "$dump" "$root" "$truth"
done
for c in "${corrupt[@]}"; do
	IFS='|' read -r label vmlinux dump root truth <<<"$c"
	case $label in
	"6.1 elf") run "corrupt dumps $label, a subset [valgrind]" "${vg[@]}" \
		"$BUILD/tests/test_corrupt_dumps" -q "$vmlinux" "$dump" "$root" "$truth" ;;
	"5.10 elf") run "corrupt dumps $label [valgrind]" "${vg[@]}" \
		"$BUILD/tests/test_corrupt_dumps" "$vmlinux" "$dump" "$root" "$truth" ;;
	esac
done
# shellcheck disable=SC2046
run "corrupt files" python3 tests/system/check_corrupt_files.py "$BUILD/ctleak" $(printf '%s ' "${dumps[@]}")
# shellcheck disable=SC2046
run "corrupt files [asan]" env ASAN_OPTIONS=detect_leaks=1 \
	python3 tests/system/check_corrupt_files.py "$BUILD/asan/ctleak" $(printf '%s ' "${dumps[@]}")
# ctleak inside the guest on its own /proc/kcore (vmcores/live-test.sh),
# while the traffic is stopped and while it flows (the latter also ASan).
run "ctleak live in the guest" python3 tests/system/check_live.py --asan="$BUILD/asan/ctleak" \
	"$BUILD/ctleak" ${CTLEAK_SERIES:-6.1 5.10 6.12 7.3}
# Once more without the debug share: types from /sys/kernel/btf, symbols
# from /proc/kallsyms (the series whose nf_conntrack.ko carries BTF).
run "ctleak live in the guest, no debug files" python3 tests/system/check_live.py --no-debug \
	"$BUILD/ctleak" ${CTLEAK_SERIES_NO_DEBUG:-6.1 6.12 7.3}
# shellcheck disable=SC2046
run "crash extension" python3 tests/system/check_crash_ext.py "$BUILD/ctleak" "$BUILD/ctleak.so" \
	$(printf '%s ' "${dumps[@]}")

# The same tree built and tested with Debian 13's toolchain in a trixie
# root (tests/system/debian13.sh), and the four builds compared.
run "Debian 13 toolchain" bash tests/system/debian13.sh "$BUILD"
run "Debian 14 toolchain" bash tests/system/debian14.sh "$BUILD"


finish
