# tally.sh — sourced by the test runners: `run LABEL CMD...` runs one test
# part, shows its failures and its "NAME: N passed, N failed" line and adds
# it up; `finish` prints the sum (the last line) and sets the exit status.
total_pass=0 total_fail=0

run() {
	local label=$1
	shift
	local out rc line p f t0 t1
	t0=$(date +%s%N)
	out=$("$@" 2>&1)
	rc=$?
	t1=$(date +%s%N)
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
	printf '%s: %s passed, %s failed (%d.%d s)\n' "$label" "$p" "$f" \
		$(((t1 - t0) / 1000000000)) $(((t1 - t0) / 100000000 % 10))
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

finish() {
	echo "$total_pass passed, $total_fail failed"
	[ "$total_fail" -eq 0 ]
}
