#!/usr/bin/env bash
# run-fuzz.sh BUILD SECONDS [TARGET...] — run each libFuzzer target of make
# fuzz (default: walk walk_5_10 parse btf kallsyms) for SECONDS seconds, one
# after the other, and say what it did: executions, exec/s, coverage (cov,
# ft), corpus size and any crash, leak or timeout file.
#
# Everything stays in BUILD/fuzz: the growing corpus in corpus/TARGET (kept
# between runs), the seeds in seeds/TARGET (seeds/parse for parse, seeds/walk
# for both walks; make-seeds.sh), findings in artifacts/TARGET/, the full
# log in TARGET.log. Exit status 1 when a run
# left a finding. Extra libFuzzer flags: $FUZZ_FLAGS.
set -u
BUILD=$1
SECONDS_EACH=$2
shift 2
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(walk walk_5_10 parse btf kallsyms)
dir=$BUILD/fuzz
status=0
for t in "${targets[@]}"; do
	bin=$dir/fuzz_$t
	mkdir -p "$dir/corpus/$t" "$dir/artifacts/$t"
	log=$dir/$t.log
	before=$(find "$dir/artifacts/$t" -type f | wc -l)
	start=$(date +%s)
	# -timeout: one input of these small images taking seconds is a hang.
	# shellcheck disable=SC2086
	# Inputs: a walk input is at most 128 patches; parse seeds are up to 48 KB.
	seeds=$dir/seeds/parse max_len=65536
	case $t in
	walk*) seeds=$dir/seeds/walk max_len=2048 ;;
	btf) seeds=$dir/seeds/btf ;;
	kallsyms) seeds=$dir/seeds/kallsyms ;;
	esac
	"$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
		-max_len=$max_len -print_final_stats=1 \
		-artifact_prefix="$dir/artifacts/$t/" ${FUZZ_FLAGS:-} \
		"$dir/corpus/$t" "$seeds" >"$log" 2>&1
	rc=$?
	took=$(($(date +%s) - start))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
	ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
	corp=$(sed -nE 's/.* corp: ([0-9]+\/[0-9]+[a-zA-Z]*).*/\1/p' <<<"$last")
	files=$(find "$dir/corpus/$t" -type f | wc -l)
	echo "fuzz_$t: ${took}s, ${execs:-?} executions, ${rate:-?} exec/s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?} ($files files kept) (exit $rc; log $log)"
	after=$(find "$dir/artifacts/$t" -type f | wc -l)
	if [ "$rc" -ne 0 ] || [ "$after" -gt "$before" ]; then
		status=1
		grep -E '^==[0-9]+==ERROR|SUMMARY|runtime error|ALARM|Test unit written' "$log" | head -10
		find "$dir/artifacts/$t" -type f -newer "$bin" -printf '  finding: %p\n'
	fi
done
exit $status
