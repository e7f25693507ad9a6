#!/usr/bin/env bash
# filter-dump.sh ELF — a makedumpfile -d 31 filtered copy of a QEMU ELF dump
# (free, cache, user and zero pages excluded: real excluded pages), in the
# kdump-compressed form (-c) and as ELF (-E); made once, cached next to ELF
# (in the vmcores cache, never in the checkout) under filtered-<key>/, where
# <key> hashes ELF's size and mtime, this script and makedumpfile's version:
# a new dump, or a change here, makes them again. On success stdout gets
#   kdump=<dir>/vmcore.kdump
#   elf=<dir>/vmcore.elf
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
	cat "${BASH_SOURCE[0]}"
	makedumpfile -v 2>&1 | head -1
} | sha256sum | cut -c1-16)
top=$(dirname "$src")
out=$top/filtered-$key
if [[ -f $out/done ]]; then
	printf 'kdump=%s\nelf=%s\n' "$out/vmcore.kdump" "$out/vmcore.elf"
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
rm -f "$work/input.elf"
echo "from $src in $(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $started }") s" >"$work/done"
trap - EXIT
# Copies made from an older dump or by an older script are superseded.
for old in "$top"/filtered-*; do
	[[ $old == "$work" ]] || rm -rf "$old"
done
mv "$work" "$out"
printf 'kdump=%s\nelf=%s\n' "$out/vmcore.kdump" "$out/vmcore.elf"
