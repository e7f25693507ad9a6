#include "kernel/kallsyms.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strmap.h"
#include "base/vec.h"
#include "base/vmcoreinfo.h"

/* scripts/kallsyms drops names of KSYM_NAME_LEN (512) or more bytes. */
#define KSYM_NAME_LEN 512
#define MAX_EXPANDED 1024
#define TOKEN_SLACK 4096        /* bytes read past the last token's start */
#define WINDOW (64u << 10)      /* kallsyms_names is read this much at a time */

enum rule { RULE_TABLE, RULE_PERCPU, RULE_BASE, RULE_PLACE };

static const char *const rule_names[] = {
	[RULE_TABLE] = "absolute table", [RULE_PERCPU] = "absolute-percpu",
	[RULE_BASE] = "base-relative", [RULE_PLACE] = "place-relative",
};

struct ct_kallsyms {
	uint32_t n;
	uint64_t *addr;           /* n, in the tables' (address) order */
	uint32_t *name_at;        /* n: where symbol i's name starts in pool */
	struct ct_vec pool;       /* the names, NUL-terminated */
	struct ct_strmap *index;  /* name -> {i}: the first (lowest) of a name */
	enum rule rule;
};

/* What VMCOREINFO says: the tables' addresses (0: not named). */
struct tables {
	uint64_t names, num_syms, token_table, token_index;
	uint64_t offsets, relative_base, addresses;
	uint64_t base;            /* the value at relative_base */
	uint64_t stext, uts;      /* known symbols, to tell the address rule */
};

/* The tokens: token b is the NUL-terminated string at table + index[b]. */
struct tokens {
	char *table;
	size_t size;              /* bytes of table read */
	uint16_t index[256];
};

/* kallsyms_names, read WINDOW bytes at a time. */
struct stream {
	struct ct_target *t;
	uint64_t start, at;       /* the table; the window's address */
	unsigned char buf[WINDOW];
	size_t len, pos;          /* bytes in buf, next one */
};

static uint64_t symbol(const char *text, const char *name)
{
	char key[64], val[32];
	snprintf(key, sizeof(key), "SYMBOL(%s)", name);
	if (!ct_vmcoreinfo_get(text, strlen(text), key, val, sizeof(val)))
		return 0;
	return strtoull(val, NULL, 16);
}

static ct_status parse_tables(const char *text, struct tables *tb, struct ct_error *err)
{
	memset(tb, 0, sizeof(*tb));
	tb->names = symbol(text, "kallsyms_names");
	tb->num_syms = symbol(text, "kallsyms_num_syms");
	tb->token_table = symbol(text, "kallsyms_token_table");
	tb->token_index = symbol(text, "kallsyms_token_index");
	tb->offsets = symbol(text, "kallsyms_offsets");
	tb->relative_base = symbol(text, "kallsyms_relative_base");
	tb->addresses = symbol(text, "kallsyms_addresses");
	tb->stext = symbol(text, "_stext");
	tb->uts = symbol(text, "init_uts_ns");
	if (!tb->names && !tb->num_syms && !tb->token_table && !tb->token_index)
		return ct_fail(err, CT_ERR_UNSUPPORTED, "this kernel's VMCOREINFO names no kallsyms "
			       "tables (before 6.0): its symbols can come only from a debug vmlinux");
	/* 6.0's 5fd8fea935a1 left out kallsyms_num_syms (added back by a fix). */
	const char *missing = !tb->names ? "kallsyms_names" : !tb->num_syms ? "kallsyms_num_syms" :
			      !tb->token_table ? "kallsyms_token_table" :
			      !tb->token_index ? "kallsyms_token_index" :
			      !tb->offsets && !tb->addresses ? "kallsyms_offsets" : NULL;
	if (missing)
		return ct_fail(err, CT_ERR_UNSUPPORTED, "this kernel's VMCOREINFO names some kallsyms "
			       "tables but not %s: the kernel's symbol table cannot be read", missing);
	return CT_OK;
}

static ct_status read_tokens(struct ct_target *t, const struct tables *tb, struct tokens *tk,
			     struct ct_error *err)
{
	struct ct_error e;
	if (ct_target_read(t, tb->token_index, tk->index, sizeof(tk->index), &e))
		return ct_fail_at(err, e.status, e.addr, "kallsyms_token_index at %#" PRIx64
				  " cannot be read: %s", tb->token_index, e.text);
	size_t last = 0;
	for (unsigned b = 0; b < 256; b++)
		if (tk->index[b] > last)
			last = tk->index[b];
	tk->table = malloc(last + TOKEN_SLACK);
	if (!tk->table)
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	/* Its end is not published: read what is there, up to the slack. */
	if (ct_target_read_partial(t, tb->token_table, tk->table, last + TOKEN_SLACK, &tk->size,
				   &e) && tk->size == 0)
		return ct_fail_at(err, e.status, e.addr, "kallsyms_token_table at %#" PRIx64
				  " cannot be read: %s", tb->token_table, e.text);
	/* scripts/kallsyms writes the 256 tokens back to back and index[b]
	 * where token b starts: a garbled table (or index) breaks that chain,
	 * and would otherwise decode other names without a word. */
	for (unsigned b = 0; b < 256; b++) {
		size_t at = b ? tk->index[b - 1] : 0;
		const char *nul = at < tk->size ? memchr(tk->table + at, '\0', tk->size - at) : NULL;
		size_t want = b ? (nul ? (size_t)(nul - tk->table) + 1 : SIZE_MAX) : 0;
		if (tk->index[b] != want)
			return ct_fail_at(err, CT_ERR_CORRUPT, tb->token_index + 2 * b,
					  "kallsyms_token_table and kallsyms_token_index disagree at "
					  "token %u: the tables are corrupt", b);
	}
	return CT_OK;
}

/* Make bytes [pos, pos + need) of the window valid, moving it on. */
static ct_status stream_need(struct stream *s, size_t need, struct ct_error *err)
{
	if (s->pos + need <= s->len)
		return CT_OK;
	s->at += s->pos;
	memmove(s->buf, s->buf + s->pos, s->len - s->pos);
	s->len -= s->pos;
	s->pos = 0;
	if (s->at - s->start + s->len >= CT_KALLSYMS_MAX_NAMES)
		return ct_fail(err, CT_ERR_LIMIT, "kallsyms_names runs past %u MiB",
			       CT_KALLSYMS_MAX_NAMES >> 20);
	size_t done = 0;
	struct ct_error e;
	ct_status st = ct_target_read_partial(s->t, s->at + s->len, s->buf + s->len,
					      WINDOW - s->len, &done, &e);
	s->len += done;
	if (s->len < need)
		return ct_fail_at(err, st ? e.status : CT_ERR_CORRUPT, st ? e.addr : 0,
				  "kallsyms_names runs past readable memory at %#" PRIx64 "%s%s",
				  s->at + s->len, st ? ": " : "", st ? e.text : "");
	return CT_OK;
}

/* The coded length of the next name: one byte, or two when the first has
 * 0x80 set (6.1's 73bbb94466fd "kallsyms: support big kernel symbols"). */
static ct_status name_length(struct stream *s, uint32_t i, size_t *len, struct ct_error *err)
{
	ct_status st = stream_need(s, 2, err); /* a length and at least one byte */
	if (st)
		return st;
	size_t l = s->buf[s->pos++];
	if (l & 0x80)
		l = (l & 0x7f) | ((size_t)s->buf[s->pos++] << 7);
	if (l == 0 || l > KSYM_NAME_LEN)
		return ct_fail(err, CT_ERR_CORRUPT, "kallsyms name %" PRIu32 " at %#" PRIx64
			       " claims %zu bytes", i, s->at + s->pos, l);
	*len = l;
	return CT_OK;
}

/* Expand coded name i into out (the type letter, its first character,
 * dropped), as the kernel's kallsyms_expand_symbol. */
static ct_status expand(struct stream *s, const struct tokens *tk, uint32_t i, char *out,
			size_t *outlen, struct ct_error *err)
{
	size_t len = 0, n = 0;
	ct_status st = name_length(s, i, &len, err);
	if (st || (st = stream_need(s, len, err)))
		return st;
	bool first = true;
	for (size_t k = 0; k < len; k++) {
		unsigned b = s->buf[s->pos + k];
		size_t at = tk->index[b];
		const char *tok = at < tk->size ? memchr(tk->table + at, '\0', tk->size - at) : NULL;
		if (!tok)
			return ct_fail(err, CT_ERR_CORRUPT, "kallsyms name %" PRIu32 " uses token %u, "
				       "whose index %#zx runs past the token table", i, b, at);
		size_t tl = (size_t)(tok - (tk->table + at));
		const char *p = tk->table + at;
		if (first && tl) {
			p++, tl--;
			first = false;
		}
		if (n + tl >= MAX_EXPANDED)
			return ct_fail(err, CT_ERR_CORRUPT, "kallsyms name %" PRIu32 " expands past "
				       "%d bytes", i, MAX_EXPANDED);
		memcpy(out + n, p, tl);
		n += tl;
	}
	s->pos += len;
	out[n] = '\0';
	*outlen = n;
	return CT_OK;
}

static ct_status add_name(struct ct_kallsyms *k, uint32_t i, const char *name, size_t len)
{
	struct ct_vec *v = &k->pool;
	if (!ct_vec_reserve(v, v->n + len + 1))
		return CT_ERR_NOMEM;
	k->name_at[i] = (uint32_t)v->n;
	memcpy((char *)v->data + v->n, name, len + 1);
	v->n += len + 1;
	/* The tables are in address order: the first of a name is the lowest. */
	if (ct_strmap_add(k->index, name, len, (struct ct_strmap_value){ i, 0 }) < 0)
		return CT_ERR_NOMEM;
	return CT_OK;
}

/* Does the table at buf (entries of es bytes) hold marks? */
static bool marks_match(const unsigned char *buf, size_t es, const uint32_t *marks, uint32_t nm)
{
	for (uint32_t i = 0; i < nm; i++) {
		uint64_t v = 0;
		memcpy(&v, buf + es * i, es); /* little-endian, as x86_64 */
		if (v != marks[i])
			return false;
	}
	return true;
}

/* scripts/kallsyms emits kallsyms_markers, the offset in kallsyms_names of
 * every 256th name, right after the names (aligned; 4-byte entries, 8 in
 * old kernels). VMCOREINFO does not name it, and kallsyms_num_syms is
 * trusted for where the names end: markers found there, agreeing with the
 * offsets decoded, prove the count and the decoding. Without this check a
 * corrupt count too small lost the later symbols silently (and a missing
 * __start_BTF was then blamed on the kernel's configuration). */
static ct_status check_markers(struct ct_target *t, uint64_t end, const uint32_t *marks,
			       uint32_t nm, uint32_t n, struct ct_error *err)
{
	size_t want = 8 * (size_t)nm + 16, got = 0;
	unsigned char *buf = malloc(want);
	if (!buf)
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	uint64_t from = (end + 3) & ~3ull;
	struct ct_error e;
	ct_target_read_partial(t, from, buf, want, &got, &e);
	/* Nothing readable after the names (an image that ends there, as the
	 * unit tests' do): nothing to check against. */
	bool ok = got == 0;
	for (size_t es = 4; es <= 8 && !ok; es += 4)
		for (size_t pad = 0; pad < 16 && !ok; pad += 4)
			ok = pad + es * nm <= got && (es == 4 || (from + pad) % 8 == 0) &&
			     marks_match(buf + pad, es, marks, nm);
	free(buf);
	if (!ok)
		return ct_fail_at(err, CT_ERR_CORRUPT, end, "kallsyms_names does not end where "
				  "kallsyms_markers begins (at %#" PRIx64 ", after the %" PRIu32
				  " names kallsyms_num_syms says): the count or the names are corrupt",
				  end, n);
	return CT_OK;
}

static ct_status read_names(struct ct_target *t, const struct tables *tb,
			    const struct tokens *tk, struct ct_kallsyms *k, struct ct_error *err)
{
	struct stream *s = calloc(1, sizeof(*s));
	uint32_t nm = (k->n + 255) / 256;
	uint32_t *marks = calloc(nm, sizeof(*marks));
	if (!s || !marks) {
		free(s);
		free(marks);
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	}
	s->t = t;
	s->start = s->at = tb->names;
	char name[MAX_EXPANDED];
	ct_status st = CT_OK;
	for (uint32_t i = 0; i < k->n && !st; i++) {
		size_t len = 0;
		if (i % 256 == 0)
			marks[i / 256] = (uint32_t)(s->at + s->pos - s->start);
		st = expand(s, tk, i, name, &len, err);
		if (!st && add_name(k, i, name, len))
			st = ct_fail(err, CT_ERR_NOMEM, "out of memory");
	}
	if (!st)
		st = check_markers(t, s->at + s->pos, marks, nm, k->n, err);
	free(s);
	free(marks);
	return st;
}

/* The address of symbol i under rule r (raw: kallsyms_offsets[i] or
 * kallsyms_addresses[i]). */
static uint64_t address(const struct tables *tb, enum rule r, uint32_t i, uint64_t raw)
{
	int32_t off = (int32_t)(uint32_t)raw;
	switch (r) {
	case RULE_TABLE:
		return raw;
	case RULE_PERCPU:   /* CONFIG_KALLSYMS_ABSOLUTE_PERCPU (x86_64 SMP before 6.15) */
		return off >= 0 ? (uint64_t)off : tb->base - 1 - (uint64_t)(int64_t)off;
	case RULE_BASE:
		return tb->base + (uint32_t)raw;
	case RULE_PLACE:    /* "kallsyms: Get rid of kallsyms relative base" (2026) */
		return tb->offsets + 4ull * i + (uint64_t)(int64_t)off;
	}
	return 0;
}

/* Does rule r put the symbol name where VMCOREINFO says (want)? -1: the
 * check cannot be made (no such symbol, or VMCOREINFO does not say). */
static int places(const struct ct_kallsyms *k, const struct tables *tb, const uint64_t *raw,
		  enum rule r, const char *name, uint64_t want)
{
	const struct ct_strmap_value *v = ct_strmap_get(k->index, name, strlen(name));
	if (!want || !v)
		return -1;
	return address(tb, r, (uint32_t)v->a, raw[v->a]) == want;
}

/* The rule that puts _stext and init_uts_ns where VMCOREINFO says: a
 * check on the data, never on the kernel's version. */
static ct_status pick_rule(struct ct_kallsyms *k, const struct tables *tb, const uint64_t *raw,
			   struct ct_error *err)
{
	enum rule cands[3];
	unsigned nc = 0;
	if (tb->addresses) {
		cands[nc++] = RULE_TABLE;
	} else {
		if (tb->relative_base) {
			cands[nc++] = RULE_PERCPU;
			cands[nc++] = RULE_BASE;
		}
		cands[nc++] = RULE_PLACE;
	}
	bool checked = false;
	for (unsigned c = 0; c < nc; c++) {
		int a = places(k, tb, raw, cands[c], "_stext", tb->stext);
		int b = places(k, tb, raw, cands[c], "init_uts_ns", tb->uts);
		checked = checked || a >= 0 || b >= 0;
		if (a != 0 && b != 0 && (a > 0 || b > 0)) {
			k->rule = cands[c];
			return CT_OK;
		}
	}
	if (!checked)
		return ct_fail(err, CT_ERR_UNSUPPORTED, "cannot tell how this kernel's kallsyms "
			       "encode addresses: neither _stext nor init_uts_ns is both in them and "
			       "in VMCOREINFO");
	return ct_fail(err, CT_ERR_CORRUPT, "this kernel's kallsyms put _stext and init_uts_ns "
		       "where VMCOREINFO does not, under every address rule");
}

static ct_status read_addresses(struct ct_target *t, const struct tables *tb,
				struct ct_kallsyms *k, struct ct_error *err)
{
	size_t es = tb->addresses ? 8 : 4;
	uint64_t at = tb->addresses ? tb->addresses : tb->offsets;
	const char *what = tb->addresses ? "kallsyms_addresses" : "kallsyms_offsets";
	unsigned char *bytes = malloc((size_t)k->n * es);
	uint64_t *raw = calloc(k->n, sizeof(*raw));
	k->addr = calloc(k->n, sizeof(*k->addr));
	struct ct_error e;
	ct_status st = CT_OK;
	if (!bytes || !raw || !k->addr)
		st = ct_fail(err, CT_ERR_NOMEM, "out of memory");
	else if (ct_target_read(t, at, bytes, (size_t)k->n * es, &e))
		st = ct_fail_at(err, e.status, e.addr, "%s at %#" PRIx64 " (%" PRIu32 " entries) "
				"cannot be read: %s", what, at, k->n, e.text);
	for (uint32_t i = 0; !st && i < k->n; i++) {
		uint32_t v32;
		if (es == 8) {
			memcpy(&raw[i], bytes + 8 * (size_t)i, 8);
		} else {
			memcpy(&v32, bytes + 4 * (size_t)i, 4);
			raw[i] = v32;
		}
	}
	if (!st)
		st = pick_rule(k, tb, raw, err);
	for (uint32_t i = 0; !st && i < k->n; i++) {
		k->addr[i] = address(tb, k->rule, i, raw[i]);
		/* scripts/kallsyms sorts by address (the kernel's lookups bisect
		 * the table): an entry out of order is garbage, whose address
		 * would otherwise be believed. */
		if (i && k->addr[i] < k->addr[i - 1])
			st = ct_fail_at(err, CT_ERR_CORRUPT, at + es * i, "%s is corrupt: symbol %"
					PRIu32 " (%s) is at %#" PRIx64 ", below the one before it",
					what, i, (const char *)k->pool.data + k->name_at[i],
					k->addr[i]);
	}
	free(bytes);
	free(raw);
	return st;
}

static ct_status load(struct ct_target *mem, struct tables *tb, struct ct_kallsyms *k,
		      struct ct_error *err)
{
	uint32_t n;
	struct ct_error e;
	if (ct_target_read_u32(mem, tb->num_syms, &n, &e))
		return ct_fail_at(err, e.status, e.addr, "kallsyms_num_syms at %#" PRIx64
				  " cannot be read: %s", tb->num_syms, e.text);
	if (tb->relative_base && ct_target_read_u64(mem, tb->relative_base, &tb->base, &e))
		return ct_fail_at(err, e.status, e.addr, "kallsyms_relative_base at %#" PRIx64
				  " cannot be read: %s", tb->relative_base, e.text);
	if (n == 0 || n > CT_KALLSYMS_MAX_SYMS)
		return ct_fail(err, n ? CT_ERR_LIMIT : CT_ERR_CORRUPT, "kallsyms_num_syms says %"
			       PRIu32 " symbols (ctleak reads 1 to %u)", n, CT_KALLSYMS_MAX_SYMS);
	k->n = n;
	k->name_at = calloc(n, sizeof(*k->name_at));
	k->index = ct_strmap_new();
	if (!k->name_at || !k->index)
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	struct tokens tk = { 0 };
	ct_status st = read_tokens(mem, tb, &tk, err);
	if (!st)
		st = read_names(mem, tb, &tk, k, err);
	free(tk.table);
	if (!st)
		st = read_addresses(mem, tb, k, err);
	return st;
}

ct_status ct_kallsyms_load(struct ct_target *mem, const char *vmcoreinfo,
			   struct ct_kallsyms **out, struct ct_error *err)
{
	struct tables tb;
	ct_status st = parse_tables(vmcoreinfo ? vmcoreinfo : "", &tb, err);
	if (st)
		return st;
	struct ct_kallsyms *k = calloc(1, sizeof(*k));
	if (!k)
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	ct_vec_init(&k->pool, 1, CT_KALLSYMS_MAX_NAMES * 2ull);
	st = load(mem, &tb, k, err);
	if (st) {
		ct_kallsyms_free(k);
		return st;
	}
	*out = k;
	return CT_OK;
}

ct_status ct_kallsyms_find(void *arg, const char *name, uint64_t *addr, struct ct_error *err)
{
	const struct ct_kallsyms *k = arg;
	const struct ct_strmap_value *v = ct_strmap_get(k->index, name, strlen(name));
	if (!v)
		return ct_fail(err, CT_ERR_NOTFOUND, "no symbol %s in the kernel's kallsyms", name);
	*addr = k->addr[v->a];
	return CT_OK;
}

uint32_t ct_kallsyms_count(const struct ct_kallsyms *k)
{
	return k->n;
}

const char *ct_kallsyms_symbol(const struct ct_kallsyms *k, uint32_t i, uint64_t *addr)
{
	if (i >= k->n)
		return NULL;
	if (addr)
		*addr = k->addr[i];
	return (const char *)k->pool.data + k->name_at[i];
}

const char *ct_kallsyms_rule(const struct ct_kallsyms *k)
{
	return rule_names[k->rule];
}

void ct_kallsyms_free(struct ct_kallsyms *k)
{
	if (!k)
		return;
	free(k->addr);
	free(k->name_at);
	ct_vec_free(&k->pool);
	ct_strmap_free(k->index);
	free(k);
}
