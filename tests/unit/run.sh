#!/usr/bin/env bash
# unit/run.sh BUILD — the hermetic tier (`make test`): the unit tests, the
# synthetic kernel generations and the command line, plainly built, under
# ASan+UBSan (BUILD/asan) and under valgrind. No package installs, no
# network, no QEMU, no dumps. Each part ends with "NAME: N passed, N
# failed"; the sum is the last line. Exit status 1 if anything failed.
set -u
BUILD=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
. tests/common/tally.sh
started=$(date +%s)

# The synthetic generations the Makefile builds (tests/tests.mk SYNTH_GENS).
gens=$(make -s -C "$here" --no-print-directory --eval 'ctleak-synth-gens: ; @echo $(SYNTH_GENS)' \
	ctleak-synth-gens)

unit_tests() { # unit_tests DIR LABEL-SUFFIX SCRATCH [WRAPPER...]
	local dir=$1 sfx=$2 scratch=$3
	shift 3
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
	run "type finder chain$sfx" "$@" "$dir/tests/test_types_chain"
	run "btf finder$sfx" "$@" "$dir/tests/test_types_btf" "$scratch"
	run "base containers$sfx" "$@" "$dir/tests/test_base"
	run "kallsyms tables$sfx" "$@" "$dir/tests/test_kallsyms"
	run "kcore target$sfx" "$@" "$dir/tests/test_target_kcore" "$dir/synth/gen_6_1.vmlinux" \
		"$scratch"
	run "report and renderers$sfx" "$@" "$dir/tests/test_report" "$scratch/report$sfx.json"
	run "compact entry store$sfx" "$@" "$dir/tests/test_entry_store"
	run "page cache read-ahead$sfx" "$@" "$dir/tests/test_read_ahead"
	run "ELF direct reads$sfx" "$@" "$dir/tests/test_kdump_direct" "$scratch"
	run "layout cache$sfx" "$@" "$dir/tests/test_layout_cache" \
		"$dir/synth/gen_6_1.o" "$dir/synth/gen_6_1.vmlinux" "$scratch"
	run "model edges$sfx" "$@" "$dir/tests/test_model_edges" "$dir/synth/gen_6_1.vmlinux" "$scratch"
	run "option table, ctleak(1) and --help$sfx" "$@" "$dir/tests/test_options" ext/ctleak.1 \
		"$dir/ctleak"
}

# The ASan+UBSan runs go on beside the plain ones (two cores: half the
# time), in a scratch folder of their own; their lines are printed after.
mkdir -p "$scratch/asan"
(
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	unit_tests "$BUILD/asan" " [asan]" "$scratch/asan"
	run "command line [asan]" bash tests/unit/cli.sh "$BUILD/asan"
	echo "$total_pass $total_fail" >"$scratch/asan.tally"
) >"$scratch/asan.out" 2>&1 &
asan=$!

unit_tests "$BUILD" "" "$scratch"
run "page cache read-ahead [tsan]" "$BUILD/tests/test_read_ahead_tsan"
run "json report" python3 tests/unit/check_json.py "$scratch/report.json"
run "csv report" python3 tests/unit/check_csv.py "$scratch/report.json.csv"
run "function length" python3 tests/unit/check_function_length.py .
# lib/ in folders at the seams, each including only its own and lower layers.
run "layers" python3 tests/unit/check_layers.py .

if command -v valgrind >/dev/null; then
	vg=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite)
	run "synthetic 3.10 [valgrind]" "${vg[@]}" "$BUILD/tests/test_synth_3_10" \
		"$BUILD/synth/gen_3_10.o" "$BUILD/synth/gen_3_10.vmlinux" "$scratch"
	run "model edges [valgrind]" "${vg[@]}" "$BUILD/tests/test_model_edges" \
		"$BUILD/synth/gen_6_1.vmlinux" "$scratch"
	run "in-memory target [valgrind]" "${vg[@]}" "$BUILD/tests/test_target_mem"
	run "base containers [valgrind]" "${vg[@]}" "$BUILD/tests/test_base"
	run "compact entry store [valgrind]" "${vg[@]}" "$BUILD/tests/test_entry_store"
	run "page cache read-ahead [valgrind]" "${vg[@]}" "$BUILD/tests/test_read_ahead"
	run "ELF direct reads [valgrind]" "${vg[@]}" "$BUILD/tests/test_kdump_direct" "$scratch"
	run "btf finder [valgrind]" "${vg[@]}" "$BUILD/tests/test_types_btf" "$scratch"
	run "kallsyms tables [valgrind]" "${vg[@]}" "$BUILD/tests/test_kallsyms"
	run "kcore target [valgrind]" "${vg[@]}" "$BUILD/tests/test_target_kcore" \
		"$BUILD/synth/gen_6_1.vmlinux" "$scratch"
	run "walk on synthetic 3.10 [valgrind]" "${vg[@]}" "$BUILD/tests/test_walk_synth_3_10" \
		"$BUILD/synth/gen_3_10.o"
else
	echo "valgrind is not installed: the valgrind runs are skipped (make deps installs it)"
fi
# The extension's build-time identity, where crash is installed to build it.
so=
if [ -f "$BUILD/ctleak.so" ]; then so=$BUILD/ctleak.so; fi
run "command line" bash tests/unit/cli.sh "$BUILD" $so

wait "$asan"
cat "$scratch/asan.out"
if read -r p f <"$scratch/asan.tally" 2>/dev/null; then
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f))
else
	echo "the ASan+UBSan runs ended without their tally"
	total_fail=$((total_fail + 1))
fi

echo "the hermetic tier took $(($(date +%s) - started)) s"
finish
