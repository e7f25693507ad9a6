/* types.c — the chain of type finders (types.h). */
#include "types/types.h"

#include <stdlib.h>
#include <string.h>

#define MAX_FINDERS 32

struct ct_type_finder {
	const struct ct_type_finder_ops *ops;
	void *arg;
};

struct ct_types {
	struct ct_type_finder finders[MAX_FINDERS];
	unsigned n;
};

/* The type sources ct_types_add_file tries, in order: a new source is one
 * more line here and its own file. */
static ct_status (*const sources[])(struct ct_types *, const char *, struct ct_error *) = {
	ct_types_add_dwarf,
};

ct_status ct_types_new(struct ct_types **out, struct ct_error *err)
{
	struct ct_types *t = calloc(1, sizeof(*t));
	if (!t)
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	*out = t;
	return CT_OK;
}

void ct_types_free(struct ct_types *t)
{
	if (!t)
		return;
	for (unsigned i = 0; i < t->n; i++)
		t->finders[i].ops->free(t->finders[i].arg);
	free(t);
}

ct_status ct_types_add_finder(struct ct_types *t, const struct ct_type_finder_ops *ops,
			      void *arg, struct ct_error *err)
{
	if (t->n == MAX_FINDERS) {
		ops->free(arg);
		return ct_fail(err, CT_ERR_USAGE, "more than %d debug files",
			       MAX_FINDERS);
	}
	t->finders[t->n++] = (struct ct_type_finder){ ops, arg };
	return CT_OK;
}

ct_status ct_types_add_file(struct ct_types *t, const char *path,
			    struct ct_error *err)
{
	struct ct_error first = { 0 };
	for (size_t i = 0; i < sizeof(sources) / sizeof(*sources); i++) {
		struct ct_error why = { 0 };
		ct_status st = sources[i](t, path, &why);
		if (st != CT_ERR_NOTFOUND) {
			if (st && err)
				*err = why;
			return st;
		}
		if (i == 0)
			first = why;
	}
	/* Nobody reads it: the first source's sentence says why. */
	if (err)
		*err = first;
	return CT_ERR_NOTFOUND;
}

static const char *root_prefix(const struct ct_path *p)
{
	return p->root_kind == CT_ROOT_STRUCT ? "struct " :
	       p->root_kind == CT_ROOT_UNION ? "union " : "";
}

static ct_status no_type(const struct ct_path *p, struct ct_error *err)
{
	return ct_fail(err, CT_ERR_NOTFOUND, "no type %s%s in the debug files",
		       root_prefix(p), p->root);
}

ct_status ct_types_sizeof(struct ct_types *t, const char *type,
			  uint64_t *size, struct ct_error *err)
{
	struct ct_path p;
	ct_status st = ct_path_parse(type, &p, err);
	if (st)
		return st;
	if (p.nsteps)
		return ct_fail(err, CT_ERR_USAGE, "\"%s\" is not a type name", type);
	for (unsigned i = 0; i < t->n; i++) {
		const struct ct_type_finder *f = &t->finders[i];
		st = f->ops->size_of(f->arg, type, &p, size, err);
		if (st != CT_ERR_NOTFOUND)
			return st;
	}
	return no_type(&p, err);
}

ct_status ct_types_member(struct ct_types *t, const char *path,
			  struct ct_member *out, struct ct_error *err)
{
	struct ct_path p;
	ct_status st = ct_path_parse(path, &p, err);
	if (st)
		return st;
	if (p.nsteps == 0 || p.steps[0].is_index)
		return ct_fail(err, CT_ERR_USAGE, "\"%s\" names no member", path);
	for (unsigned i = 0; i < t->n; i++) {
		const struct ct_type_finder *f = &t->finders[i];
		int knows_root = 0;
		st = f->ops->member(f->arg, path, &p, out, &knows_root, err);
		if (st != CT_ERR_NOTFOUND || knows_root)
			return st;
	}
	return no_type(&p, err);
}

ct_status ct_types_enum_value(struct ct_types *t, const char *enumerator,
			      int64_t *value, struct ct_error *err)
{
	if (strlen(enumerator) >= CT_NAME_MAX)
		return ct_fail(err, CT_ERR_USAGE, "enumerator name too long");
	for (unsigned i = 0; i < t->n; i++) {
		const struct ct_type_finder *f = &t->finders[i];
		ct_status st = f->ops->enum_value(f->arg, enumerator, value, err);
		if (st != CT_ERR_NOTFOUND)
			return st;
	}
	return ct_fail(err, CT_ERR_NOTFOUND, "no enumerator %s in the debug files",
		       enumerator);
}

void ct_types_get_stats(const struct ct_types *t, struct ct_types_stats *s)
{
	memset(s, 0, sizeof(*s));
	for (unsigned i = 0; i < t->n; i++)
		if (t->finders[i].ops->stats)
			t->finders[i].ops->stats(t->finders[i].arg, s);
}
