/* symtab.h — a plain table of symbols and their addresses, as a symbol
 * finder: what tests and fuzzers give the walker instead of a vmlinux. */
#ifndef CTLEAK_SYMTAB_H
#define CTLEAK_SYMTAB_H

#include <stdint.h>

#include "base/ct_error.h"

struct ct_symtab;

struct ct_symtab *ct_symtab_new(void);
/* Add a symbol; when a name is added twice, the first answers. */
ct_status ct_symtab_add(struct ct_symtab *s, const char *name, uint64_t addr,
			struct ct_error *err);
/* A ct_symbol_find_fn (symbols.h); arg is the table. */
ct_status ct_symtab_find(void *arg, const char *name, uint64_t *addr, struct ct_error *err);
void ct_symtab_free(struct ct_symtab *s);

#endif
