/* modsyms.h — symbols of the modules loaded in the dumped kernel.
 *
 * nf_conntrack is a module almost everywhere, and its variables
 * (nf_conntrack_hash, nf_conntrack_net_id, …) are where the loader put them.
 * Read from the kernel's own module list: each LIVE module's in-memory
 * symbol table (mod->kallsyms since 4.5, mod->symtab before), whose st_value
 * is already the runtime address. Needs CONFIG_KALLSYMS_ALL for data
 * symbols (Debian, RHEL and Ubuntu set it).
 */
#ifndef CTLEAK_MODSYMS_H
#define CTLEAK_MODSYMS_H

#include "kernel/layout.h"
#include "kernel/program.h"

struct ct_modsyms;

#define CT_MAX_MODULES 10000
#define CT_MAX_MODULE_SYMBOLS 500000

/* Walk the module list of t and index every LIVE module's symbols. Problems
 * with single modules are reported through warn (may be NULL) and skipped. */
ct_status ct_modsyms_load(const struct ct_program *p, const struct ct_layout *l,
			  struct ct_modsyms **out,
			  void (*warn)(void *arg, uint64_t addr, const char *what),
			  void *warn_arg, struct ct_error *err);
ct_status ct_modsyms_lookup(const struct ct_modsyms *m, const char *name,
			    uint64_t *addr);
/* ct_modsyms_lookup as a symbol finder (symbols.h): arg is the index. */
ct_status ct_modsyms_find(void *arg, const char *name, uint64_t *addr, struct ct_error *err);
/* Is a module of that name loaded (LIVE)? */
/* Where the module list could not be followed (a sentence), or NULL: the
 * modules past that point are unknown. */
const char *ct_modsyms_broken(const struct ct_modsyms *m);
int ct_modsyms_has_module(const struct ct_modsyms *m, const char *module);
/* The struct module of a loaded module. */
ct_status ct_modsyms_module_addr(const struct ct_modsyms *m, const char *module,
				 uint64_t *addr);
void ct_modsyms_free(struct ct_modsyms *m);

#endif
