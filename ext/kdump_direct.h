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
 *
 * The same headers say what the file left out. makedumpfile's ELF form
 * (-E) drops an excluded page from the file but not from the segment:
 * p_memsz runs past p_filesz, and libkdumpfile reads such memory as zeros
 * (as the ELF rules say). A slab page read as zeros looks like a page of
 * free objects, not like a page that is missing: kdump_direct_left_out
 * lets the presence check (kdump_presence.h) call it missing, as the
 * kdump form's page bitmap does.
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

/* A segment's file bytes [start, end) at file_off, or (a gap) what it
 * leaves out, past p_filesz up to p_memsz (file_off 0). Physical. */
struct kdump_direct_seg {
	uint64_t start, end;
	uint64_t file_off;
};

struct kdump_direct {
	const unsigned char *map;       /* the dump file; NULL: not an ELF dump we read */
	bool reads_off;                 /* $CTLEAK_DIRECT_READS=0: headers only */
	size_t map_len;
	struct kdump_direct_range ranges[KDUMP_DIRECT_RANGES];
	unsigned nranges;
	struct kdump_direct_seg *segs;  /* by start, not overlapping */
	size_t nsegs;
	struct kdump_direct_seg *gaps;  /* by start, overlaps joined */
	size_t ngaps;
	size_t last;                    /* the segment of the last read */
	uint64_t reads;                 /* reads served here ($CTLEAK_STATS) */
};

/* Set up for the ELF dump open at fd, read through ctx (its translation
 * set up). Nothing (every read left to libkdumpfile, nothing left out)
 * when the file is no 64-bit little-endian ELF or cannot be mapped; no
 * direct reads when it has no linear range or $CTLEAK_DIRECT_READS is 0. */
void kdump_direct_init(struct kdump_direct *d, int fd, kdump_ctx_t *ctx);
/* The file part of kdump_direct_init: map the ELF file at fd and read its
 * segments into d (zeroed, or with ranges already set); false, d as it
 * was, when it is no ELF dump this reads. (Tests set ranges by hand.) */
bool kdump_direct_open_file(struct kdump_direct *d, int fd);
void kdump_direct_free(struct kdump_direct *d);
/* [addr, addr + len) into buf, when it lies in one linear range and the
 * file bytes of one segment: true. Else false, nothing read. */
bool kdump_direct_read(struct kdump_direct *d, uint64_t addr, void *buf, size_t len);
/* Is the physical address pa in a segment but not in the file (past its
 * p_filesz, and in no other segment's file bytes)? */
bool kdump_direct_left_out(struct kdump_direct *d, uint64_t pa);

#endif
