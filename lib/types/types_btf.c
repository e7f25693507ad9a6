/* types_btf.c — the BTF type finder on libbpf (Debian 12: 1.1.2; Debian 13:
 * 1.5). Every libbpf call of the project lives in this file.
 *
 * One finder holds vmlinux's BTF (blobs[0]) and any number of modules'
 * split BTF on it. A module's own types are the ids from btf__type_cnt(base)
 * on; each blob gets a name index of the types (and enumerators) it
 * defines, built once, when a question first reaches it. Names are looked
 * up blob by blob, modules first and vmlinux last, so the finder answers
 * exactly as the chain of DWARF finders (module debug files first, vmlinux
 * last) does; the walk over members, arrays, typedefs and bitfields mirrors
 * types_libdwarf.c step by step, down to the type names it reports.
 *
 * The blobs come from a crash dump's memory: libbpf checks the header,
 * string and type sections on load, and everything after that is checked
 * again here (type ids in range, bounded typedef chains, array nesting,
 * anonymous members, a budget of members visited per question).
 */
#include "types/types.h"

#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "base/elf_file.h"
#include "base/strmap.h"
#include "types/type_path.h"

#define MAX_TYPE_DEPTH 64          /* typedef/qualifier chains, as DWARF */
#define MAX_ANON_DEPTH 8           /* nested anonymous struct/union members */
#define MAX_MEMBER_VISITS (1u << 20) /* members looked at for one step */
#define MAX_BLOBS 64

/* One blob: its libbpf handle and the index of what it defines. */
struct bt_blob {
	char name[64];
	struct btf *btf;           /* split on blobs[0] for modules */
	uint32_t first_id;         /* 1 for vmlinux, btf__type_cnt(base) for modules */
	uint32_t end_id;           /* btf__type_cnt(btf) */
	/* Keys: "s:" struct, "u:" union, "t:" typedef, "e:" enum, "b:" base
	 * type → b = type id; "E:" enumerator → a = value. NULL until built. */
	struct ct_strmap *index;
};

struct bt_finder {
	struct bt_blob blobs[MAX_BLOBS]; /* [0] vmlinux */
	unsigned n;
	unsigned flags;
};

/* A type reached: the blob whose handle resolves it, its id and record
 * (t NULL: void, or nothing usable). */
struct bt_type {
	const struct btf *btf;
	uint32_t id;
	const struct btf_type *t;
};

/* ---- small type helpers ------------------------------------------------- */

static struct bt_type bt_get(const struct btf *btf, uint32_t id)
{
	struct bt_type r = { btf, id, NULL };
	if (id == 0 || id >= btf__type_cnt(btf))
		return r;
	r.t = btf__type_by_id(btf, id);
	return r;
}

static const char *bt_name(const struct btf *btf, const struct btf_type *t)
{
	const char *n = t->name_off ? btf__name_by_offset(btf, t->name_off) : NULL;
	return n && *n ? n : NULL;
}

/* What DWARF calls a qualifier: typedef, const, volatile, restrict (and
 * BTF's type tags, which DWARF carries as attributes). */
static int is_qualifier(const struct btf_type *t)
{
	return t && (btf_is_typedef(t) || btf_is_const(t) || btf_is_volatile(t) ||
		     btf_is_restrict(t) || btf_is_type_tag(t));
}

/* Follow typedefs and qualifiers (t NULL past MAX_TYPE_DEPTH, as DWARF). */
static struct bt_type strip(struct bt_type x)
{
	for (int i = 0; x.t && i < MAX_TYPE_DEPTH; i++) {
		if (!is_qualifier(x.t))
			return x;
		x = bt_get(x.btf, x.t->type);
	}
	x.t = NULL;
	return x;
}

static enum ct_type_kind kind_of(const struct btf_type *t)
{
	if (!t)
		return CT_KIND_OTHER;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT: return CT_KIND_BASE;
	case BTF_KIND_PTR: return CT_KIND_POINTER;
	case BTF_KIND_STRUCT: return CT_KIND_STRUCT;
	case BTF_KIND_UNION: return CT_KIND_UNION;
	case BTF_KIND_ARRAY: return CT_KIND_ARRAY;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64: return CT_KIND_ENUM;
	case BTF_KIND_FWD: return btf_kflag(t) ? CT_KIND_UNION : CT_KIND_STRUCT;
	default: return CT_KIND_OTHER;
	}
}

/* A readable name of a declared type, worded as types_libdwarf.c's. */
static void describe_type(struct bt_type x, char *buf, size_t size)
{
	const struct btf_type *t = x.t;
	const char *prefix = "";
	if (!t) {
		snprintf(buf, size, "void");
		return;
	}
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT: prefix = "struct "; break;
	case BTF_KIND_UNION: prefix = "union "; break;
	case BTF_KIND_FWD: prefix = btf_kflag(t) ? "union " : "struct "; break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64: prefix = "enum "; break;
	case BTF_KIND_PTR: snprintf(buf, size, "pointer"); return;
	case BTF_KIND_ARRAY: snprintf(buf, size, "array"); return;
	default: break;
	}
	const char *n = bt_name(x.btf, t);
	snprintf(buf, size, "%s%s", prefix, n ? n : "(anonymous)");
}

/* Size of an already stripped type, as DWARF's type_size: pointers 8,
 * sized kinds their size, arrays count * element. -1 when it has none. */
static int type_size(struct bt_type x, uint64_t *size, int depth)
{
	const struct btf_type *t = x.t;
	if (!t || depth > MAX_TYPE_DEPTH)
		return -1;
	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
		*size = 8;
		return 0;
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		*size = t->size;
		return 0;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_array(t);
		uint64_t elem;
		struct bt_type et = strip(bt_get(x.btf, a->type));
		if (type_size(et, &elem, depth + 1) != 0)
			return -1;
		if (elem && a->nelems > UINT64_MAX / elem)
			return -1;
		*size = a->nelems * elem;
		return 0;
	}
	default:
		return is_qualifier(t) ? type_size(strip(x), size, depth + 1) : -1;
	}
}

/* ---- the name index ------------------------------------------------------- */

static int index_add(struct ct_strmap *m, const char *prefix, const char *name,
		     uint64_t a, uint64_t b)
{
	return ct_strmap_add_joined(m, prefix, name, (struct ct_strmap_value){ a, b });
}

/* Enumerators; signedness per kind_flag (BTF_KIND_ENUM's values are 32-bit). */
static int index_enumerators(struct ct_strmap *m, const struct btf *btf,
			     const struct btf_type *t)
{
	unsigned vlen = btf_vlen(t);
	for (unsigned i = 0; i < vlen; i++) {
		uint32_t name_off;
		int64_t v;
		if (btf_is_enum(t)) {
			const struct btf_enum *e = &btf_enum(t)[i];
			name_off = e->name_off;
			v = btf_kflag(t) ? (int64_t)e->val : (int64_t)(uint32_t)e->val;
		} else {
			const struct btf_enum64 *e = &btf_enum64(t)[i];
			name_off = e->name_off;
			v = (int64_t)btf_enum64_value(e);
		}
		const char *n = btf__name_by_offset(btf, name_off);
		if (n && *n && index_add(m, "E:", n, (uint64_t)v, 0) < 0)
			return -1;
	}
	return 0;
}

static const char *index_prefix(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT: return "s:";
	case BTF_KIND_UNION: return "u:";
	case BTF_KIND_TYPEDEF: return "t:";
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64: return "e:";
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT: return "b:";
	default: return NULL; /* FWD is a declaration, never a definition */
	}
}

/* Index the ids this blob defines; the first definition of a name wins. */
static ct_status build_index(struct bt_blob *b, struct ct_error *err)
{
	b->index = ct_strmap_new();
	if (!b->index)
		return ct_fail(err, CT_ERR_NOMEM, "out of memory indexing the BTF of %s",
			       b->name);
	for (uint32_t id = b->first_id; id < b->end_id; id++) {
		const struct btf_type *t = btf__type_by_id(b->btf, id);
		const char *prefix = t ? index_prefix(t) : NULL;
		if (!prefix)
			continue;
		if (btf_is_any_enum(t) && index_enumerators(b->index, b->btf, t) < 0)
			goto nomem;
		const char *n = bt_name(b->btf, t);
		if (n && index_add(b->index, prefix, n, 0, id) < 0)
			goto nomem;
	}
	return CT_OK;
nomem:
	return ct_fail(err, CT_ERR_NOMEM, "out of memory indexing the BTF of %s", b->name);
}

/* The blobs in question order: modules first, then vmlinux unless
 * CT_BTF_MODULES_ONLY. NULL past the last. */
static struct bt_blob *blob_at(struct bt_finder *f, unsigned i)
{
	if (i + 1 < f->n)
		return &f->blobs[i + 1];
	if (i + 1 == f->n && !(f->flags & CT_BTF_MODULES_ONLY))
		return &f->blobs[0];
	return NULL;
}

/* key in blob b's index (built on first use). */
static ct_status lookup(struct bt_blob *b, const char *key,
			const struct ct_strmap_value **v, struct ct_error *err)
{
	if (!b->index) {
		ct_status st = build_index(b, err);
		if (st)
			return st;
	}
	*v = ct_strmap_get(b->index, key, strlen(key));
	return CT_OK;
}

/* A named type: struct/union tag, else typedef, enum or base, as DWARF's
 * find_type, in the first blob that defines one. */
static ct_status find_type(struct bt_finder *f, enum ct_path_root_kind kind,
			   const char *name, struct bt_type *out, struct ct_error *err)
{
	static const char *const any[] = { "s:", "u:", "t:", "e:", "b:", NULL };
	static const char *const st[] = { "s:", NULL };
	static const char *const un[] = { "u:", NULL };
	const char *const *prefixes =
		kind == CT_ROOT_STRUCT ? st : kind == CT_ROOT_UNION ? un : any;
	struct bt_blob *b;
	for (unsigned i = 0; (b = blob_at(f, i)); i++) {
		for (const char *const *p = prefixes; *p; p++) {
			char key[CT_NAME_MAX + 4];
			const struct ct_strmap_value *v;
			snprintf(key, sizeof(key), "%s%s", *p, name);
			ct_status s = lookup(b, key, &v, err);
			if (s)
				return s;
			if (!v)
				continue;
			*out = bt_get(b->btf, (uint32_t)v->b);
			return CT_OK;
		}
	}
	return ct_fail(err, CT_ERR_NOTFOUND, "the BTF has no type %s", name);
}

/* ---- member lookup -------------------------------------------------------- */

/* Where a member was found: the struct/union holding it (agg), its index,
 * and the byte offset of agg from the type searched. */
struct bt_found {
	struct bt_type agg;
	unsigned index;
	uint64_t agg_off;
	unsigned visits;  /* budget against hostile anonymous-member fans */
};

/* Search agg's members for name, looking through anonymous struct/union
 * members. Returns 1 found, 0 not. */
static int find_member(struct bt_type agg, const char *name, struct bt_found *fd,
		       uint64_t base, int depth)
{
	if (depth > MAX_ANON_DEPTH || !agg.t || !btf_is_composite(agg.t))
		return 0;
	const struct btf_member *m = btf_members(agg.t);
	unsigned vlen = btf_vlen(agg.t);
	for (unsigned i = 0; i < vlen; i++) {
		if (++fd->visits > MAX_MEMBER_VISITS)
			return 0;
		const char *n = m[i].name_off ? btf__name_by_offset(agg.btf, m[i].name_off) : NULL;
		if (n && *n) {
			if (strcmp(n, name) == 0) {
				fd->agg = agg;
				fd->index = i;
				fd->agg_off = base;
				return 1;
			}
			continue;
		}
		struct bt_type sub = strip(bt_get(agg.btf, m[i].type));
		uint64_t loc = btf_member_bit_offset(agg.t, i) / 8;
		if (sub.t && btf_is_composite(sub.t) &&
		    find_member(sub, name, fd, base + loc, depth + 1))
			return 1;
	}
	return 0;
}

/* The bit size and bit position (from agg's start) of a member: kind_flag
 * encodes bitfields in the member, else (old BTF) in an INT's encoding. */
static uint32_t member_bits(struct bt_type agg, unsigned i, struct bt_type declared,
			    uint64_t *bit_off)
{
	*bit_off = btf_member_bit_offset(agg.t, i);
	if (btf_kflag(agg.t))
		return btf_member_bitfield_size(agg.t, i);
	if (declared.t && btf_is_int(declared.t) &&
	    btf_int_bits(declared.t) != declared.t->size * 8u) {
		*bit_off += btf_int_offset(declared.t);
		return btf_int_bits(declared.t);
	}
	return 0;
}

/* Where a member path has got to: cur is the (stripped) type reached,
 * offset counts from the root. */
struct path_walk {
	const char *text;
	struct bt_type cur;
	uint64_t offset;
	struct ct_member *out;
};

/* A step "[i]": cur must be an array; it becomes the element type. */
static ct_status step_index(struct path_walk *w, uint64_t index, struct ct_error *err)
{
	uint64_t elem;
	if (!w->cur.t || !btf_is_array(w->cur.t))
		return ct_fail(err, CT_ERR_NOTFOUND, "%s: indexing a non-array", w->text);
	const struct btf_array *a = btf_array(w->cur.t);
	struct bt_type et = strip(bt_get(w->cur.btf, a->type));
	if (type_size(et, &elem, 0) != 0)
		return ct_fail(err, CT_ERR_CORRUPT, "%s: array without element size",
			       w->text);
	if (a->nelems && index >= a->nelems) /* 0: flexible */
		return ct_fail(err, CT_ERR_NOTFOUND, "%s: index %llu beyond %llu elements",
			       w->text, (unsigned long long)index,
			       (unsigned long long)a->nelems);
	w->offset += index * elem;
	w->cur = et;
	struct ct_member *out = w->out;
	out->bit_size = 0;
	out->bit_offset = 0;
	out->size = elem;
	out->array_count = 0;
	out->kind = kind_of(et.t);
	describe_type(et, out->type_name, sizeof(out->type_name));
	return CT_OK;
}

/* A step ".name": cur must be a struct or union; it becomes the member's
 * type, and out describes the member. */
static ct_status step_member(struct path_walk *w, const char *name, struct ct_error *err)
{
	if (!w->cur.t || !btf_is_composite(w->cur.t))
		return ct_fail(err, CT_ERR_NOTFOUND, "%s: .%s applied to a non-struct",
			       w->text, name);
	struct bt_found fd = { .visits = 0 };
	if (!find_member(w->cur, name, &fd, 0, 0))
		return ct_fail(err, CT_ERR_NOTFOUND, "no member %s in %s", name, w->text);
	const struct btf_member *m = &btf_members(fd.agg.t)[fd.index];
	struct bt_type declared = bt_get(fd.agg.btf, m->type);
	uint64_t bit_off;
	uint32_t bits = member_bits(fd.agg, fd.index, declared, &bit_off);
	struct ct_member *out = w->out;
	memset(out, 0, sizeof(*out));
	describe_type(declared, out->type_name, sizeof(out->type_name));
	w->cur = strip(declared);
	if (w->cur.t) {
		out->kind = kind_of(w->cur.t);
		if (type_size(w->cur, &out->size, 0) != 0)
			out->size = 0;
		if (out->kind == CT_KIND_ARRAY)
			out->array_count = btf_array(w->cur.t)->nelems;
	}
	if (bits) {
		uint64_t abs_bit = (w->offset + fd.agg_off) * 8 + bit_off;
		out->bit_size = bits;
		out->offset = abs_bit / 8;
		out->bit_offset = (uint32_t)(abs_bit % 8);
		w->offset = out->offset;
	} else {
		w->offset += fd.agg_off + bit_off / 8;
		out->offset = w->offset;
	}
	return CT_OK;
}

/* ---- the finder's answers ------------------------------------------------ */

static ct_status bt_member(void *arg, const char *text, const struct ct_path *p,
			   struct ct_member *out, int *knows_root, struct ct_error *err)
{
	struct bt_type root;
	ct_status st = find_type(arg, p->root_kind, p->root, &root, err);
	if (st)
		return st;
	*knows_root = 1;
	struct path_walk w = { text, strip(root), 0, out };
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < p->nsteps && st == CT_OK; i++) {
		const struct ct_path_step *s = &p->steps[i];
		st = s->is_index ? step_index(&w, s->index, err)
				 : step_member(&w, s->name, err);
	}
	if (st == CT_OK)
		out->offset = w.offset;
	return st;
}

static ct_status bt_sizeof(void *arg, const char *text, const struct ct_path *p,
			   uint64_t *size, struct ct_error *err)
{
	struct bt_type x;
	ct_status st = find_type(arg, p->root_kind, p->root, &x, err);
	if (st)
		return st;
	if (type_size(strip(x), size, 0) != 0)
		return ct_fail(err, CT_ERR_CORRUPT, "type %s has no size", text);
	return CT_OK;
}

static ct_status bt_enum_value(void *arg, const char *enumerator, int64_t *value,
			       struct ct_error *err)
{
	struct bt_finder *f = arg;
	char key[CT_NAME_MAX + 4];
	snprintf(key, sizeof(key), "E:%s", enumerator);
	struct bt_blob *b;
	for (unsigned i = 0; (b = blob_at(f, i)); i++) {
		const struct ct_strmap_value *v;
		ct_status st = lookup(b, key, &v, err);
		if (st)
			return st;
		if (v) {
			*value = (int64_t)v->a;
			return CT_OK;
		}
	}
	return ct_fail(err, CT_ERR_NOTFOUND, "the BTF has no enumerator %s", enumerator);
}

static void bt_stats(const void *arg, struct ct_types_stats *sum)
{
	const struct bt_finder *f = arg;
	sum->files += f->n;
	for (unsigned i = 0; i < f->n; i++)
		if (f->blobs[i].index)
			sum->dies_indexed += ct_strmap_count(f->blobs[i].index);
}

static void bt_free(void *arg)
{
	struct bt_finder *f = arg;
	/* Split BTF before its base. */
	for (unsigned i = f->n; i-- > 0;) {
		btf__free(f->blobs[i].btf);
		ct_strmap_free(f->blobs[i].index);
	}
	free(f);
}

static const struct ct_type_finder_ops btf_ops = {
	.size_of = bt_sizeof,
	.member = bt_member,
	.enum_value = bt_enum_value,
	.stats = bt_stats,
	.free = bt_free,
};

/* ---- loading --------------------------------------------------------------- */

/* libbpf reports why it refuses a blob on its print hook, by default on
 * stderr; while we load, that goes nowhere (errno says enough). */
static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* Split BTF from memory. btf__new_split is declared by libbpf 1.1's btf.h
 * but not exported by its shared library (1.2 and later export it); what
 * every version has is btf__parse_raw_split, which reads a file: the blob
 * goes through an anonymous in-memory file. *btf NULL (errno set) when
 * libbpf refuses the blob; CT_ERR_IO when it cannot be handed over. */
static ct_status new_split(const struct ct_btf_blob *in, struct btf *base,
			   struct btf **btf, struct ct_error *err)
{
#ifdef CTLEAK_HAVE_BTF_NEW_SPLIT /* the Makefile's link probe */
	(void)err;
	errno = 0;
	*btf = btf__new_split(in->data, (uint32_t)in->size, base);
	if (!*btf && !errno)
		errno = EINVAL;
	return CT_OK;
#else
	char path[64];
	int fd = memfd_create("ctleak-btf", MFD_CLOEXEC);
	size_t done = 0;
	while (fd >= 0 && done < in->size) {
		ssize_t k = write(fd, in->data + done, in->size - done);
		if (k <= 0)
			break;
		done += (size_t)k;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (fd < 0 || done != in->size || access(path, R_OK) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return ct_fail(err, CT_ERR_IO, "cannot hand the BTF of %s to libbpf "
			       "through a memfd in /proc/self/fd: %s", in->name, strerror(e));
	}
	errno = 0;
	*btf = btf__parse_raw_split(path, base);
	int e = errno;
	close(fd);
	errno = *btf ? 0 : (e ? e : EINVAL);
	return CT_OK;
#endif
}

static ct_status load_blob(struct bt_finder *f, const struct ct_btf_blob *in,
			   struct ct_error *err)
{
	struct bt_blob *b = &f->blobs[f->n];
	struct btf *base = f->n ? f->blobs[0].btf : NULL;
	snprintf(b->name, sizeof(b->name), "%s", in->name[0] ? in->name : "(unnamed)");
	if (!in->data || in->size == 0 || in->size > CT_BTF_MAX_SIZE)
		return ct_fail(err, CT_ERR_CORRUPT, "the BTF of %s is not valid BTF "
			       "(%zu bytes; at most %u)", b->name, in->size,
			       CT_BTF_MAX_SIZE);
	/* libbpf checks the magic but neither the version nor the flags; the
	 * kernel's btf_parse_hdr refuses any but version 1 and flags 0, and
	 * a blob that says otherwise was read whole as version 1 before. */
	if (in->size >= 4 && (in->data[2] != BTF_VERSION || in->data[3] != 0))
		return ct_fail(err, CT_ERR_CORRUPT, "the BTF of %s is not valid BTF (version "
			       "%u, flags %#x: only version %u, flags 0 exist)", b->name,
			       in->data[2], in->data[3], BTF_VERSION);
	libbpf_print_fn_t old = libbpf_set_print(quiet);
	ct_status st = CT_OK;
	errno = 0;
	if (base)
		st = new_split(in, base, &b->btf, err);
	else
		b->btf = btf__new(in->data, (uint32_t)in->size);
	int e = errno;
	libbpf_set_print(old);
	if (st)
		return st;
	if (!b->btf)
		return ct_fail(err, CT_ERR_CORRUPT, "the BTF of %s is not valid BTF "
			       "(libbpf: %s)", b->name, strerror(e ? e : EINVAL));
	b->first_id = base ? btf__type_cnt(base) : 1;
	b->end_id = btf__type_cnt(b->btf);
	f->n++;
	return CT_OK;
}

ct_status ct_types_add_btf(struct ct_types *t, const struct ct_btf_blob *blobs, unsigned n,
			   unsigned flags, struct ct_error *err)
{
	if (n == 0 || n > MAX_BLOBS)
		return ct_fail(err, CT_ERR_USAGE, "%u BTF blobs (1 to %d: vmlinux, then modules)",
			       n, MAX_BLOBS);
	struct bt_finder *f = calloc(1, sizeof(*f));
	if (!f)
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	f->flags = flags;
	for (unsigned i = 0; i < n; i++) {
		ct_status st = load_blob(f, &blobs[i], err);
		if (st) {
			bt_free(f);
			return st;
		}
	}
	return ct_types_add_finder(t, &btf_ops, f, err);
}

/* "nf_conntrack.ko[.xz]" → "nf_conntrack"; anything else keeps its name. */
static void blob_name(const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strlen(base);
	for (const char *k = strstr(base, ".ko"); k; k = strstr(k + 1, ".ko"))
		if (k[3] == '\0' || k[3] == '.') {
			len = (size_t)(k - base);
			break;
		}
	snprintf(buf, size, "%.*s", (int)len, base);
}

ct_status ct_btf_blob_from_elf(const char *path, struct ct_btf_blob *out,
			       struct ct_error *err)
{
	struct ct_elf *elf;
	memset(out, 0, sizeof(*out));
	ct_status st = ct_elf_open(path, &elf, err);
	if (st)
		return st;
	const struct ct_elf_section *s = ct_elf_section_by_name(elf, ".BTF");
	if (!s || s->type == SHT_NOBITS || s->size == 0)
		st = ct_fail(err, CT_ERR_NOTFOUND, "%s has no BTF (.BTF section)", path);
	else if (s->flags & SHF_COMPRESSED)
		st = ct_fail(err, CT_ERR_UNSUPPORTED, "%s: its .BTF section is compressed",
			     path);
	else if (s->size > CT_BTF_MAX_SIZE || s->offset > elf->map_size ||
		 elf->map_size - s->offset < s->size)
		st = ct_fail(err, CT_ERR_CORRUPT, "%s: its .BTF section (%llu bytes) "
			     "is too large or beyond the file", path,
			     (unsigned long long)s->size);
	else if (!(out->data = malloc(s->size)))
		st = ct_fail(err, CT_ERR_NOMEM, "out of memory reading %s", path);
	if (st == CT_OK) {
		memcpy(out->data, elf->map + s->offset, s->size);
		out->size = s->size;
		blob_name(path, out->name, sizeof(out->name));
	}
	ct_elf_close(elf);
	return st;
}

/* Two FNV-1a 64 hashes with different offset bases over every blob's size
 * and bytes, in order: 32 hex digits. */
void ct_btf_identity(const struct ct_btf_blob *blobs, unsigned n, char *hex, size_t size)
{
	uint64_t h[2] = { 0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL };
	const uint64_t prime = 0x100000001b3ULL;
	for (unsigned i = 0; i < n; i++) {
		uint64_t len = blobs[i].size;
		for (int k = 0; k < 2; k++) {
			for (int j = 0; j < 8; j++)
				h[k] = (h[k] ^ ((len >> (8 * j)) & 0xff)) * prime;
			for (size_t j = 0; j < blobs[i].size; j++)
				h[k] = (h[k] ^ (blobs[i].data[j] ^ (unsigned)(k * 0x5a))) * prime;
		}
	}
	if (size)
		snprintf(hex, size, "%016llx%016llx", (unsigned long long)h[0],
			 (unsigned long long)h[1]);
}

void ct_btf_blob_free(struct ct_btf_blob *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->size = 0;
}
