/* target.h — the only way the core touches a kernel image.
 *
 * A Target is a dump (libkdumpfile), a crash session, a live /proc/kcore or an
 * in-memory image built by a test. It reads kernel virtual memory, resolves
 * symbols (vmlinux and module symbols, KASLR already applied) and tells the
 * per-CPU base of a CPU. It knows nothing of conntrack and nothing of types:
 * layouts come from the DWARF resolver (types.h).
 *
 * Reads distinguish CT_ERR_FAULT (the address is kernel memory the dump does
 * not hold: excluded page, hole) from CT_ERR_BADADDR (no such mapping).
 */
#ifndef CTLEAK_TARGET_H
#define CTLEAK_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ct_error.h"

struct ct_target;
struct ct_modsyms;

struct ct_target_ops {
	const char *kind; /* "memory", "kdumpfile", "crash", "kcore" */
	/* Read len bytes at kernel virtual address addr. On failure *done
	 * holds how many leading bytes were read before the gap. */
	ct_status (*read)(struct ct_target *t, uint64_t addr, void *buf,
			  size_t len, size_t *done, struct ct_error *err);
	/* Runtime address of a symbol (KASLR applied). */
	ct_status (*symbol)(struct ct_target *t, const char *name,
			    uint64_t *addr, struct ct_error *err);
	/* Optional: base added to a per-CPU offset for CPU cpu. NULL means
	 * the generic rule, reading __per_cpu_offset[cpu]. */
	ct_status (*percpu_base)(struct ct_target *t, unsigned cpu,
				 uint64_t *base, struct ct_error *err);
	void (*close)(struct ct_target *t);
	/* Optional: has the user asked to stop (crash's Ctrl-C)? Polled by
	 * long walks, which then end early and cleanly. */
	bool (*interrupted)(struct ct_target *t);
};

struct ct_target {
	const struct ct_target_ops *ops;
	void *impl;
	uint32_t page_size;
	char osrelease[65];     /* utsname release, "" when unknown */
	unsigned nr_cpu_ids;    /* 0 until ct_target_cpus() learned it */
	struct ct_modsyms *modsyms; /* not owned: module symbols, asked after ops->symbol */
	bool live;              /* a running kernel: memory changes under the walk */
	bool random_reads_expensive; /* a compressed dump: read in memory order when possible */
	uint64_t bytes_read;    /* statistics for the read-floor benchmark */
	uint64_t reads;
	/* Reads that met memory left out of the dump (CT_ERR_FAULT): how
	 * many, and the first address. */
	uint64_t faults, first_fault;
};

ct_status ct_target_read(struct ct_target *t, uint64_t addr, void *buf,
			 size_t len, struct ct_error *err);
ct_status ct_target_read_u64(struct ct_target *t, uint64_t addr,
			     uint64_t *v, struct ct_error *err);
ct_status ct_target_read_u32(struct ct_target *t, uint64_t addr,
			     uint32_t *v, struct ct_error *err);
ct_status ct_target_symbol(struct ct_target *t, const char *name,
			   uint64_t *addr, struct ct_error *err);
/* Read the value of a pointer-sized / 32-bit variable by symbol name. */
ct_status ct_target_symbol_u64(struct ct_target *t, const char *name,
			       uint64_t *v, struct ct_error *err);
ct_status ct_target_symbol_u32(struct ct_target *t, const char *name,
			       uint32_t *v, struct ct_error *err);

ct_status ct_target_percpu_base(struct ct_target *t, unsigned cpu,
				uint64_t *base, struct ct_error *err);

/* The possible CPUs: nr_cpu_ids and __cpu_possible_mask (a plain
 * unsigned long array). mask must hold max_cpus bits; CPUs beyond
 * max_cpus are reported as CT_ERR_UNSUPPORTED rather than dropped. */
#define CT_MAX_CPUS 8192
ct_status ct_target_possible_cpus(struct ct_target *t, uint64_t *mask,
				  unsigned max_cpus, unsigned *nr_cpu_ids,
				  struct ct_error *err);

/* jiffies as the kernel last wrote it (jiffies_64, else jiffies). */
ct_status ct_target_jiffies(struct ct_target *t, uint64_t *jiffies,
			    struct ct_error *err);

/* Poll the interrupted op (false without one). */
bool ct_target_interrupted(struct ct_target *t);

void ct_target_close(struct ct_target *t);

#endif
