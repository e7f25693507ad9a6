#!/usr/bin/env bash
# run.sh BUILD — every test of `make check`: the hermetic tier
# (tests/unit/run.sh, also `make test`) and the system tier
# (tests/system/run.sh). Their part lines stream through; the sum of both
# is the last line. Exit status 1 if anything failed.
set -u
BUILD=$1
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 1
pass=0 fail=0
for tier in unit system; do
	line=$(bash "tests/$tier/run.sh" "$BUILD" | tee /dev/stderr | tail -1)
	if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		pass=$((pass + BASH_REMATCH[1])) fail=$((fail + BASH_REMATCH[2]))
	else
		echo "tests/$tier/run.sh ended without its summary"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
