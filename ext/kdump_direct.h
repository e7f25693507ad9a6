/* kdump_direct.h — reads of an ELF dump's linearly mapped memory straight
 * from the file, beside libkdumpfile.
 *
 * Every libkdumpfile read translates its address, takes a lock and looks
 * in its cache: at three million reads (an ELF dump of a million entries)
 * that was a third of ctleak's time beyond the copying itself. But most
 * of what ctleak reads (nf_conn, slab pages, the memmap) lies in ranges
 * the kernel maps linearly (the direct map, the kernel text), and an ELF
 * dump stores physical memory in PT_LOAD segments, as is. So those reads
 * are served here: the linear ranges are libaddrxlat's own (its KV_PHYS
 * map's LINEAR methods, set up for this dump), the segments the file's
 * own, the bytes copied from a read-only mapping of the file. A read that
 * is not wholly inside one linear range and the file bytes of one segment
 * (page-table-mapped memory, a page the dump left out, a segment boundary)
 * goes to libkdumpfile as before, so every byte read is the byte
 * libkdumpfile would have read.
 */
#ifndef CTLEAK_KDUMP_DIRECT_H
#define CTLEAK_KDUMP_DIRECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libkdumpfile/kdumpfile.h>

#define KDUMP_DIRECT_RANGES 16

struct kdump_direct_range {
	uint64_t start, end;    /* kernel virtual, end inclusive */
	uint64_t off;           /* physical = virtual + off (mod 2^64) */
};

struct kdump_direct_seg {
	uint64_t start, end;    /* physical, end exclusive: the file bytes */
	uint64_t file_off;
};

struct kdump_direct {
	const unsigned char *map;       /* the dump file; NULL: no direct reads */
	size_t map_len;
	struct kdump_direct_range ranges[KDUMP_DIRECT_RANGES];
	unsigned nranges;
	struct kdump_direct_seg *segs;  /* by start, not overlapping */
	size_t nsegs;
	size_t last;                    /* the segment of the last read */
	uint64_t reads;                 /* reads served here ($CTLEAK_STATS) */
};

/* Set up for the ELF dump open at fd, read through ctx (its translation
 * set up). Nothing (every read left to libkdumpfile) when the file is no
 * 64-bit little-endian ELF, has no linear range, cannot be mapped, or
 * $CTLEAK_DIRECT_READS is 0. */
void kdump_direct_init(struct kdump_direct *d, int fd, kdump_ctx_t *ctx);
void kdump_direct_free(struct kdump_direct *d);
/* [addr, addr + len) into buf, when it lies in one linear range and the
 * file bytes of one segment: true. Else false, nothing read. */
bool kdump_direct_read(struct kdump_direct *d, uint64_t addr, void *buf, size_t len);

#endif
