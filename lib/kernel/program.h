/* program.h — the kernel being read: its memory (a Target) and where its
 * symbols are (a chain of symbol finders), and what follows from both:
 * variables read by name, per-CPU bases, the possible CPUs, jiffies.
 *
 * The walker, the slab scan and the module list reader take a program;
 * the Target underneath only reads memory. A front end makes the program:
 * its Target, then its symbol finders in the order they are to be asked.
 */
#ifndef CTLEAK_PROGRAM_H
#define CTLEAK_PROGRAM_H

#include <stdint.h>

#include "symbols/symbols.h"
#include "target/target.h"

struct ct_program {
	struct ct_target *mem;  /* not owned */
	struct ct_symbols syms;
	unsigned nr_cpu_ids;    /* 0 until ct_program_possible_cpus learned it */
	/* What the front end knows makes its reads doubtful (crash --minimal),
	 * said with a failure that such reads may explain; NULL if nothing. */
	const char *read_caveat;
};

void ct_program_init(struct ct_program *p, struct ct_target *mem);
ct_status ct_program_add_symbols(struct ct_program *p, const char *name,
				 ct_symbol_find_fn find, void *arg, struct ct_error *err);

/* Runtime address of a symbol (KASLR applied). */
ct_status ct_program_symbol(const struct ct_program *p, const char *name,
			    uint64_t *addr, struct ct_error *err);
/* The value of a pointer-sized / 32-bit variable by symbol name. */
ct_status ct_program_symbol_u64(const struct ct_program *p, const char *name,
				uint64_t *v, struct ct_error *err);
ct_status ct_program_symbol_u32(const struct ct_program *p, const char *name,
				uint32_t *v, struct ct_error *err);

/* The base added to a per-CPU offset for CPU cpu: __per_cpu_offset[cpu]. */
ct_status ct_program_percpu_base(const struct ct_program *p, unsigned cpu,
				 uint64_t *base, struct ct_error *err);

/* The possible CPUs: nr_cpu_ids and __cpu_possible_mask (a plain
 * unsigned long array). mask must hold max_cpus bits; CPUs beyond
 * max_cpus are reported as CT_ERR_UNSUPPORTED rather than dropped. */
#define CT_MAX_CPUS 8192
ct_status ct_program_possible_cpus(struct ct_program *p, uint64_t *mask,
				   unsigned max_cpus, unsigned *nr_cpu_ids,
				   struct ct_error *err);

/* jiffies as the kernel last wrote it (jiffies_64, else jiffies). */
ct_status ct_program_jiffies(const struct ct_program *p, uint64_t *jiffies,
			     struct ct_error *err);

#endif
