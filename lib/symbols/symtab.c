#include "symbols/symtab.h"

#include <stdlib.h>
#include <string.h>

#include "base/vec.h"

/* A table of symbols someone typed or generated: more is a runaway. */
#define CT_SYMTAB_MAX (1u << 24)

struct entry {
	char *name;
	uint64_t addr;
};

struct ct_symtab {
	struct entry *v;
	size_t n, cap;
};

struct ct_symtab *ct_symtab_new(void)
{
	return calloc(1, sizeof(struct ct_symtab));
}

static struct entry *find(const struct ct_symtab *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return &s->v[i];
	return NULL;
}

ct_status ct_symtab_add(struct ct_symtab *s, const char *name, uint64_t addr,
			struct ct_error *err)
{
	struct entry *v = ct_grow(s->v, &s->cap, s->n, sizeof(*v), CT_SYMTAB_MAX);
	if (!v)
		return ct_fail(err, CT_ERR_NOMEM, "out of memory (or more than %u symbols)",
			       CT_SYMTAB_MAX);
	s->v = v;
	char *copy = strdup(name);
	if (!copy)
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	s->v[s->n++] = (struct entry){ copy, addr };
	return CT_OK;
}

ct_status ct_symtab_find(void *arg, const char *name, uint64_t *addr, struct ct_error *err)
{
	const struct entry *e = find(arg, name);
	if (!e)
		return ct_fail(err, CT_ERR_NOTFOUND, "no symbol %s", name);
	*addr = e->addr;
	return CT_OK;
}

void ct_symtab_free(struct ct_symtab *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	free(s);
}
