#!/usr/bin/env python3
"""filter-stats.py ORIGINAL.elf TRUTH.json FILTERED... — what a makedumpfile
filtered copy of a QEMU ELF dump lost, page by page.

ORIGINAL is QEMU's own ELF dump (paging off: p_paddr are physical addresses);
each FILTERED is a makedumpfile -c output (its second bitmap says which
pages were kept) or a makedumpfile -E output (excluded pages are absent or
zero-filled there: a page is kept when it holds the original's bytes). In
both forms a page that was all zeros in the original is never counted as
lost ("excluded" below means lost: not in the copy, and not all zeros). Every page of the original is classified from its own
struct page, read through the guest's page tables (vmemmap, KASLR and the
direct map from VMCOREINFO): slab head, slab tail, buddy (free), other. A
tail page's head is found through the compound word (compound_head, called
compound_info from 7.x: bit 0 set, the head either the word minus 1 or, on
7.x, the tail's own struct page address masked by it). Prints one JSON
document, {"original": ORIGINAL, "filtered": [one object per FILTERED]}: pages kept and excluded; excluded slab heads and tails
(slab tails of slabs whose head was kept: what makedumpfile's "user data"
test, -d 8, drops on 7.x); and every planted object of TRUTH (nf_conn and
skb) whose page was excluded.
Used by hand and by filter-dump.sh (stats.json); read-only.
"""
import json
import struct
import sys


class Elf:
    def __init__(self, path):
        self.f = open(path, "rb")
        eh = self.f.read(64)
        if eh[:4] != b"\x7fELF":
            sys.exit(f"{path}: not ELF")
        phoff, = struct.unpack_from("<Q", eh, 32)
        phentsize, phnum = struct.unpack_from("<HH", eh, 54)
        self.f.seek(phoff)
        ph = self.f.read(phentsize * phnum)
        self.loads, self.note = [], b""
        for i in range(phnum):
            t, _fl, off, _va, pa, fs, ms, _al = struct.unpack_from("<IIQQQQQQ", ph, i * phentsize)
            if t == 1:
                self.loads.append((pa, fs, off))
            elif t == 4:
                self.f.seek(off)
                self.note += self.f.read(fs)
        self.vmcoreinfo = {}
        i = self.note.find(b"OSRELEASE=")
        if i >= 0:
            for line in self.note[i:].split(b"\0")[0].decode(errors="replace").splitlines():
                if "=" in line:
                    k, v = line.split("=", 1)
                    self.vmcoreinfo[k] = v

    def pages(self):
        for pa, fs, _off in self.loads:
            for p in range(pa >> 12, (pa + fs) >> 12):
                yield p

    def rphys(self, addr, n):
        for pa, fs, off in self.loads:
            if pa <= addr and addr + n <= pa + fs:
                self.f.seek(off + addr - pa)
                return self.f.read(n)
        return None


class Kernel:
    def __init__(self, elf):
        self.e = elf
        vi = elf.vmcoreinfo
        self.kaslr = int(vi.get("KERNELOFFSET", "0"), 16)
        self.phys_base = int(vi.get("NUMBER(phys_base)", "0"), 0)
        self.pgd = self.ktext_phys(int(vi.get("SYMBOL(init_top_pgt)") or vi["SYMBOL(swapper_pg_dir)"], 16))
        self.vmemmap = int(vi["SYMBOL(vmemmap)"], 16) if "SYMBOL(vmemmap)" in vi else None
        self.page_size = int(vi.get("SIZE(page)", "64"))
        self.off_compound = int(vi.get("OFFSET(page.compound_head)", vi.get("OFFSET(page.compound_info)", "8")))
        self.mask_form = "OFFSET(page.compound_info)" in vi
        self.off_mapcount = int(vi.get("OFFSET(page._mapcount)", "48"))
        self.slab_type = int(vi.get("NUMBER(PAGE_SLAB_MAPCOUNT_VALUE)", "0"), 0) & 0xffffffff
        self.buddy_type = int(vi.get("NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)", "0"), 0) & 0xffffffff
        self.pg_slab = int(vi["NUMBER(PG_slab)"]) if "NUMBER(PG_slab)" in vi else None
        self.pg_head = int(vi.get("NUMBER(PG_head_mask)", "0"), 0)

    def ktext_phys(self, va):
        return va - 0xffffffff80000000 + self.phys_base

    def q(self, pa):
        b = self.e.rphys(pa, 8)
        return struct.unpack("<Q", b)[0] if b else None

    def v2p(self, va):
        if va >= 0xffffffff80000000:
            return self.ktext_phys(va)
        e = self.pgd
        for shift in (39, 30, 21, 12):
            ent = self.q((e & 0x000ffffffffff000) + ((va >> shift) & 511) * 8)
            if ent is None or not ent & 1:
                return None
            if shift in (30, 21) and ent & 0x80:
                return (ent & 0x000ffffffffff000 & ~((1 << shift) - 1)) | (va & ((1 << shift) - 1))
            e = ent
        return (e & 0x000ffffffffff000) | (va & 0xfff)

    def struct_page(self, pfn):
        va = self.vmemmap + pfn * self.page_size
        pa = self.v2p(va)
        return va, (self.e.rphys(pa, self.page_size) if pa is not None else None)

    def classify(self, pfn):
        """slab-head, slab-tail, buddy, other, unknown"""
        va, sp = self.struct_page(pfn)
        if sp is None:
            return "unknown"
        flags, = struct.unpack_from("<Q", sp, 0)
        comp, = struct.unpack_from("<Q", sp, self.off_compound)
        ptype, = struct.unpack_from("<I", sp, self.off_mapcount)
        if comp & 1:
            head_va = (va & comp & ~1) if self.mask_form else comp - 1
            pa = self.v2p(head_va)
            hp = self.e.rphys(pa, self.page_size) if pa is not None else None
            if hp and self.is_slab(hp):
                return "slab-tail"
            return "other-tail"
        if self.is_slab(sp):
            return "slab-head"
        if self.buddy_type and (ptype >> 24) == (self.buddy_type >> 24):
            return "buddy"
        return "other"

    def head_pfn(self, pfn):
        va, sp = self.struct_page(pfn)
        if sp is None:
            return pfn
        comp, = struct.unpack_from("<Q", sp, self.off_compound)
        if not comp & 1:
            return pfn
        head_va = (va & comp & ~1) if self.mask_form else comp - 1
        return (head_va - self.vmemmap) // self.page_size

    def is_slab(self, sp):
        ptype, = struct.unpack_from("<I", sp, self.off_mapcount)
        if self.slab_type and (ptype >> 24) == (self.slab_type >> 24):
            return True
        if self.pg_slab is not None:
            flags, = struct.unpack_from("<Q", sp, 0)
            return bool(flags >> self.pg_slab & 1)
        return False


def kdump_kept(path):
    with open(path, "rb") as f:
        h = f.read(4096)
        if h[:8] != b"KDUMP   ":
            sys.exit(f"{path}: not a kdump-compressed file")
        block_size, sub_hdr_size, bitmap_blocks, max_mapnr = struct.unpack_from("<iiII", h, 428)
        f.seek(block_size * (1 + sub_hdr_size) + bitmap_blocks * block_size // 2)
        bm = f.read(bitmap_blocks * block_size // 2)
    return lambda pfn: pfn < len(bm) * 8 and bool(bm[pfn >> 3] >> (pfn & 7) & 1)


def elf_kept(path, orig):
    f = Elf(path)
    zero = bytes(4096)

    def kept(pfn):
        b = f.rphys(pfn << 12, 4096)
        a = orig.rphys(pfn << 12, 4096)
        return b == a or (b is None and a == zero)
    return kept


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    e = Elf(argv[1])
    k = Kernel(e)
    truth = json.load(open(argv[2]))
    if k.vmemmap is None:
        # before 6.12 VMCOREINFO has no vmemmap: x86-64's vmemmap_base variable
        sys.exit("no SYMBOL(vmemmap) in VMCOREINFO (before 6.12): not supported here")
    kinds = {}
    for pfn in e.pages():
        kinds[pfn] = k.classify(pfn)
    objs = []
    for p in truth.get("planted", []):
        for what in ("ct", "skb"):
            a = int(p.get(what, "0x0"), 16)
            if a:
                pa = k.v2p(a)
                objs.append((f"{p['scenario']} {what} {p[what]}", pa >> 12 if pa is not None else None))
    # The nf_conntrack cache: the struct slab word (kmem_cache pointer) that
    # the slabs of every planted nf_conn share; its pages, heads and tails.
    ct_heads = set()
    for p in truth.get("planted", []):
        pa = k.v2p(int(p["ct"], 16))
        if pa is not None:
            ct_heads.add(k.head_pfn(pa >> 12))
    ct_cache_pages = set()
    if ct_heads:
        words = [k.struct_page(h)[1] for h in ct_heads]
        for off in (8, 16, 24, 32):
            vals = {struct.unpack_from("<Q", w, off)[0] for w in words if w}
            if len(vals) == 1 and next(iter(vals)) >> 47 == 0x1ffff:
                cache = next(iter(vals))
                for pfn, kind in kinds.items():
                    if kind.startswith("slab"):
                        hp = k.struct_page(k.head_pfn(pfn))[1]
                        if hp and struct.unpack_from("<Q", hp, off)[0] == cache:
                            ct_cache_pages.add(pfn)
                break
    # Which caches the slab tails belong to (the kmem_cache pointer at the
    # offset found above, else 8; the name is the first string pointer in
    # the kmem_cache).
    cache_off = locals().get("off", 8) if ct_cache_pages else 8
    names = {}

    def cache_name(pfn):
        hp = k.struct_page(k.head_pfn(pfn))[1]
        if not hp:
            return "?"
        c = struct.unpack_from("<Q", hp, cache_off)[0]
        if c not in names:
            names[c] = "0x%x" % c
            pa = k.v2p(c)
            blob = e.rphys(pa, 512) if pa is not None else None
            for i in range(0, len(blob or b""), 8):
                w = struct.unpack_from("<Q", blob, i)[0]
                if w >> 47 != 0x1ffff:
                    continue
                sp = k.v2p(w)
                txt = e.rphys(sp, 48) if sp is not None else None
                if txt and b"\0" in txt:
                    t = txt.split(b"\0")[0]
                    if 3 <= len(t) and all(32 < ch < 127 for ch in t):
                        names[c] = t.decode()
                        break
        return names[c]
    total = {}
    for v in kinds.values():
        total[v] = total.get(v, 0) + 1
    docs = []
    for path in argv[3:]:
        with open(path, "rb") as fh:
            elf = fh.read(4) == b"\x7fELF"
        if elf:
            kept = elf_kept(path, e)
        else:
            bitmap = kdump_kept(path)
            zero = bytes(4096)

            def kept(pfn, bitmap=bitmap, zero=zero):
                return bitmap(pfn) or e.rphys(pfn << 12, 4096) == zero
        out = {"file": path, "form": "elf" if elf else "kdump", "release": e.vmcoreinfo.get("OSRELEASE"), "pages": len(kinds),
               "kept": 0, "excluded": 0, "by_kind": {}, "excluded_by_kind": {},
               "planted_objects": len(objs), "planted_objects_excluded": []}
        for pfn, kind in kinds.items():
            if kept(pfn):
                out["kept"] += 1
            else:
                out["excluded"] += 1
                out["excluded_by_kind"][kind] = out["excluded_by_kind"].get(kind, 0) + 1
        out["by_kind"] = total
        by_cache = {}
        for pfn, kind in kinds.items():
            if kind.startswith("slab") and not kept(pfn):
                n = cache_name(pfn)
                by_cache[n] = by_cache.get(n, 0) + 1
        out["excluded_slab_pages_by_cache"] = by_cache
        out["nf_conntrack_slab_pages"] = len(ct_cache_pages)
        out["nf_conntrack_slab_pages_excluded"] = sum(1 for p in ct_cache_pages if not kept(p))
        for name, pfn in objs:
            if pfn is None or not kept(pfn):
                out["planted_objects_excluded"].append(name)
        docs.append(out)
    print(json.dumps({"original": argv[1], "filtered": docs}, indent=1, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv)
