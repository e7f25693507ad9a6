/* proc_kallsyms.h — the running kernel's symbols from /proc/kallsyms
 * ("ffffffffc0a01000 t nf_conntrack_hash_rnd\t[nf_conntrack]"): vmlinux's
 * and every loaded module's, at their runtime addresses, indexed by name
 * as a symbol finder (symbols.h). Only root sees the addresses (kptr_restrict): zeros mean
 * the table is of no use, and say so. */
#ifndef CTLEAK_PROC_KALLSYMS_H
#define CTLEAK_PROC_KALLSYMS_H

#include <stdint.h>

#include "base/ct_error.h"

#define CT_PROC_KALLSYMS_MAX_LINES (16u << 20)

/* Of a name given twice (static symbols of several modules), the first:
 * vmlinux's come before the modules'. */
struct ct_strmap;
ct_status ct_proc_kallsyms_load(const char *path, struct ct_strmap **out,
				struct ct_error *err);
/* A ct_symbol_find_fn; arg is the table. */
ct_status ct_proc_kallsyms_find(void *arg, const char *name, uint64_t *addr,
				struct ct_error *err);
void ct_proc_kallsyms_free(struct ct_strmap *m);

#endif
