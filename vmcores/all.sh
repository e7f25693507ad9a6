#!/usr/bin/env bash
# all.sh [--print] — make (or find made) every test dump: both kernels, both
# scenarios. With --print, only report; never build. Prints one line per dump:
#   ELF KDUMP TRUTH VMLINUX MODULES
# (the argument groups tests/system/check_vmcore_truth.py takes). With --print, a
# dump not made yet is named on stderr and the exit status is 1.
# CTLEAK_SERIES picks the kernels (default "6.1 5.10 6.12 7.3").
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
print=
case ${1:-} in
--print) print=--print ;;
"") ;;
*) echo "usage: ${0##*/} [--print]" >&2; exit 2 ;;
esac
rc=0
for series in ${CTLEAK_SERIES:-6.1 5.10 6.12 7.3}; do
	for scenario in leaks baseline; do
		out=$(bash "$here/make-vmcore.sh" $print "$series" "$scenario") || {
			[[ -n $print ]] || exit 1
			rc=1
			continue
		}
		kv() { sed -n "s/^$1=//p" <<<"$out"; }
		echo "$(kv elf) $(kv kdump) $(kv truth) $(kv vmlinux) $(kv modules)"
	done
done
exit $rc
