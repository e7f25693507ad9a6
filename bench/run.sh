#!/usr/bin/env bash
# run.sh BUILD — make bench: ctleak against drgn, crash and the read floor,
# on the same dumps, in one run. Never part of make check.
#
# Dumps: vmcores/make-vmcore.sh SERIES scale-N (N entries over four
# namespaces, 262144 buckets, planted leaks), for every series in
# $CTLEAK_BENCH_SERIES (default "6.1 5.10") and N in $CTLEAK_BENCH_SIZES
# (default "20000 200000 1000000"); made on first use (~1-3 min each).
#
# Per dump, each timed by GNU time (wall, user+sys CPU, peak RSS):
#   ctleak -j            on the ELF and the kdump-zlib dump (layout cache warm)
#   crash> ctleak -j     the extension, in crash 8.0.2 batch mode (ELF); crash's
#                        own start-up is timed alone and subtracted
#   drgn                 bench/drgn_ctleak.py (python3-drgn), the same work;
#                        on QEMU's paging ELF of the same memory (drgn 0.0.22
#                        reads neither of the other two)
#   crash by hand        kmem -S nf_conntrack (the slab: what crash can do)
#   floor                bench/floor: the bytes ctleak reads, each once, in
#                        address order, through the same Target
# and once per kernel the start-up: ctleak -m cold (DWARF) and warm (cache).
# Every ctleak and drgn run is checked against the guest's ground truth (per
# namespace counts). Results: a Markdown table on stdout and in
# bench/results.md (with the machine described).
set -euo pipefail
BUILD=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
series_list=${CTLEAK_BENCH_SERIES:-6.1 5.10}
sizes=${CTLEAK_BENCH_SIZES:-20000 200000 1000000}
drgn_timeout=${CTLEAK_BENCH_DRGN_TIMEOUT:-3600}
out=bench/results.md
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
ctleak=$BUILD/ctleak so=$BUILD/ctleak.so floor=$BUILD/bench/floor
for f in "$ctleak" "$so" "$floor"; do [[ -x $f || -f $f ]] || { echo "bench: $f is missing (make bench builds it)" >&2; exit 1; }; done
[[ -x /usr/bin/time ]] || { echo "bench: /usr/bin/time is missing (make deps)" >&2; exit 1; }
/usr/bin/python3 -c 'import drgn' 2>/dev/null || { echo "bench: python3-drgn is missing (make deps)" >&2; exit 1; }

# timed LABEL CMD...: run, record "wall user+sys rss_mb rc" in $scratch/LABEL.
timed() {
	local label=$1
	shift
	local rc=0
	/usr/bin/time -f "%e %U %S %M" -o "$scratch/$label.time" "$@" >"$scratch/$label.out" 2>"$scratch/$label.err" || rc=$?
	# GNU time writes "Command exited with non-zero status N" first then.
	tail -1 "$scratch/$label.time" |
		awk -v rc=$rc '{ printf "%.2f %.2f %.0f %d\n", $1, $2 + $3, $4 / 1024, rc }' >"$scratch/$label.t"
}
field() { awk -v i="$2" '{ print $i }' "$scratch/$1.t"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }'; }

# counts_ok JSONFILE TRUTH: every namespace's count equals the guest's.
counts_ok() {
	python3 - "$1" "$2" <<'EOF'
import json, sys
try:
    doc = json.load(open(sys.argv[1]))
except ValueError:
    print("no"); sys.exit()
truth = json.load(open(sys.argv[2]))
mine = {n["inum"]: n["count"] for n in doc["netns"]}
ok = all(mine.get(n["inum"]) == n["count"] for n in truth["netns"])
ua = all((n.get("unaccounted") or 0) == 0 for n in doc["netns"])
print("yes" if ok and ua else "no")
EOF
}

rows=()
startup=()
for series in $series_list; do
	first=1
	for size in $sizes; do
		kv=$(bash vmcores/make-vmcore.sh "$series" "scale-$size")
		get() { sed -n "s/^$1=//p" <<<"$kv"; }
		dir=$(get dir) vmlinux=$(get vmlinux) modules=$(get modules) release=$(get release)
		root=${modules%%/usr/lib/debug/*}
		ko=$modules/kernel/net/netfilter
		truth=$dir/truth.json
		entries=$(python3 -c 'import json,sys; print(sum(n["count"] for n in json.load(open(sys.argv[1]))["netns"]))' "$truth")
		echo "bench: $release, $entries entries ($dir)" >&2
		if [[ $first == 1 ]]; then
			first=0
			CTLEAK_CACHE=$scratch/cold timed cold "$ctleak" -m -D "$root" "$vmlinux"
			CTLEAK_CACHE=$scratch/cold timed warm "$ctleak" -m -D "$root" "$vmlinux"
			startup+=("| $release | $(field cold 1) s, $(field cold 3) MB | $(field warm 1) s, $(field warm 3) MB |")
		fi
		# Warm the layout cache for the runs below.
		"$ctleak" -m -D "$root" "$vmlinux" >/dev/null
		timed elf "$ctleak" -j -D "$root" "$vmlinux" "$dir/vmcore.elf"
		timed kdump "$ctleak" -j -D "$root" "$vmlinux" "$dir/vmcore.kdump"
		ok_elf=$(counts_ok "$scratch/elf.out" "$truth")
		ok_kdump=$(counts_ok "$scratch/kdump.out" "$truth")
		# crash: start-up alone, then with the extension's run.
		printf 'quit\n' >"$scratch/quit.cmd"
		printf 'extend %s\nctleak -j -D %s > %s\nquit\n' "$(realpath "$so")" "$root" "$scratch/ext.json" >"$scratch/ext.cmd"
		printf 'kmem -S nf_conntrack > /dev/null\nquit\n' >"$scratch/kmem.cmd"
		timed crash0 crash -s "$vmlinux" "$dir/vmcore.elf" -i "$scratch/quit.cmd"
		timed crashext crash -s "$vmlinux" "$dir/vmcore.elf" -i "$scratch/ext.cmd"
		timed kmem crash -s "$vmlinux" "$dir/vmcore.elf" -i "$scratch/kmem.cmd"
		ok_ext=$(counts_ok "$scratch/ext.json" "$truth")
		ext_s=$(awk -v a="$(field crashext 1)" -v b="$(field crash0 1)" 'BEGIN { printf "%.2f", a - b }')
		kmem_s=$(awk -v a="$(field kmem 1)" -v b="$(field crash0 1)" 'BEGIN { printf "%.2f", a - b }')
		# drgn, bounded.
		timed drgn timeout "$drgn_timeout" /usr/bin/python3 bench/drgn_ctleak.py \
			"$dir/vmcore.paging.elf" "$vmlinux" "$ko/nf_conntrack.ko"
		if [[ $(field drgn 4) == 0 ]]; then
			ok_drgn=$(counts_ok "$scratch/drgn.out" "$truth")
			drgn_s=$(field drgn 1)
		else
			ok_drgn="failed ($(tail -1 "$scratch/drgn.err" | cut -c1-80))"
			drgn_s=">$drgn_timeout"
		fi
		# The floor through the same Target, both formats.
		"$floor" "$vmlinux" "$dir/vmcore.elf" "$root" >"$scratch/floor_elf" 2>&1
		"$floor" "$vmlinux" "$dir/vmcore.kdump" "$root" >"$scratch/floor_kdump" 2>&1
		fe=$(sed -n 's/.*floor_s=\([0-9.]*\).*/\1/p' "$scratch/floor_elf")
		fk=$(sed -n 's/.*floor_s=\([0-9.]*\).*/\1/p' "$scratch/floor_kdump")
		mb=$(sed -n 's/.*bytes=\([0-9]*\).*/\1/p' "$scratch/floor_elf" | awk '{ printf "%.0f", $1 / 1048576 }')
		rows+=("| $release | $entries | ELF | $(field elf 1) s / $(field elf 2) s / $(field elf 3) MB ($ok_elf) | $ext_s s ($ok_ext) | $drgn_s s / $(field drgn 3) MB ($ok_drgn) | $kmem_s s | $fe s ($mb MB) | $(ratio "$drgn_s" "$(field elf 1)") | $(ratio "$(field elf 1)" "$fe") |")
		rows+=("| $release | $entries | kdump-zlib | $(field kdump 1) s / $(field kdump 2) s / $(field kdump 3) MB ($ok_kdump) | | | | $fk s | | $(ratio "$(field kdump 1)" "$fk") |")
	done
done

{
	echo "# make bench: results"
	echo
	echo "Run $(date -u +%FT%TZ) on $(nproc) cores of $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem:/{print $2}') GiB RAM,"
	echo "$(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r); ctleak $(git rev-parse --short HEAD 2>/dev/null || echo '?'),"
	echo "crash $(crash --version | awk '/^crash /{print $2; exit}'), python3-drgn $(/usr/bin/python3 -c 'import drgn; print(drgn.__version__)'),"
	echo "libkdumpfile $(dpkg-query -W -f='${Version}' libkdumpfile-dev 2>/dev/null)."
	echo
	echo "Dumps: \`vmcores/make-vmcore.sh SERIES scale-N\` (N unreplied UDP flows over four namespaces,"
	echo "262144 buckets, the planted leaks). Times are wall seconds / CPU seconds / peak RSS."
	echo "(yes) = every namespace's count equals the guest's nf_conntrack_count and nothing is"
	echo "unaccounted. crash> ctleak and kmem -S are crash sessions minus crash's own start-up."
	echo "drgn reads QEMU's paging ELF of the same memory (drgn 0.0.22 reads neither other form)."
	echo "floor = reading the bytes ctleak reads, each once, in address order, same Target."
	echo "crash's kmem -S counts the cache's objects but lists only those of partial and CPU"
	echo "slabs: SLUB does not track full slabs without slab debugging (\"(not tracked)\"), so"
	echo "it cannot name entries on no list; crash has no command that walks an hlist_nulls hash."
	echo
	echo "| kernel | entries | dump | ctleak | crash> ctleak | drgn | crash kmem -S | floor | drgn/ctleak | ctleak/floor |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
	printf '%s\n' "${rows[@]}"
	echo
	echo "Start-up (\`ctleak -m\`): first DWARF read of Debian's debug vmlinux, and from the build-id cache:"
	echo
	echo "| kernel | cold | warm |"
	echo "|---|---|---|"
	printf '%s\n' "${startup[@]}"
} | tee "$out"
