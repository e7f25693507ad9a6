/* target.h — the only way the core touches a kernel image's memory.
 *
 * A Target is a dump (libkdumpfile), a crash session, a live /proc/kcore, a
 * page cache over another Target, or an in-memory image built by a test. It
 * reads kernel virtual memory and nothing else: it knows nothing of
 * symbols (symbols.h: finder chains; program.h puts the two together),
 * nothing of types (types.h) and nothing of conntrack.
 *
 * Reads distinguish CT_ERR_FAULT (the address is kernel memory the dump does
 * not hold: excluded page, hole) from CT_ERR_BADADDR (no such mapping).
 */
#ifndef CTLEAK_TARGET_H
#define CTLEAK_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/ct_error.h"

struct ct_target;

struct ct_target_ops {
	const char *kind; /* "memory", "kdumpfile", "crash", "kcore" */
	/* Read len bytes at kernel virtual address addr. On failure *done
	 * holds how many leading bytes were read before the gap. */
	ct_status (*read)(struct ct_target *t, uint64_t addr, void *buf,
			  size_t len, size_t *done, struct ct_error *err);
	void (*close)(struct ct_target *t);
	/* Optional: has the user asked to stop (crash's Ctrl-C)? Polled by
	 * long walks, which then end early and cleanly. */
	bool (*interrupted)(struct ct_target *t);
	/* Optional: a second Target on the same memory, for another thread
	 * to read through (a Target is read by one thread at a time), or
	 * NULL. Closed with ct_target_close. */
	struct ct_target *(*clone)(struct ct_target *t);
	/* Optional: [addr, addr + len) is going to be read soon. */
	void (*hint)(struct ct_target *t, uint64_t addr, size_t len);
};

struct ct_target {
	const struct ct_target_ops *ops;
	void *impl;
	uint32_t page_size;
	char osrelease[65];     /* utsname release, "" when unknown */
	bool live;              /* a running kernel: memory changes under the walk */
	uint64_t bytes_read;    /* statistics for the read-floor benchmark */
	uint64_t reads;
	uint64_t cache_hits, cache_misses; /* a page cache's (page_cache.h) */
	/* Reads that met memory left out of the dump (CT_ERR_FAULT): how
	 * many, and the first address since faults was faults_mark (a walk
	 * sets the mark when it begins: a Target outlives many walks). */
	uint64_t faults, first_fault, faults_mark;
};

ct_status ct_target_read(struct ct_target *t, uint64_t addr, void *buf,
			 size_t len, struct ct_error *err);
/* A read that may stop short: *done bytes were read before the gap. The
 * caller decides whether that suffices, so a gap is not counted in
 * faults (a table read with slack past its end, for one). */
ct_status ct_target_read_partial(struct ct_target *t, uint64_t addr, void *buf,
				 size_t len, size_t *done, struct ct_error *err);
ct_status ct_target_read_u64(struct ct_target *t, uint64_t addr,
			     uint64_t *v, struct ct_error *err);
ct_status ct_target_read_u32(struct ct_target *t, uint64_t addr,
			     uint32_t *v, struct ct_error *err);
/* [addr, addr + len) is going to be read soon: a Target that can read
 * ahead (a page cache over a compressed dump) starts on it; the others
 * ignore it. A hint never changes what a read returns. */
void ct_target_hint(struct ct_target *t, uint64_t addr, size_t len);
/* Poll the interrupted op (false without one). */
bool ct_target_interrupted(struct ct_target *t);

void ct_target_close(struct ct_target *t);

#endif
