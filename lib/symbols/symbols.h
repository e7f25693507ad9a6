/* symbols.h — where the kernel's symbols are: an ordered chain of finders.
 *
 * A finder answers "the runtime address of NAME" (KASLR applied) or
 * CT_ERR_NOTFOUND, which means "ask the next one". Any other status stops
 * the search: a finder that knows the name but cannot answer says so. The
 * finders are peers, asked in the order they were added:
 *   vmlinux's ELF symbol table moved by KASLR   vmlinux_syms.c
 *   crash's own symbol table                    ext/ctleak_crash.c
 *   the module list read from the dump          modsyms.c
 *   a plain table (tests)                       symtab.c
 * A new source is one file with a find function that its caller adds.
 */
#ifndef CTLEAK_SYMBOLS_H
#define CTLEAK_SYMBOLS_H

#include <stdint.h>

#include "base/ct_error.h"

typedef ct_status (*ct_symbol_find_fn)(void *arg, const char *name, uint64_t *addr,
				       struct ct_error *err);

struct ct_symbol_finder {
	const char *name;       /* "vmlinux", "modules", "crash": for messages */
	ct_symbol_find_fn find;
	void *arg;              /* not owned */
};

#define CT_MAX_SYMBOL_FINDERS 8

struct ct_symbols {
	struct ct_symbol_finder finders[CT_MAX_SYMBOL_FINDERS];
	unsigned n;
};

void ct_symbols_init(struct ct_symbols *s);
/* Append a finder: asked after those added before it. */
ct_status ct_symbols_add(struct ct_symbols *s, const char *name, ct_symbol_find_fn find,
			 void *arg, struct ct_error *err);
/* Take out every finder whose arg is arg (before arg is freed). */
void ct_symbols_remove(struct ct_symbols *s, const void *arg);
/* The first answer that is not CT_ERR_NOTFOUND; when every finder says
 * NOTFOUND, the first one's sentence. */
ct_status ct_symbols_lookup(const struct ct_symbols *s, const char *name, uint64_t *addr,
			    struct ct_error *err);

#endif
