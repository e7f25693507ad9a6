#!/usr/bin/env bash
# run.sh BUILD — make bench: ctleak against drgn, crash and the read floor,
# on the same dumps, in one run. Never part of make check.
#
# Dumps: vmcores/make-vmcore.sh SERIES scale-N (N entries over four
# namespaces, 262144 buckets, planted leaks), for every series in
# $CTLEAK_BENCH_SERIES (default "6.1 5.10") and N in $CTLEAK_BENCH_SIZES
# (default "20000 200000 1000000 4000000" on 6.1, "20000 200000 1000000" on
# the others; the 4M dump takes ~8 min and ~11 GB); made on first use. Of
# each QEMU ELF dump, vmcores/filter-dump.sh makes (cached) the issue's
# reference form: makedumpfile -d 31, kdump-compressed (-c) and ELF (-E).
# So five files per dump, one memory (the -d 31 copies without the pages
# makedumpfile drops: free, cache, user, zero; never nf_conntrack's slab
# pages on these kernels):
#   ELF          QEMU's dump-guest-memory, paging off (physical addresses)
#   paging ELF   QEMU's paging dump (the guest's virtual addresses)
#   kdump-zlib   QEMU's kdump-zlib dump (unflattened by makedumpfile -R)
#   -d 31 kdump  makedumpfile -c -d 31 of the ELF
#   -d 31 ELF    makedumpfile -E -d 31 of the ELF
#
# Per dump, each timed by GNU time (wall, user+sys CPU, peak RSS):
#   ctleak -j            on ELF, kdump-zlib and both -d 31 copies (layout
#                        cache warm); its wall per entry in µs
#   crash> ctleak -j     the extension, in crash 8.0.2 batch mode, on ELF and
#                        -d 31 kdump; crash's own start-up on the same file is
#                        timed alone and subtracted; ext/twin = that over
#                        ctleak -j's wall on the same file
#   crash by hand        kmem -S nf_conntrack on ELF (the slab: what crash can do)
#   floor                bench/floor: the bytes ctleak reads, each once, in
#                        address order, through the same Target
#   drgn                 bench/drgn_ctleak.py (the same work with drgn's
#                        helpers) on all five files, by Debian 12's
#                        python3-drgn (0.0.22, /usr/bin/python3) and by
#                        Debian 14's (0.3.0, bench/sid-drgn.sh, in the sid
#                        root of tests/system/debian14.sh; "not run" without
#                        it); a file drgn cannot open is said so
# and once per kernel the start-up: ctleak -m cold (DWARF) and warm (cache).
# Every ctleak, crash> ctleak and drgn run is checked against the guest's
# ground truth (per namespace counts, nothing unaccounted). Results: two
# Markdown tables on stdout and in bench/results.md (with the machine, its
# load and the versions described).
set -euo pipefail
BUILD=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
series_list=${CTLEAK_BENCH_SERIES:-6.1 5.10}
drgn_timeout=${CTLEAK_BENCH_DRGN_TIMEOUT:-3600}
out=bench/results.md
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
ctleak=$BUILD/ctleak so=$BUILD/ctleak.so floor=$BUILD/bench/floor
for f in "$ctleak" "$so" "$floor"; do [[ -x $f || -f $f ]] || { echo "bench: $f is missing (make bench builds it)" >&2; exit 1; }; done
[[ -x /usr/bin/time ]] || { echo "bench: /usr/bin/time is missing (make deps)" >&2; exit 1; }
/usr/bin/python3 -c 'import drgn' 2>/dev/null || { echo "bench: python3-drgn is missing (make deps)" >&2; exit 1; }
# sizes_for SERIES: the entry counts benched on SERIES.
sizes_for() {
	if [[ -n ${CTLEAK_BENCH_SIZES:-} ]]; then
		echo "$CTLEAK_BENCH_SIZES"
	elif [[ $1 == 6.1 ]]; then
		echo "20000 200000 1000000 4000000"
	else
		echo "20000 200000 1000000"
	fi
}
load_start=$(cut -d' ' -f1-3 /proc/loadavg) started=$(date -u +%FT%TZ)
drgn22=$(/usr/bin/python3 -c 'import drgn; print(drgn.__version__)')
drgn22_pkgs="python3-drgn $(dpkg-query -W -f='${Version}' python3-drgn 2>/dev/null), libkdumpfile $(dpkg-query -W -f='${Version}' libkdumpfile10 2>/dev/null), libdw $(dpkg-query -W -f='${Version}' libdw1 2>/dev/null), Python $(/usr/bin/python3 -c 'import platform; print(platform.python_version())')"
# Debian 14's drgn: the sid root, python3-drgn installed in it on first use.
if sid=$(bash bench/sid-drgn.sh --version 2>"$scratch/sid.err"); then
	drgn30=${sid%% *} drgn30_pkgs=${sid#* }
	drgn30_pkgs=${drgn30_pkgs#(} drgn30_pkgs=${drgn30_pkgs%)}
else
	drgn30='' drgn30_pkgs="not run: $(tail -1 "$scratch/sid.err" | sed 's/^sid-drgn.sh: //')"
	echo "bench: Debian 14's drgn not run: $(tail -1 "$scratch/sid.err")" >&2
fi

# time_line LABEL RC: $scratch/LABEL.time (GNU time "%e %U %S %M") into
# "wall user+sys rss_mb rc" in $scratch/LABEL.t.
time_line() {
	# GNU time writes "Command exited with non-zero status N" first then;
	# nothing at all when the command never ran.
	{ tail -1 "$scratch/$1.time" 2>/dev/null || true; } |
		awk -v rc="$2" '{ printf "%.2f %.2f %.0f %d\n", $1, $2 + $3, $4 / 1024, rc; n++ }
			END { if (!n) printf "0 0 0 %d\n", rc }' >"$scratch/$1.t"
}
# timed LABEL CMD...: run under GNU time, record it (time_line).
timed() {
	local label=$1
	shift
	local rc=0
	rm -f "$scratch/$label.time"
	/usr/bin/time -f "%e %U %S %M" -o "$scratch/$label.time" "$@" >"$scratch/$label.out" 2>"$scratch/$label.err" || rc=$?
	time_line "$label" "$rc"
}
# timed_sid LABEL ARGS...: bench/sid-drgn.sh, which runs GNU time itself
# (around python3 in the sid root, not around the mounts), bounded.
timed_sid() {
	local label=$1
	shift
	local rc=0
	rm -f "$scratch/$label.time"
	timeout "$drgn_timeout" bash bench/sid-drgn.sh "$scratch/$label.time" "$@" \
		>"$scratch/$label.out" 2>"$scratch/$label.err" || rc=$?
	time_line "$label" "$rc"
}
field() { awk -v i="$2" '{ print $i }' "$scratch/$1.t"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.1f", a / b; else print "-" }'; }
ratio2() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "-" }'; }
# per_entry SECONDS ENTRIES: µs per entry.
per_entry() { awk -v s="$1" -v n="$2" 'BEGIN { if (s > 0 && n > 0) printf "%.2f", s * 1e6 / n; else print "-" }'; }

# counts_ok JSONFILE TRUTH: every namespace's count equals the guest's.
counts_ok() {
	python3 - "$1" "$2" <<'PYEOF'
import json, sys
try:
    doc = json.load(open(sys.argv[1]))
except (OSError, ValueError):
    print("no"); sys.exit()
truth = json.load(open(sys.argv[2]))
mine = {n["inum"]: n["count"] for n in doc.get("netns", [])}
ok = all(mine.get(n["inum"]) == n["count"] for n in truth["netns"])
ua = all((n.get("unaccounted") or 0) == 0 for n in doc.get("netns", []))
print("yes" if ok and ua and mine else "no")
PYEOF
}
# why_not LABEL: why drgn could not do the run, a few words.
why_not() {
	local e=$scratch/$1.err rc
	rc=$(field "$1" 4)
	if [[ $rc == 124 ]]; then
		echo ">$drgn_timeout s"
	elif grep -q 'KDUMP_ATTR_ARCH_NAME' "$e"; then
		echo "cannot open (libkdumpfile: no arch)"
	elif grep -q 'recursive address translation\|page table may be missing' "$e"; then
		echo "cannot open (no kernel page tables)"
	else
		echo "failed ($(grep -v '^ ' "$e" | tail -1 | tr '|' '/' | cut -c1-70))"
	fi
}
# drgn_cell LABEL TRUTH: "wall s / rss MB (yes)", or why not.
drgn_cell() {
	if [[ $(field "$1" 4) == 0 ]]; then
		echo "$(field "$1" 1) s / $(field "$1" 3) MB ($(counts_ok "$scratch/$1.out" "$2"))"
	else
		why_not "$1"
	fi
}
drgn_wall() { if [[ $(field "$1" 4) == 0 ]]; then field "$1" 1; else echo 0; fi; }
# drgn_ratio LABEL CTLEAK_WALL: drgn's wall over ctleak's; ">R" when drgn was stopped.
drgn_ratio() {
	if [[ $(field "$1" 4) == 124 ]]; then
		echo ">$(ratio "$drgn_timeout" "$2")"
	else
		ratio "$(drgn_wall "$1")" "$2"
	fi
}

# write_results: bench/results.md from the rows so far (after every dump:
# a run stopped midway keeps what it measured).
write_results() {
	{
		echo "# make bench: results"
		echo
		echo "Run $started to $(date -u +%FT%TZ) on $(nproc) cores of $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem:/{print $2}') GiB RAM,"
		echo "$(sed -n 's/^PRETTY_NAME="\(.*\)"$/\1/p' /etc/os-release), kernel $(uname -r); load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
		echo "(a shared machine); ctleak $(git rev-parse --short HEAD 2>/dev/null || echo '?'), crash $(crash --version | awk '/^crash /{print $2; exit}'),"
		echo "libkdumpfile $(dpkg-query -W -f='${Version}' libkdumpfile-dev 2>/dev/null) (ctleak, floor), makedumpfile $(makedumpfile -v 2>&1 | awk '/^makedumpfile:/{print $3; exit}') (-d 31 copies)."
		echo "drgn $drgn22: Debian 12's ($drgn22_pkgs)."
		if [[ -n $drgn30 ]]; then
			echo "drgn $drgn30: Debian 14's, in the sid root of tests/system/debian14.sh ($drgn30_pkgs)."
		else
			echo "drgn 0.3.0 (Debian 14's): $drgn30_pkgs"
		fi
		echo
		echo "Dumps: \`vmcores/make-vmcore.sh SERIES scale-N\` (N unreplied UDP flows over four namespaces,"
		echo "262144 buckets, the planted leaks), five files of one memory: QEMU's ELF (paging off),"
		echo "paging ELF (for drgn 0.0.22) and kdump-zlib, and \`vmcores/filter-dump.sh\`'s makedumpfile"
		echo "-d 31 copies of the ELF, kdump-compressed (-c, the issue's reference form) and ELF (-E)."
		echo "Times are wall seconds / CPU seconds / peak RSS, each file read once untimed first (by"
		echo "ctleak, and by crash alone), so the page cache is warm; µs/entry = ctleak's wall per entry."
		echo "(yes) = every namespace's count equals the guest's nf_conntrack_count and nothing is"
		echo "unaccounted. crash> ctleak and kmem -S are crash sessions minus crash's own start-up"
		echo "on the same file; ext/twin = crash> ctleak over ctleak -j on the same file."
		echo "floor = reading the bytes ctleak reads, each once, in address order, same Target."
		echo "crash's kmem -S counts the cache's objects but lists only those of partial and CPU"
		echo "slabs: SLUB does not track full slabs without slab debugging (\"(not tracked)\"), so"
		echo "it cannot name entries on no list; crash has no command that walks an hlist_nulls hash."
		echo
		echo "| kernel | entries | dump | ctleak | µs/entry | crash> ctleak | ext/twin | crash kmem -S | floor | ctleak/floor |"
		echo "|---|---|---|---|---|---|---|---|---|---|"
		printf '%s\n' "${rows[@]}"
		echo
		echo "drgn: bench/drgn_ctleak.py, the same work with drgn's own helpers, wall / peak RSS,"
		echo "on every file; \"cannot open\" = drgn stops before reading an entry (no arch:"
		echo "libkdumpfile finds none in QEMU's kdump header; no kernel page tables: drgn 0.0.22"
		echo "cannot translate kernel addresses in an ELF dump without virtual addresses). ctleak:"
		echo "ctleak -j's wall on the same file (for the paging ELF, which ctleak does not read,"
		echo "on the ELF of the same memory); drgn/ctleak = the ratio of the walls; >N s: drgn stopped"
		echo "after N s (CTLEAK_BENCH_DRGN_TIMEOUT, $drgn_timeout here), the ratio then a lower bound."
		echo
		echo "| kernel | entries | dump | drgn $drgn22 | drgn ${drgn30:-0.3.0} | ctleak | drgn $drgn22/ctleak | drgn ${drgn30:-0.3.0}/ctleak |"
		echo "|---|---|---|---|---|---|---|---|"
		printf '%s\n' "${drgn_rows[@]}"
		echo
		echo "Start-up (\`ctleak -m\`): first DWARF read of Debian's debug vmlinux, and from the build-id cache:"
		echo
		echo "| kernel | cold | warm |"
		echo "|---|---|---|"
		printf '%s\n' "${startup[@]}"
	} >"$out.tmp"
		mv "$out.tmp" "$out"
}

forms=(elf paging kdump fkdump felf)
declare -A form_name=([elf]="ELF" [paging]="paging ELF" [kdump]="kdump-zlib"
	[fkdump]="-d 31 kdump" [felf]="-d 31 ELF")
rows=()
drgn_rows=()
startup=()
for series in $series_list; do
	first=1
	for size in $(sizes_for "$series"); do
		kv=$(bash vmcores/make-vmcore.sh "$series" "scale-$size")
		get() { sed -n "s/^$1=//p" <<<"$kv"; }
		dir=$(get dir) vmlinux=$(get vmlinux) modules=$(get modules) release=$(get release)
		root=${modules%%/usr/lib/debug/*}
		ko=$modules/kernel/net/netfilter
		truth=$dir/truth.json
		entries=$(python3 -c 'import json,sys; print(sum(n["count"] for n in json.load(open(sys.argv[1]))["netns"]))' "$truth")
		fkv=$(bash vmcores/filter-dump.sh "$dir/vmcore.elf")
		declare -A file=([elf]=$dir/vmcore.elf [paging]=$dir/vmcore.paging.elf
			[kdump]=$dir/vmcore.kdump [fkdump]=$(sed -n 's/^kdump=//p' <<<"$fkv")
			[felf]=$(sed -n 's/^elf=//p' <<<"$fkv"))
		echo "bench: $release, $entries entries ($dir)" >&2
		if [[ $first == 1 ]]; then
			first=0
			CTLEAK_CACHE=$scratch/cold timed cold "$ctleak" -m -D "$root" "$vmlinux"
			CTLEAK_CACHE=$scratch/cold timed warm "$ctleak" -m -D "$root" "$vmlinux"
			startup+=("| $release | $(field cold 1) s, $(field cold 3) MB | $(field warm 1) s, $(field warm 3) MB |")
		fi
		# Warm the layout cache for the runs below.
		"$ctleak" -m -D "$root" "$vmlinux" >/dev/null
		declare -A ok=()
		for f in elf kdump fkdump felf; do
			# once untimed: the file's pages in the page cache for every tool
			"$ctleak" -j -D "$root" "$vmlinux" "${file[$f]}" >/dev/null 2>&1 || true
			timed "ct_$f" "$ctleak" -j -D "$root" "$vmlinux" "${file[$f]}"
			ok[$f]=$(counts_ok "$scratch/ct_$f.out" "$truth")
		done
		# crash: start-up alone, then with the extension's run, on the same file.
		printf 'quit\n' >"$scratch/quit.cmd"
		printf 'kmem -S nf_conntrack > /dev/null\nquit\n' >"$scratch/kmem.cmd"
		declare -A ext=() ext_ok=()
		for f in elf fkdump; do
			printf 'extend %s\nctleak -j -D %s > %s\nquit\n' "$(realpath "$so")" "$root" \
				"$scratch/ext_$f.json" >"$scratch/ext.cmd"
			rm -f "$scratch/ext_$f.json"
			crash -s "$vmlinux" "${file[$f]}" -i "$scratch/quit.cmd" >/dev/null 2>&1 || true
			timed "crash0_$f" crash -s "$vmlinux" "${file[$f]}" -i "$scratch/quit.cmd"
			timed "crashext_$f" crash -s "$vmlinux" "${file[$f]}" -i "$scratch/ext.cmd"
			ext[$f]=$(awk -v a="$(field "crashext_$f" 1)" -v b="$(field "crash0_$f" 1)" 'BEGIN { printf "%.2f", a - b }')
			ext_ok[$f]=$(counts_ok "$scratch/ext_$f.json" "$truth")
		done
		timed kmem crash -s "$vmlinux" "${file[elf]}" -i "$scratch/kmem.cmd"
		kmem_s=$(awk -v a="$(field kmem 1)" -v b="$(field crash0_elf 1)" 'BEGIN { printf "%.2f", a - b }')
		# drgn, both versions, every file, bounded.
		for f in "${forms[@]}"; do
			timed "d22_$f" timeout "$drgn_timeout" /usr/bin/python3 bench/drgn_ctleak.py \
				"${file[$f]}" "$vmlinux" "$ko/nf_conntrack.ko"
			if [[ -n $drgn30 ]]; then
				timed_sid "d30_$f" "${file[$f]}" "$vmlinux" "$ko/nf_conntrack.ko"
			fi
		done
		# The floor through the same Target, every file ctleak read.
		declare -A floor_s=() floor_mb=()
		for f in elf kdump fkdump felf; do
			"$floor" "$vmlinux" "${file[$f]}" "$root" >"$scratch/floor_$f" 2>&1 || true
			floor_s[$f]=$(sed -n 's/.*floor_s=\([0-9.]*\).*/\1/p' "$scratch/floor_$f")
			floor_mb[$f]=$(sed -n 's/.*bytes=\([0-9]*\).*/\1/p' "$scratch/floor_$f" | awk '{ printf "%.0f", $1 / 1048576 }')
		done
		for f in elf kdump fkdump felf; do
			w=$(field "ct_$f" 1)
			crash_cell='' ratio_cell='' kmem_cell=''
			if [[ -n ${ext[$f]:-} ]]; then
				crash_cell="${ext[$f]} s (${ext_ok[$f]})"
				ratio_cell=$(ratio2 "${ext[$f]}" "$w")
			fi
			[[ $f != elf ]] || kmem_cell="$kmem_s s"
			rows+=("| $release | $entries | ${form_name[$f]} | $w s / $(field "ct_$f" 2) s / $(field "ct_$f" 3) MB (${ok[$f]}) | $(per_entry "$w" "$entries") | $crash_cell | $ratio_cell | $kmem_cell | ${floor_s[$f]:-?} s (${floor_mb[$f]:-?} MB) | $(ratio "$w" "${floor_s[$f]:-0}") |")
		done
		for f in "${forms[@]}"; do
			# ctleak on the same memory: the paging ELF (which ctleak does not
			# read: QEMU's paging dump lacks the module area) against ELF.
			ref=$f
			[[ $f != paging ]] || ref=elf
			w=$(field "ct_$ref" 1)
			d22=$(drgn_cell "d22_$f" "$truth")
			d30="not run" r30=-
			if [[ -n $drgn30 ]]; then
				d30=$(drgn_cell "d30_$f" "$truth")
				r30=$(drgn_ratio "d30_$f" "$w")
			fi
			ctcell="$w s"
			[[ $ref == "$f" ]] || ctcell="$w s (ELF)"
			drgn_rows+=("| $release | $entries | ${form_name[$f]} | $d22 | $d30 | $ctcell | $(drgn_ratio "d22_$f" "$w") | $r30 |")
		done
		unset file ok ext ext_ok floor_s floor_mb
		write_results
	done
done
write_results
cat "$out"
