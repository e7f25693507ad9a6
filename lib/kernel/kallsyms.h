/* kallsyms.h — the kernel's own symbol table (kallsyms), read from memory.
 *
 * 6.0+ kernels name their kallsyms tables in VMCOREINFO (kernel commit
 * 5fd8fea935a1 "vmcoreinfo: include kallsyms symbols"), at their runtime
 * addresses: with them a dump gives every symbol of vmlinux without a
 * debug vmlinux. Read once, indexed by name; a symbol finder (symbols.h)
 * like the others. The tables are hostile input: every count, length,
 * token and read is bounded, and a table that makes no sense is one
 * sentence in err.
 */
#ifndef CTLEAK_KALLSYMS_H
#define CTLEAK_KALLSYMS_H

#include <stdint.h>

#include "target/target.h"

struct ct_kallsyms;

#define CT_KALLSYMS_MAX_SYMS (4u << 20)       /* Debian's 6.12: ~190,000 */
#define CT_KALLSYMS_MAX_NAMES (64u << 20)     /* bytes of kallsyms_names */

/* Read the tables VMCOREINFO (text, NUL-terminated) names from mem.
 * CT_ERR_UNSUPPORTED when it names none (kernels before 6.0). */
ct_status ct_kallsyms_load(struct ct_target *mem, const char *vmcoreinfo,
			   struct ct_kallsyms **out, struct ct_error *err);
/* A symbol finder (symbols.h): arg is the table. Of several symbols of one
 * name, the lowest address, as the kernel's kallsyms_lookup_name. */
ct_status ct_kallsyms_find(void *arg, const char *name, uint64_t *addr,
			   struct ct_error *err);
/* How many symbols, and symbol i (in address order): its name, *addr. */
uint32_t ct_kallsyms_count(const struct ct_kallsyms *k);
const char *ct_kallsyms_symbol(const struct ct_kallsyms *k, uint32_t i, uint64_t *addr);
/* How kallsyms_offsets were read ("absolute-percpu", "base-relative",
 * "place-relative", "absolute table"): for messages and tests. */
const char *ct_kallsyms_rule(const struct ct_kallsyms *k);
void ct_kallsyms_free(struct ct_kallsyms *k);

#endif
