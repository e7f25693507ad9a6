#!/usr/bin/env bash
# run.sh BUILD — every test of `make check`, plainly built, under
# ASan+UBSan (BUILD/asan) and under valgrind; the real Debian debug files;
# the command line. Each part ends with "NAME: N passed, N failed"; the sum
# is the last line. Exit status 1 if anything failed.
set -u
BUILD=$1
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
total_pass=0 total_fail=0

# run LABEL CMD...: run a test program, show its failures and summary, add it up.
run() {
	local label=$1
	shift
	local out rc line p f
	out=$("$@" 2>&1)
	rc=$?
	grep -E '^FAIL|ERROR|runtime error|Sanitizer|definitely lost|Invalid (read|write)' <<<"$out" | head -20
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' <<<"$out" | tail -1)
	if [ -n "$line" ]; then
		p=$(sed -E 's/.* ([0-9]+) passed, ([0-9]+) failed.*/\1/' <<<"$line")
		f=$(sed -E 's/.* ([0-9]+) passed, ([0-9]+) failed.*/\2/' <<<"$line")
	else
		p=0 f=1
		echo "$out" | tail -5
	fi
	# A crash or sanitizer abort after the summary still fails the part.
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	[ -n "$line" ] || echo "$label: no summary (exit $rc)"
	printf '%s: %s passed, %s failed\n' "$label" "$p" "$f"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

# The synthetic generations the Makefile builds (tests/tests.mk SYNTH_GENS).
gens=$(make -s -C "$here" --no-print-directory --eval 'ctleak-synth-gens: ; @echo $(SYNTH_GENS)' \
	ctleak-synth-gens)

unit_tests() { # unit_tests DIR LABEL-SUFFIX [WRAPPER...]
	local dir=$1 sfx=$2
	shift 2
	local g
	for g in $gens; do
		run "synthetic ${g/_/.}$sfx" "$@" "$dir/tests/test_synth_$g" \
			"$dir/synth/gen_$g.o" "$dir/synth/gen_$g.vmlinux" "$scratch"
		run "walk on synthetic ${g/_/.}$sfx" "$@" "$dir/tests/test_walk_synth_$g" \
			"$dir/synth/gen_$g.o"
		run "slab scan on synthetic ${g/_/.}$sfx" "$@" "$dir/tests/test_slab_synth_$g" \
			"$dir/synth/gen_$g.o"
	done
	run "in-memory target$sfx" "$@" "$dir/tests/test_target_mem"
	run "kcore target$sfx" "$@" "$dir/tests/test_target_kcore" "$dir/synth/gen_6_1.vmlinux" \
		"$scratch"
	run "report and renderers$sfx" "$@" "$dir/tests/test_report" "$scratch/report$sfx.json"
	run "layout cache$sfx" "$@" "$dir/tests/test_layout_cache" \
		"$dir/synth/gen_6_1.o" "$dir/synth/gen_6_1.vmlinux" "$scratch"
	run "model edges$sfx" "$@" "$dir/tests/test_model_edges" "$dir/synth/gen_6_1.vmlinux" "$scratch"
}

unit_tests "$BUILD" ""
run "json report" python3 tests/check_json.py "$scratch/report.json"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
unit_tests "$BUILD/asan" " [asan]"
run "command line [asan]" bash tests/cli.sh "$BUILD/asan"
unset ASAN_OPTIONS UBSAN_OPTIONS

vg=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite)
run "synthetic 3.10 [valgrind]" "${vg[@]}" "$BUILD/tests/test_synth_3_10" \
	"$BUILD/synth/gen_3_10.o" "$BUILD/synth/gen_3_10.vmlinux" "$scratch"
run "model edges [valgrind]" "${vg[@]}" "$BUILD/tests/test_model_edges" \
	"$BUILD/synth/gen_6_1.vmlinux" "$scratch"
run "in-memory target [valgrind]" "${vg[@]}" "$BUILD/tests/test_target_mem"
run "kcore target [valgrind]" "${vg[@]}" "$BUILD/tests/test_target_kcore" \
	"$BUILD/synth/gen_6_1.vmlinux" "$scratch"
run "walk on synthetic 3.10 [valgrind]" "${vg[@]}" "$BUILD/tests/test_walk_synth_3_10" \
	"$BUILD/synth/gen_3_10.o"

run "command line" bash tests/cli.sh "$BUILD" "$BUILD/ctleak.so"
run "real debug files" bash tests/real-debian.sh "$BUILD"
# The dumps themselves, against their ground truth, read by crash (make
# check made them first with `make vmcores`).
mapfile -t dumps < <(bash vmcores/all.sh)
# shellcheck disable=SC2046
run "vmcore fixtures" python3 tests/check_vmcore_truth.py $(printf '%s ' "${dumps[@]}")
# ctleak on them against the same ground truth, and crash> ctleak against ctleak.
# shellcheck disable=SC2046
run "ctleak on real dumps" python3 tests/check_ctleak_dumps.py "$BUILD/ctleak" $(printf '%s ' "${dumps[@]}")
# shellcheck disable=SC2046
run "ctleak on real dumps [asan]" env ASAN_OPTIONS=detect_leaks=1 \
	python3 tests/check_ctleak_dumps.py "$BUILD/asan/ctleak" $(printf '%s ' "${dumps[@]}")
# Hostile dumps. Memory corrupted through an overlay of the real leaks dumps
# (tests/test_corrupt_dumps.c: loops, cross-linked chains, bad pointers,
# refcounts, counts, bucket counts), ELF, kdump and a makedumpfile -d 31
# copy with real excluded pages (vmcores/filter-dump.sh, cached beside the
# dump); plain, ASan, and under valgrind on the ELF dumps (libkdumpfile
# 0.5.1's kdump_free itself reads freed memory on kdump files). Then wrong
# files: truncated, not dumps, no VMCOREINFO, debug files of another build
# or none, and the -d 31 copies against the ground truth
# (tests/check_corrupt_files.py).
corrupt=()
for line in "${dumps[@]}"; do
	read -r elf kdump truth vmlinux modules <<<"$line"
	case $elf in */leaks-*/*) ;; *) continue ;; esac
	rel=$(basename "$modules")
	# 6.12+: makedumpfile's -d 31 drops slab pages ctleak needs, and
	# filter-dump.sh makes a -d 23 copy beside it; those copies are checked
	# by tests/check_corrupt_files.py (verdict and ground truth), not here:
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
run "corrupt files" python3 tests/check_corrupt_files.py "$BUILD/ctleak" $(printf '%s ' "${dumps[@]}")
# shellcheck disable=SC2046
run "corrupt files [asan]" env ASAN_OPTIONS=detect_leaks=1 \
	python3 tests/check_corrupt_files.py "$BUILD/asan/ctleak" $(printf '%s ' "${dumps[@]}")
# ctleak inside the guest on its own /proc/kcore (vmcores/live-test.sh),
# while the traffic is stopped and while it flows (the latter also ASan).
run "ctleak live in the guest" python3 tests/check_live.py --asan="$BUILD/asan/ctleak" \
	"$BUILD/ctleak" ${CTLEAK_SERIES:-6.1 5.10 6.12 7.3}
# shellcheck disable=SC2046
run "crash extension" python3 tests/check_crash_ext.py "$BUILD/ctleak" "$BUILD/ctleak.so" \
	$(printf '%s ' "${dumps[@]}")

# The same tree built and tested with Debian 13's toolchain in a trixie
# root (tests/debian13.sh), and the four builds compared.
run "Debian 13 toolchain" bash tests/debian13.sh "$BUILD"
run "Debian 14 toolchain" bash tests/debian14.sh "$BUILD"

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
