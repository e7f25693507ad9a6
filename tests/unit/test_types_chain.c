/* test_types_chain.c — the chain of type finders (types.h) with two fake
 * finders: they are asked in the order added, CT_ERR_NOTFOUND falls
 * through to the next, any other answer (a value, a real error, a missing
 * member of a known root type) stops the chain. */
#include <stdlib.h>

#include "harness.h"
#include "types/types.h"

/* One fake finder: names it knows, a name it fails on, and a log of the
 * questions it was asked. */
struct fake {
	char tag;               /* 'A' or 'B', written to the shared log */
	const char *const *names;
	int64_t value;          /* every answer it gives */
	const char *broken;     /* asking this is a CT_ERR_CORRUPT */
	unsigned files;         /* its stats */
	int *freed;
};

static char asked[256];     /* "A:nf_conn B:nf_conn ..." */

static void note(const struct fake *f, const char *name)
{
	size_t n = strlen(asked);
	snprintf(asked + n, sizeof(asked) - n, "%s%c:%s", n ? " " : "", f->tag, name);
}

static ct_status answer(const struct fake *f, const char *name, struct ct_error *err)
{
	note(f, name);
	if (f->broken && strcmp(name, f->broken) == 0)
		return ct_fail(err, CT_ERR_CORRUPT, "%c cannot read %s", f->tag, name);
	for (const char *const *n = f->names; *n; n++)
		if (strcmp(*n, name) == 0)
			return CT_OK;
	return ct_fail(err, CT_ERR_NOTFOUND, "%c: no %s", f->tag, name);
}

static ct_status fake_sizeof(void *arg, const char *text, const struct ct_path *p,
			     uint64_t *size, struct ct_error *err)
{
	const struct fake *f = arg;
	(void)text;
	ct_status st = answer(f, p->root, err);
	if (st == CT_OK)
		*size = (uint64_t)f->value;
	return st;
}

/* Knows a root type's members only if "root.member" is among its names. */
static ct_status fake_member(void *arg, const char *text, const struct ct_path *p,
			     struct ct_member *out, int *knows_root,
			     struct ct_error *err)
{
	const struct fake *f = arg;
	ct_status st = answer(f, p->root, err);
	if (st)
		return st;
	*knows_root = 1;
	for (const char *const *n = f->names; *n; n++)
		if (strcmp(*n, text) == 0) {
			memset(out, 0, sizeof(*out));
			out->offset = (uint64_t)f->value;
			return CT_OK;
		}
	return ct_fail(err, CT_ERR_NOTFOUND, "%c: no member in %s", f->tag, text);
}

static ct_status fake_enum(void *arg, const char *name, int64_t *value,
			   struct ct_error *err)
{
	const struct fake *f = arg;
	ct_status st = answer(f, name, err);
	if (st == CT_OK)
		*value = f->value;
	return st;
}

static void fake_stats(const void *arg, struct ct_types_stats *sum)
{
	const struct fake *f = arg;
	sum->files += f->files;
	sum->cus_scanned += 10;
}

static void fake_free(void *arg)
{
	struct fake *f = arg;
	(*f->freed)++;
}

static const struct ct_type_finder_ops fake_ops = {
	.size_of = fake_sizeof,
	.member = fake_member,
	.enum_value = fake_enum,
	.stats = fake_stats,
	.free = fake_free,
};

static const char *const a_names[] = {
	"nf_conn", "nf_conn.status", "IPS_CONFIRMED_BIT", NULL,
};
static const char *const b_names[] = {
	"nf_conn", "net", "net.ct", "IPS_CONFIRMED_BIT", "IPS_DYING_BIT",
	"nf_conn.mark", NULL,
};

static void clear(void)
{
	asked[0] = '\0';
}

static void check_order_and_fallthrough(struct ct_types *t)
{
	struct ct_error err = { 0 };
	uint64_t size = 0;
	int64_t v = 0;
	struct ct_member m;

	clear();
	CHECK(ct_types_sizeof(t, "nf_conn", &size, &err) == CT_OK && size == 1,
	      "both know nf_conn: the first added answers (%" PRIu64 ")", size);
	CHECK_STR(asked, "A:nf_conn", "the second is not asked");
	clear();
	CHECK(ct_types_sizeof(t, "struct net", &size, &err) == CT_OK && size == 2,
	      "only the second knows net: it answers");
	CHECK_STR(asked, "A:net B:net", "NOTFOUND falls through in order");
	clear();
	CHECK(ct_types_enum_value(t, "IPS_DYING_BIT", &v, &err) == CT_OK && v == 2,
	      "enumerator from the second");
	CHECK_STR(asked, "A:IPS_DYING_BIT B:IPS_DYING_BIT", "enumerators fall through");
	clear();
	CHECK(ct_types_enum_value(t, "IPS_CONFIRMED_BIT", &v, &err) == CT_OK && v == 1,
	      "enumerator from the first");
	clear();
	CHECK(ct_types_member(t, "net.ct", &m, &err) == CT_OK && m.offset == 2,
	      "member of a root only the second knows");
	CHECK_STR(asked, "A:net B:net", "member: unknown root falls through");
}

static void check_stops(struct ct_types *t)
{
	struct ct_error err = { 0 };
	uint64_t size = 0;
	int64_t v = 0;
	struct ct_member m;

	clear();
	CHECK(ct_types_sizeof(t, "sk_buff", &size, &err) == CT_ERR_CORRUPT &&
	      strcmp(err.text, "A cannot read sk_buff") == 0,
	      "a real error is the answer: %s", err.text);
	CHECK_STR(asked, "A:sk_buff", "a real error stops the chain");
	clear();
	CHECK(ct_types_member(t, "nf_conn.mark", &m, &err) == CT_ERR_NOTFOUND &&
	      strstr(err.text, "A: no member"),
	      "the finder that knows the root answers for its members: %s", err.text);
	CHECK_STR(asked, "A:nf_conn", "a missing member of a known root is final");
	clear();
	CHECK(ct_types_sizeof(t, "union nowhere", &size, &err) == CT_ERR_NOTFOUND &&
	      strcmp(err.text, "no type union nowhere in the debug files") == 0,
	      "nobody knows it: %s", err.text);
	CHECK_STR(asked, "A:nowhere B:nowhere", "everybody asked");
	CHECK(ct_types_member(t, "nowhere.x", &m, &err) == CT_ERR_NOTFOUND &&
	      strcmp(err.text, "no type nowhere in the debug files") == 0,
	      "member of an unknown root: %s", err.text);
	CHECK(ct_types_enum_value(t, "NOWHERE", &v, &err) == CT_ERR_NOTFOUND &&
	      strcmp(err.text, "no enumerator NOWHERE in the debug files") == 0,
	      "unknown enumerator: %s", err.text);
	/* Malformed questions never reach a finder. */
	clear();
	CHECK(ct_types_sizeof(t, "nf_conn.status", &size, &err) == CT_ERR_USAGE,
	      "sizeof of a member path");
	CHECK(ct_types_member(t, "nf_conn", &m, &err) == CT_ERR_USAGE, "member of no path");
	CHECK(ct_types_member(t, "nf_conn[1]", &m, &err) == CT_ERR_USAGE, "index of a type");
	CHECK(ct_types_enum_value(t, "A_NAME_OF_MORE_THAN_SIXTY_FOUR_CHARACTERS_IS_NO_ENUMERATOR_AT_ALL",
				  &v, &err) == CT_ERR_USAGE, "enumerator name too long");
	CHECK_STR(asked, "", "finders not asked");
}

int main(void)
{
	struct ct_error err = { 0 };
	struct ct_types *t;
	int freed = 0;
	struct fake a = { 'A', a_names, 1, "sk_buff", 1, &freed };
	struct fake b = { 'B', b_names, 2, NULL, 2, &freed };

	CHECK(ct_types_new(&t, &err) == CT_OK, "new");
	uint64_t size;
	CHECK(ct_types_sizeof(t, "nf_conn", &size, &err) == CT_ERR_NOTFOUND,
	      "an empty chain knows nothing");
	CHECK(ct_types_add_finder(t, &fake_ops, &a, &err) == CT_OK, "add A");
	CHECK(ct_types_add_finder(t, &fake_ops, &b, &err) == CT_OK, "add B");
	/* A file no source reads adds no finder. */
	CHECK(ct_types_add_file(t, "/nonexistent/vmlinux", &err) == CT_ERR_NOTFOUND,
	      "missing file: %s", err.text);

	check_order_and_fallthrough(t);
	check_stops(t);

	struct ct_types_stats s;
	ct_types_get_stats(t, &s);
	CHECK(s.files == 3 && s.cus_scanned == 20, "stats are summed (%u files, %u CUs)",
	      s.files, s.cus_scanned);
	ct_types_free(t);
	CHECK(freed == 2, "free frees every finder (%d)", freed);

	/* A chain that is full refuses a finder, and frees it. */
	freed = 0;
	CHECK(ct_types_new(&t, &err) == CT_OK, "new");
	ct_status st = CT_OK;
	int added = 0;
	while ((st = ct_types_add_finder(t, &fake_ops, &a, &err)) == CT_OK)
		added++;
	CHECK(st == CT_ERR_USAGE && added > 1 && freed == 1,
	      "full after %d finders: %s", added, err.text);
	ct_types_free(t);
	CHECK(freed == added + 1, "all freed (%d)", freed);
	return harness_done("type finder chain");
}
