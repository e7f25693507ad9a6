#!/usr/bin/env bash
# make-seeds.sh BUILD — the seed corpora of make fuzz, made at fuzz time
# into BUILD/fuzz/seeds/{walk,parse,btf,kallsyms} (nothing binary is committed).
#
# parse: a minimal kcore-like ELF core (ELF header, PT_NOTE with CORE and
# VMCOREINFO notes, two PT_LOADs at kernel addresses: built like
# tests/unit/test_target_kcore.c builds them); the VMCOREINFO text of a real
# dump if one is in the cache (and the same kcore carrying it); the
# synthetic 6.1 debug files BUILD/synth/gen_6_1.{o,vmlinux}; a layout cache
# file written by BUILD/ctleak for gen_6_1.vmlinux, and the newest one of
# the cache ($CTLEAK_CACHE, else ~/.cache/ctleak) if any.
# btf: a 4-byte split offset, a small vmlinux BTF (ints, a struct with an
# array, a bitfield and a pointer, a typedef, an enum, a declaration) and
# optionally a module's split BTF on it (see tests/fuzz/fuzz_btf.c).
# kallsyms: test_kallsyms's good tables under every address rule, alone,
# with a hole after them and with their kallsyms_markers; two with a symbol
# left out of VMCOREINFO; one of 25,007 names (past the reader's window);
# written by BUILD/fuzz/fuzz_kallsyms itself (tests/fuzz/fuzz_kallsyms.c).
# walk: header-only inputs for every option bit, and a few short patch
# sequences (see tests/fuzz/fuzz_walk.c for the input format).
set -eu
BUILD=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here"
out=$BUILD/fuzz/seeds
rm -rf "$out"
mkdir -p "$out/walk" "$out/parse" "$out/btf" "$out/kallsyms"
cache=${CTLEAK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ctleak}

# --- parse -------------------------------------------------------------------
cp "$BUILD/synth/gen_6_1.o" "$out/parse/gen_6_1.o"
cp "$BUILD/synth/gen_6_1.vmlinux" "$out/parse/gen_6_1.vmlinux"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -x "$BUILD/ctleak" ] &&
	CTLEAK_CACHE=$tmp "$BUILD/ctleak" -m "$BUILD/synth/gen_6_1.vmlinux" >/dev/null 2>&1; then
	for f in "$tmp"/layouts/layout-*.txt; do
		[ -f "$f" ] && cp "$f" "$out/parse/layout-synth-6.1.txt"
	done
fi
newest=$(ls -t "$cache"/layouts/layout-*.txt 2>/dev/null | head -1 || true)
[ -n "$newest" ] && cp "$newest" "$out/parse/layout-cached.txt"

dump=$(ls "$cache"/vmcores/*/leaks/vmcore.elf 2>/dev/null | head -1 || true)
python3 - "$out/parse" "$dump" <<'EOF'
import os, struct, sys

out, dump = sys.argv[1], sys.argv[2]

def vmcoreinfo_of(path):
    """The VMCOREINFO note's text of an ELF dump, reading only its headers
    and its PT_NOTE segment."""
    with open(path, 'rb') as f:
        eh = f.read(64)
        if eh[:4] != b'\x7fELF' or eh[4] != 2:
            return None
        phoff, = struct.unpack_from('<Q', eh, 32)
        phentsize, phnum = struct.unpack_from('<HH', eh, 54)
        f.seek(phoff)
        phs = f.read(phentsize * phnum)
        for i in range(phnum):
            p_type, _, p_offset, _, _, p_filesz = struct.unpack_from('<IIQQQQ', phs, i * phentsize)
            if p_type != 4 or p_filesz > 1 << 20:
                continue
            f.seek(p_offset)
            notes = f.read(p_filesz)
            pos = 0
            while pos + 12 <= len(notes):
                namesz, descsz, _ = struct.unpack_from('<III', notes, pos)
                name = notes[pos + 12:pos + 12 + namesz]
                desc_at = pos + 12 + ((namesz + 3) & ~3)
                if name.rstrip(b'\0') == b'VMCOREINFO':
                    return notes[desc_at:desc_at + descsz]
                pos = desc_at + ((descsz + 3) & ~3)
    return None

def note(name, ntype, desc):
    name = name + b'\0'
    pad = lambda b: b + b'\0' * (-len(b) % 4)
    return struct.pack('<III', len(name), len(desc), ntype) + pad(name) + pad(desc)

def kcore(info):
    """ET_CORE x86-64: PT_NOTE (CORE prstatus and prpsinfo, VMCOREINFO),
    a direct-map and a kernel-text PT_LOAD of 64 bytes each."""
    notes = note(b'CORE', 1, bytes(336)) + note(b'CORE', 3, bytes(136))
    if info is not None:
        notes += note(b'VMCOREINFO', 0, info)
    loads = [(0xffff888000000000, bytes(range(64))),
             (0xffffffff9e000000, bytes(range(64, 128)))]
    phnum = 1 + len(loads)
    at = 64 + 56 * phnum
    eh = b'\x7fELF' + bytes([2, 1, 1]) + bytes(9)
    eh += struct.pack('<HHIQQQIHHHHHH', 4, 62, 1, 0, 64, 0, 0, 64, 56, phnum, 0, 0, 0)
    phs = struct.pack('<IIQQQQQQ', 4, 0, at, 0, 0, len(notes), 0, 4)
    body = notes
    for vaddr, data in loads:
        phs += struct.pack('<IIQQQQQQ', 1, 7, at + len(body), vaddr, 0xffffffffffffffff,
                           len(data), len(data), 4096)
        body += data
    return eh + phs + body

std = (b'OSRELEASE=6.1.0-fuzz\nPAGESIZE=4096\nBUILD-ID=00112233445566778899aabbccddeeff00112233\n'
       b'SYMBOL(init_uts_ns)=ffffffffa0612340\nKERNELOFFSET=1e000000\n')
open(os.path.join(out, 'kcore-min.elf'), 'wb').write(kcore(std))
open(os.path.join(out, 'kcore-no-vmcoreinfo.elf'), 'wb').write(kcore(None))
open(os.path.join(out, 'vmcoreinfo-synth.txt'), 'wb').write(std)
info = vmcoreinfo_of(dump) if dump else None
if info:
    open(os.path.join(out, 'vmcoreinfo-real.txt'), 'wb').write(info)
    open(os.path.join(out, 'kcore-real-vmcoreinfo.elf'), 'wb').write(kcore(info))
EOF

# --- kallsyms -------------------------------------------------------------------
if [ -x "$BUILD/fuzz/fuzz_kallsyms" ]; then
	CTLEAK_FUZZ_KALLSYMS_SEEDS=$out/kallsyms "$BUILD/fuzz/fuzz_kallsyms"
fi

# --- walk ----------------------------------------------------------------------
# header: flags, parameter (fuzz_walk.c); then patches: op, 3 index bytes, operand.
seed() { printf "$2" >"$out/walk/$1"; }
seed plain '\000\000'
seed variant1 '\001\000'
seed live '\002\000'
seed compressed '\004\020'
seed few-kept '\010\003'
seed max-entries '\020\005'
seed netns-b '\040\001'
seed proto-udp '\100\021'
seed interrupted '\200\007'
seed everything '\377\001'
# zero a non-zero word; flip a bit of one; point one at another's object
seed zero-word '\000\000\031\020\000\000'
seed flip-word '\000\000\072\042\001\000\011'
seed ptr-loop '\000\000\044\100\000\000\000\000\002'
# a magic value into the hash region (where 7), a nulls marker into the heap (where 2)
seed hash-magic '\000\000\377\000\000\000\023'
seed nulls-heap '\001\000\106\000\001\000\005\000'
# the globals region (where 5): raw 32-bit values
seed globals-raw '\000\000\260\010\000\000\377\377\377\017'
# --- btf -----------------------------------------------------------------------
python3 - "$out/btf" <<'EOF'
import struct, sys

out = sys.argv[1]
INT, PTR, ARRAY, STRUCT, UNION, ENUM, FWD, TYPEDEF = 1, 2, 3, 4, 5, 6, 7, 8


class Btf:
    def __init__(self, str_base=0):
        self.types, self.strs, self.str_base = b'', b'\0', str_base

    def s(self, name):
        if not name:
            return 0
        off = self.str_base + len(self.strs)
        self.strs += name.encode() + b'\0'
        return off

    def t(self, name, kind, vlen, size_or_type, kflag=0, extra=b''):
        info = (kflag << 31) | (kind << 24) | vlen
        self.types += struct.pack('<III', self.s(name), info, size_or_type) + extra

    def raw(self):
        hdr = struct.pack('<HBBIIIII', 0xeB9F, 1, 0, 24, 0, len(self.types),
                          len(self.types), len(self.strs))
        return hdr + self.types + self.strs


def mem(b, name, typ, off):
    return struct.pack('<III', b.s(name), typ, off)


base = Btf()
base.t('u32', INT, 0, 4, extra=struct.pack('<I', 32))                    # 1
base.t('long unsigned int', INT, 0, 8, extra=struct.pack('<I', 64))      # 2
base.t(None, ARRAY, 0, 0, extra=struct.pack('<III', 1, 1, 2))            # 3 u32[2]
base.t(None, PTR, 0, 1)                                                  # 4 u32 *
base.t('nf_conn', STRUCT, 4, 24, kflag=1,                                # 5
       extra=mem(base, 'status', 2, 0) + mem(base, 'tuplehash', 3, 64) +
       mem(base, 'mark', 1, (3 << 24) | 128) + mem(base, 'ext', 4, 192))
base.t('possible_net_t', TYPEDEF, 0, 5)                                  # 6
base.t('ip_conntrack_status', ENUM, 1, 4,                                # 7
       extra=struct.pack('<Ii', base.s('IPS_CONFIRMED_BIT'), 3))
base.t('nf_conntrack_net', FWD, 0, 0)                                    # 8
vmlinux = base.raw()

mod = Btf(str_base=len(base.strs))
mod.strs = b''
mod.t('nf_conntrack_net', STRUCT, 1, 4, extra=mem(mod, 'count', 1, 0))  # 9
module = mod.raw()

with open(f'{out}/vmlinux', 'wb') as f:
    f.write(struct.pack('<I', 0) + vmlinux)
with open(f'{out}/split', 'wb') as f:
    f.write(struct.pack('<I', len(vmlinux)) + vmlinux + module)
EOF

echo "seeds: $(ls "$out/parse" | wc -l) parse, $(ls "$out/walk" | wc -l) walk," \
	"$(ls "$out/btf" | wc -l) btf, $(ls "$out/kallsyms" | wc -l) kallsyms in $out"
