#include "kdump_presence.h"

#include <stdbool.h>
#include <string.h>

void kdump_presence_init(struct kdump_presence *p, kdump_ctx_t *ctx, uint64_t page_size,
			 struct kdump_direct *elf)
{
	memset(p, 0, sizeof(*p));
	p->page_size = page_size ? page_size : 4096;
	/* kdump_get_attr, not kdump_get_typed_attr: the latter's arguments
	 * changed in libkdumpfile 0.5.6. */
	kdump_attr_t attr;
	bool bitmap = kdump_get_attr(ctx, KDUMP_ATTR_FILE_PAGEMAP, &attr) == KDUMP_OK &&
		      attr.type == KDUMP_BITMAP && attr.val.bitmap;
	bool gaps = elf && elf->ngaps;
	if (!bitmap && !gaps)
		return;
	if (kdump_get_addrxlat(ctx, &p->ax, &p->sys) != KDUMP_OK) {
		p->ax = NULL;
		p->sys = NULL;
		return;
	}
	if (bitmap) {
		p->pages = attr.val.bitmap;
		kdump_bmp_incref(p->pages);
	}
	p->elf = gaps ? elf : NULL;
}

void kdump_presence_free(struct kdump_presence *p)
{
	if (p->pages)
		kdump_bmp_decref(p->pages);
	if (p->ax)
		addrxlat_ctx_decref(p->ax);
	if (p->sys)
		addrxlat_sys_decref(p->sys);
	memset(p, 0, sizeof(*p));
}

/* Is the page at vaddr in the file? true when it cannot be told. */
static int page_held(struct kdump_presence *p, uint64_t vaddr)
{
	uint64_t vpage = vaddr / p->page_size;
	uint64_t *remembered = &p->held[vpage % KDUMP_PRESENCE_REMEMBERED];
	if (*remembered == vpage + 1)
		return 1;
	addrxlat_fulladdr_t fa = { .addr = vaddr, .as = ADDRXLAT_KVADDR };
	if (addrxlat_fulladdr_conv(&fa, ADDRXLAT_KPHYSADDR, p->ax, p->sys) != ADDRXLAT_OK)
		return 1; /* libkdumpfile's read says why (not mapped) */
	if (p->elf && kdump_direct_left_out(p->elf, fa.addr))
		return 0;
	unsigned char bit = 1;
	uint64_t pfn = fa.addr / p->page_size;
	if (p->pages && kdump_bmp_get_bits(p->pages, pfn, pfn, &bit) != KDUMP_OK)
		return 1;
	if (bit & 1)
		*remembered = vpage + 1;
	return bit & 1;
}

uint64_t kdump_presence_first_missing(struct kdump_presence *p, uint64_t addr, size_t len)
{
	uint64_t end = addr + len;
	if ((!p->pages && !p->elf) || !len || end < addr)
		return end;
	for (uint64_t at = addr; at < end;) {
		if (!page_held(p, at))
			return at;
		uint64_t next = (at | (p->page_size - 1)) + 1;
		if (next <= at)
			break;
		at = next;
	}
	return end;
}
