#include "symbols/symbols.h"

#include <string.h>

void ct_symbols_init(struct ct_symbols *s)
{
	memset(s, 0, sizeof(*s));
}

ct_status ct_symbols_add(struct ct_symbols *s, const char *name, ct_symbol_find_fn find,
			 void *arg, struct ct_error *err)
{
	if (s->n == CT_MAX_SYMBOL_FINDERS)
		return ct_fail(err, CT_ERR_UNSUPPORTED, "more than %d symbol sources",
			       CT_MAX_SYMBOL_FINDERS);
	s->finders[s->n++] = (struct ct_symbol_finder){ name, find, arg };
	return CT_OK;
}

void ct_symbols_remove(struct ct_symbols *s, const void *arg)
{
	unsigned kept = 0;
	for (unsigned i = 0; i < s->n; i++)
		if (s->finders[i].arg != arg)
			s->finders[kept++] = s->finders[i];
	s->n = kept;
}

ct_status ct_symbols_lookup(const struct ct_symbols *s, const char *name, uint64_t *addr,
			    struct ct_error *err)
{
	struct ct_error first = { 0 }, later;
	for (unsigned i = 0; i < s->n; i++) {
		struct ct_error *e = i == 0 ? &first : &later;
		ct_status st = s->finders[i].find(s->finders[i].arg, name, addr, e);
		if (st != CT_ERR_NOTFOUND) {
			if (st && err)
				*err = *e;
			return st;
		}
	}
	if (s->n == 0)
		return ct_fail(err, CT_ERR_NOTFOUND, "no symbol %s: no symbol source", name);
	if (err)
		*err = first;
	return CT_ERR_NOTFOUND;
}
