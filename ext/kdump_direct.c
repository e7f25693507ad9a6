/* kdump_direct.c — see kdump_direct.h. */
#include "kdump_direct.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define KDUMP_DIRECT_MAX_SEGS (1u << 20)

/* libaddrxlat's linearly translated kernel ranges, into d->ranges. */
static void linear_ranges(struct kdump_direct *d, kdump_ctx_t *ctx)
{
	addrxlat_ctx_t *ax = NULL;
	addrxlat_sys_t *sys = NULL;
	if (kdump_get_addrxlat(ctx, &ax, &sys) != KDUMP_OK)
		return;
	const addrxlat_map_t *map = addrxlat_sys_get_map(sys, ADDRXLAT_SYS_MAP_KV_PHYS);
	size_t n = map ? addrxlat_map_len(map) : 0;
	const addrxlat_range_t *r = map ? addrxlat_map_ranges(map) : NULL;
	uint64_t start = 0;
	for (size_t i = 0; i < n && d->nranges < KDUMP_DIRECT_RANGES; i++) {
		uint64_t end = start + r[i].endoff;
		const addrxlat_meth_t *m = r[i].meth == ADDRXLAT_SYS_METH_NONE ? NULL :
					   addrxlat_sys_get_meth(sys, r[i].meth);
		if (m && m->kind == ADDRXLAT_LINEAR && m->target_as == ADDRXLAT_KPHYSADDR)
			d->ranges[d->nranges++] = (struct kdump_direct_range){
				start, end, (uint64_t)m->param.linear.off };
		if (end == UINT64_MAX)
			break;
		start = end + 1;
	}
	addrxlat_ctx_decref(ax);
	addrxlat_sys_decref(sys);
}

static int by_start(const void *a, const void *b)
{
	const struct kdump_direct_seg *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}


/* The number of program headers: e_phnum, or past 0xfffe the first
 * section header's sh_info (PN_XNUM: makedumpfile writes that many). */
static size_t phdr_count(const struct kdump_direct *d, const Elf64_Ehdr *eh)
{
	if (eh->e_phnum != PN_XNUM)
		return eh->e_phnum;
	Elf64_Shdr sh;
	if (eh->e_shoff == 0 || eh->e_shoff > d->map_len ||
	    d->map_len - eh->e_shoff < sizeof(sh))
		return 0;
	memcpy(&sh, d->map + eh->e_shoff, sizeof(sh));
	return sh.sh_info;
}

/* The file-backed part of every PT_LOAD, by physical address. False when
 * the headers do not hold together (then nothing is read here). */
static bool load_segments(struct kdump_direct *d)
{
	Elf64_Ehdr eh;
	if (d->map_len < sizeof(eh))
		return false;
	memcpy(&eh, d->map, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_phentsize != sizeof(Elf64_Phdr))
		return false;
	size_t n = phdr_count(d, &eh);
	if (n == 0 || n > KDUMP_DIRECT_MAX_SEGS || eh.e_phoff > d->map_len ||
	    (d->map_len - eh.e_phoff) / sizeof(Elf64_Phdr) < n)
		return false;
	d->segs = calloc(n, sizeof(*d->segs));
	d->gaps = calloc(n, sizeof(*d->gaps));
	if (!d->segs || !d->gaps)
		return false;
	for (size_t i = 0; i < n; i++) {
		Elf64_Phdr ph;
		memcpy(&ph, d->map + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_offset > d->map_len || d->map_len - ph.p_offset < ph.p_filesz ||
		    ph.p_paddr + ph.p_memsz < ph.p_paddr || ph.p_filesz > ph.p_memsz)
			return false;
		if (ph.p_filesz)
			d->segs[d->nsegs++] = (struct kdump_direct_seg){
				ph.p_paddr, ph.p_paddr + ph.p_filesz, ph.p_offset };
		if (ph.p_memsz > ph.p_filesz)
			d->gaps[d->ngaps++] = (struct kdump_direct_seg){ ph.p_paddr + ph.p_filesz,
									 ph.p_paddr + ph.p_memsz, 0 };
	}
	qsort(d->segs, d->nsegs, sizeof(*d->segs), by_start);
	qsort(d->gaps, d->ngaps, sizeof(*d->gaps), by_start);
	size_t k = 0; /* overlapping gaps joined: sorted by start and by end */
	for (size_t i = 0; i < d->ngaps; i++) {
		if (k && d->gaps[i].start <= d->gaps[k - 1].end) {
			if (d->gaps[i].end > d->gaps[k - 1].end)
				d->gaps[k - 1].end = d->gaps[i].end;
		} else {
			d->gaps[k++] = d->gaps[i];
		}
	}
	d->ngaps = k;
	for (size_t i = 1; i < d->nsegs; i++)
		if (d->segs[i].start < d->segs[i - 1].end)
			return false; /* overlapping: which one libkdumpfile reads is its business */
	return d->nsegs > 0 || d->ngaps > 0;
}

bool kdump_direct_open_file(struct kdump_direct *d, int fd)
{
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0)
		return false;
	void *map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return false;
	d->map = map;
	d->map_len = (size_t)sb.st_size;
	if (load_segments(d))
		return true;
	munmap(map, d->map_len);
	free(d->segs);
	free(d->gaps);
	d->map = NULL;
	d->map_len = d->nsegs = d->ngaps = 0;
	d->segs = NULL;
	d->gaps = NULL;
	return false;
}

void kdump_direct_init(struct kdump_direct *d, int fd, kdump_ctx_t *ctx)
{
	memset(d, 0, sizeof(*d));
	const char *env = getenv("CTLEAK_DIRECT_READS");
	d->reads_off = env && strcmp(env, "0") == 0;
	linear_ranges(d, ctx);
	kdump_direct_open_file(d, fd);
}

void kdump_direct_free(struct kdump_direct *d)
{
	if (d->map)
		munmap((void *)d->map, d->map_len);
	free(d->segs);
	free(d->gaps);
	memset(d, 0, sizeof(*d));
}

/* The first of the n ranges (by start, not overlapping) that ends after
 * pa: the one holding pa, if any. */
static size_t first_ending_after(const struct kdump_direct_seg *r, size_t n, uint64_t pa)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r[mid].end <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The segment holding [pa, pa + len), or NULL. */
static const struct kdump_direct_seg *segment_of(struct kdump_direct *d, uint64_t pa, size_t len)
{
	const struct kdump_direct_seg *s = &d->segs[d->last];
	if (!(pa >= s->start && pa < s->end)) {
		size_t i = first_ending_after(d->segs, d->nsegs, pa);
		if (i == d->nsegs || d->segs[i].start > pa)
			return NULL;
		d->last = i;
		s = &d->segs[i];
	}
	return s->end - pa >= len ? s : NULL;
}

bool kdump_direct_read(struct kdump_direct *d, uint64_t addr, void *buf, size_t len)
{
	if (!d->map || d->reads_off || len == 0 || addr + len - 1 < addr)
		return false;
	for (unsigned i = 0; i < d->nranges; i++) {
		const struct kdump_direct_range *r = &d->ranges[i];
		if (addr < r->start || addr + len - 1 > r->end)
			continue;
		const struct kdump_direct_seg *s = segment_of(d, addr + r->off, len);
		if (!s)
			return false;
		memcpy(buf, d->map + s->file_off + (addr + r->off - s->start), len);
		d->reads++;
		return true;
	}
	return false;
}

bool kdump_direct_left_out(struct kdump_direct *d, uint64_t pa)
{
	if (!d->map || d->ngaps == 0)
		return false;
	size_t i = first_ending_after(d->gaps, d->ngaps, pa);
	bool in_gap = i < d->ngaps && d->gaps[i].start <= pa;
	return in_gap && !(d->nsegs && segment_of(d, pa, 1));
}
