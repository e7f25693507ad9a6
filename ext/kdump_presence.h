/* kdump_presence.h — which pages a dump holds, asked before libkdumpfile is.
 *
 * libkdumpfile before 0.5.5 (Debian 12 has 0.5.1, Debian 13 0.5.4) breaks
 * its own page cache on a page the dump left out: the failed read returns
 * a cache entry to the "unused" partition, and a later read that reuses a
 * "ghost" entry then gets no data buffer (fixed by its commit e63dab4,
 * "cache: Get data buffer before adjusting ghost partition size"). A
 * compressed page then fails with "Decompresion failed: error -2", an
 * uncompressed one crashes in memcpy. Measured on makedumpfile -d 31
 * copies of the 5.10 and 6.1 leaks dumps. So no read of a left-out page
 * may reach libkdumpfile: the dump's own page bitmap (file.pagemap) is
 * asked first, at the physical address the kernel's page tables give.
 */
#ifndef CTLEAK_KDUMP_PRESENCE_H
#define CTLEAK_KDUMP_PRESENCE_H

#include <stddef.h>
#include <stdint.h>

#include <libkdumpfile/kdumpfile.h>

#include "kdump_direct.h"

/* Virtual pages found held lately, direct-mapped (page number + 1, 0 for
 * none): reads in slab order ask about the same page a few dozen times,
 * and each question is a page-table walk. A dump's mappings never change. */
#define KDUMP_PRESENCE_REMEMBERED 64

struct kdump_presence {
	addrxlat_ctx_t *ax;
	addrxlat_sys_t *sys;
	kdump_bmp_t *pages;     /* PFNs the file holds; NULL: not known */
	struct kdump_direct *elf;       /* an ELF dump's segments, or NULL */
	uint64_t page_size;
	uint64_t held[KDUMP_PRESENCE_REMEMBERED];
};

/* Set up for ctx (after its address translation is); elf (or NULL) an
 * ELF dump's own account of what it left out (kdump_direct.h), kept by
 * the caller. Without a bitmap, segments or a translation every read is
 * left to libkdumpfile, as before. */
void kdump_presence_init(struct kdump_presence *p, kdump_ctx_t *ctx, uint64_t page_size,
			 struct kdump_direct *elf);
void kdump_presence_free(struct kdump_presence *p);

/* The first address of [addr, addr + len) on a page the dump left out, or
 * addr + len when every page is there (or cannot be told). */
uint64_t kdump_presence_first_missing(struct kdump_presence *p, uint64_t addr, size_t len);

#endif
