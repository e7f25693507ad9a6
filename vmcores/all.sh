#!/usr/bin/env bash
# all.sh [--print] — make (or find made) every test dump: both kernels, both
# scenarios. With --print, only report; never build. Prints one line per dump:
#   ELF KDUMP TRUTH VMLINUX MODULES
# (the argument groups tests/check_vmcore_truth.py takes).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for series in ${CTLEAK_SERIES:-6.1 5.10}; do
	for scenario in leaks baseline; do
		out=$(bash "$here/make-vmcore.sh" "$series" "$scenario")
		kv() { sed -n "s/^$1=//p" <<<"$out"; }
		echo "$(kv elf) $(kv kdump) $(kv truth) $(kv vmlinux) $(kv modules)"
	done
done
