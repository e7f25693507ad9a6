#!/usr/bin/env bash
# filter-dump.sh ELF — a makedumpfile -d 31 filtered copy of a QEMU ELF dump
# (free, cache, user and zero pages excluded: real excluded pages), in the
# kdump-compressed form (-c) and as ELF (-E); made once, cached next to ELF
# (in the vmcores cache, never in the checkout) under filtered-<key>/, where
# <key> hashes ELF's size and mtime, this script, filter-stats.py and
# makedumpfile's version: a new dump, or a change here, makes them again.
# On success stdout gets
#   kdump=<dir>/vmcore.kdump
#   elf=<dir>/vmcore.elf
# and, where filter-stats.py can read the dump's struct pages (VMCOREINFO
# with SYMBOL(vmemmap): 6.12 on) and truth.json lies beside ELF,
#   stats=<dir>/stats.json      what each copy lost, by page kind and cache
# and where -d 31 excluded slab pages (7.x: makedumpfile 1.7.x does not
# know the kernel and its "user data" test, -d 8, takes a quarter of the slab
# tail pages, see docs kernels-7x.md), -d 23 copies that keep them (31
# without 8):
#   kdump_d23=<dir>/vmcore-d23.kdump
#   elf_d23=<dir>/vmcore-d23.elf
#
# makedumpfile 1.7.2 says "The kernel version is not supported" on every
# kernel after 6.0 (6.1, 6.12, 7.3 here), exits 0 and writes complete files;
# the warning is kept in <dir>/done. Its -E run (a separate pass) does not
# exclude exactly the pages the -c run does (measured: it keeps some pages
# the -c copy drops; zero pages are absent from it), so the two forms are
# two different filtered dumps of the same memory.
#
# QEMU 7.2 puts its ELF program headers after its section headers (e_phoff
# 192); makedumpfile 1.7.2 assumes they follow the ELF header ("Can't get
# the number of PT_LOAD"). So makedumpfile reads a copy whose program
# headers are moved to offset 64 (the section headers, which only name
# their string table, are dropped; every segment keeps its file offset).
set -euo pipefail

prog=${0##*/}
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }
[[ $# -eq 1 && -f $1 ]] || die "usage: $prog ELF-DUMP"
src=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
command -v makedumpfile >/dev/null || die "makedumpfile is not installed (make deps)"

key=$( {
	stat -c '%s %Y' "$src"
	cat "${BASH_SOURCE[0]}" "$(dirname "${BASH_SOURCE[0]}")/filter-stats.py"
	makedumpfile -v 2>&1 | head -1
} | sha256sum | cut -c1-16)
top=$(dirname "$src")
out=$top/filtered-$key
result() {
	printf 'kdump=%s\nelf=%s\n' "$out/vmcore.kdump" "$out/vmcore.elf"
	[[ ! -f $out/stats.json ]] || printf 'stats=%s\n' "$out/stats.json"
	[[ ! -f $out/vmcore-d23.kdump ]] ||
		printf 'kdump_d23=%s\nelf_d23=%s\n' "$out/vmcore-d23.kdump" "$out/vmcore-d23.elf"
}
if [[ -f $out/done ]]; then
	result
	exit 0
fi

started=$(date +%s.%N)
rm -rf "$out.tmp"
mkdir -p "$out.tmp"
work=$out.tmp
trap 'rm -rf "$work"' EXIT
cp "$src" "$work/input.elf"
chmod u+w "$work/input.elf"
python3 - "$work/input.elf" <<'EOF' || die "cannot move the program headers of $src"
import struct, sys
with open(sys.argv[1], "r+b") as f:
    eh = bytearray(f.read(64))
    if eh[:4] != b"\x7fELF" or eh[4] != 2:
        sys.exit("not a 64-bit ELF file")
    phoff, = struct.unpack_from("<Q", eh, 32)
    phentsize, phnum = struct.unpack_from("<HH", eh, 54)
    f.seek(phoff)
    ph = f.read(phentsize * phnum)
    first = min(struct.unpack_from("<Q", ph, i * phentsize + 8)[0] for i in range(phnum))
    if 64 + len(ph) > first:
        sys.exit("no room for the program headers at offset 64")
    f.seek(64)
    f.write(ph)
    struct.pack_into("<Q", eh, 32, 64)        # e_phoff
    struct.pack_into("<Q", eh, 40, 0)         # e_shoff
    struct.pack_into("<HHH", eh, 58, 0, 0, 0) # e_shentsize, e_shnum, e_shstrndx
    f.seek(0)
    f.write(eh)
EOF
makedumpfile -c -d 31 "$work/input.elf" "$work/vmcore.kdump" >"$work/makedumpfile.log" 2>&1 ||
	die "makedumpfile -c -d 31 failed: $(tail -3 "$work/makedumpfile.log")"
makedumpfile -E -d 31 "$work/input.elf" "$work/vmcore.elf" >>"$work/makedumpfile.log" 2>&1 ||
	die "makedumpfile -E -d 31 failed: $(tail -3 "$work/makedumpfile.log")"
# Which pages -d 31 dropped: struct pages read from the unfiltered dump.
stats=$(dirname "${BASH_SOURCE[0]}")/filter-stats.py
truth=$top/truth.json
if [[ -f $truth ]] && grep -aq 'SYMBOL(vmemmap)=' <(head -c 1M "$src"); then
	python3 "$stats" "$src" "$truth" "$work/vmcore.kdump" "$work/vmcore.elf" >"$work/stats.json" 2>"$work/stats.log" ||
		die "filter-stats.py failed: $(tail -3 "$work/stats.log")"
	slab=$(python3 -c 'import json, sys
print(max(d["excluded_by_kind"].get("slab-head", 0) + d["excluded_by_kind"].get("slab-tail", 0)
          for d in json.load(open(sys.argv[1]))["filtered"]))' "$work/stats.json")
	if ((slab > 0)); then
		printf '%s: -d 31 excluded %s slab pages of %s: making -d 23 copies too\n' "$prog" "$slab" "$src" >&2
		makedumpfile -c -d 23 "$work/input.elf" "$work/vmcore-d23.kdump" >>"$work/makedumpfile.log" 2>&1 ||
			die "makedumpfile -c -d 23 failed: $(tail -3 "$work/makedumpfile.log")"
		makedumpfile -E -d 23 "$work/input.elf" "$work/vmcore-d23.elf" >>"$work/makedumpfile.log" 2>&1 ||
			die "makedumpfile -E -d 23 failed: $(tail -3 "$work/makedumpfile.log")"
		python3 "$stats" "$src" "$truth" "$work/vmcore.kdump" "$work/vmcore.elf" \
			"$work/vmcore-d23.kdump" "$work/vmcore-d23.elf" \
			>"$work/stats.json" 2>>"$work/stats.log" ||
			die "filter-stats.py failed: $(tail -3 "$work/stats.log")"
	fi
fi
for f in vmcore.kdump vmcore.elf; do
	[[ -s $work/$f ]] || die "makedumpfile wrote no $f (see $work/makedumpfile.log)"
done
rm -f "$work/input.elf"
{
	echo "from $src in $(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $started }") s"
	# makedumpfile 1.7.2 on kernels it does not know (every one after 6.0)
	tr '\r' '\n' <"$work/makedumpfile.log" | { grep -a -i 'not supported\|incomplete' || true; } |
		sort -u | sed 's/^/makedumpfile: /'
} >"$work/done"
trap - EXIT
# Copies made from an older dump or by an older script are superseded.
for old in "$top"/filtered-*; do
	[[ $old == "$work" ]] || rm -rf "$old"
done
mv "$work" "$out"
result
