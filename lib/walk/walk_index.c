/* walk_index.c — the hash nodes of every nf_conn, read in memory order.
 *
 * A hash walk visits entries in hash order, i.e. at random in memory. On a
 * compressed dump every visit of a page not in the cache decompresses it
 * again; on a mapped one every visit is a cache and TLB miss. So, before
 * the walk, one pass over the nf_conntrack slab (walk_slab's page scan)
 * reads each allocated object's two tuple-hash nodes in address order and
 * keeps their `next` pointers here; the walk then follows chains in memory
 * and reads the nf_conn themselves in address order (walk_tables.c). A
 * node the index does not know (not a slab object: a corrupt pointer, a
 * page the scan could not read, a node whose direction is not its own) is
 * read from the dump as before, which names what is wrong with it.
 *
 * The scan hands objects over in address order, so the index is a sorted
 * array, written front to back: no table to scatter into (a hash map of a
 * million keys was a fifth of an ELF run, in cache misses). A lookup goes
 * through a table of where each granule of the address range starts in
 * the array (a granule is a page, or coarser when the range is wide: the
 * table never has more entries than the array), then searches the few
 * records of that granule: two or three cache lines, not the twenty of a
 * binary search.
 */
#include <stdlib.h>
#include <string.h>

#include "base/vec.h"
#include "walk/walk_internal.h"

#define CT_MAX_INDEXED (64u << 20)

/* One nf_conn: its address and its two nodes' next pointers. Only entries
 * whose nodes say tuple.dst.dir 0 and 1 (as every real one does). */
struct index_rec {
	uint64_t ct;
	uint64_t next[2];
};

struct node_index {
	struct ct_vec recs;     /* struct index_rec, by ct ascending once built */
	bool unsorted;          /* an object came before the last one */
	/* Records of granule g ((ct - base) >> shift): first[g]..first[g + 1].
	 * NULL: no room for it, each lookup searches the whole array. */
	uint32_t *first;
	uint64_t base, granules;
	unsigned shift;
};

static void index_object(struct walk *w, struct slub *s, uint64_t obj)
{
	(void)s;
	const struct ct_kmodel *m = w->m;
	struct node_index *x = w->index;
	unsigned char buf[1024];
	uint32_t from = m->nf_conn.tuplehash[0], len = m->nf_conn.tuplehash[1] +
							 m->tuple_hash_size - from;
	struct ct_error e = { 0 };
	if (len > sizeof(buf) || ct_target_read(w->t, obj + from, buf, len, &e))
		return;
	struct index_rec r = { .ct = obj };
	for (int d = 0; d < 2; d++) {
		uint32_t at = m->nf_conn.tuplehash[d] - from;
		if (buf[at + m->tuple + m->t.dst_dir] != d)
			return;
		memcpy(&r.next[d], buf + at + m->hnnode + m->nulls_next, 8);
	}
	const struct index_rec *last = x->recs.n ? ct_vec_at(&x->recs, x->recs.n - 1) : NULL;
	if (last && last->ct >= obj)
		x->unsorted = true;
	/* No room: the rest is read from the dump as before. */
	ct_vec_push(&x->recs, &r);
}

static int by_ct(const void *a, const void *b)
{
	const struct index_rec *x = a, *y = b;
	return x->ct < y->ct ? -1 : x->ct > y->ct;
}

/* Sorted, each address once (met twice: the same bytes). */
static void index_settle(struct node_index *x)
{
	if (!x->unsorted)
		return;
	struct index_rec *r = x->recs.data;
	qsort(r, x->recs.n, sizeof(*r), by_ct);
	size_t k = 0;
	for (size_t i = 0; i < x->recs.n; i++)
		if (k == 0 || r[k - 1].ct != r[i].ct)
			r[k++] = r[i];
	x->recs.n = k;
}

/* The granule table over the sorted records (CT_MAX_INDEXED fits 32 bits). */
static void index_granules(struct node_index *x)
{
	const struct index_rec *r = x->recs.data;
	size_t n = x->recs.n;
	if (n == 0)
		return;
	uint64_t span = r[n - 1].ct - r[0].ct, most = n > 1024 ? n : 1024;
	unsigned shift = 12;
	while (shift < 63 && (span >> shift) + 1 > most)
		shift++;
	x->base = r[0].ct;
	x->shift = shift;
	x->granules = (span >> shift) + 1;
	x->first = malloc((x->granules + 1) * sizeof(*x->first));
	if (!x->first)
		return;
	size_t i = 0;
	for (uint64_t g = 0; g <= x->granules; g++) {
		while (i < n && (r[i].ct - x->base) >> shift < g)
			i++;
		x->first[g] = (uint32_t)i;
	}
}

void walk_index_build(struct walk *w)
{
	w->index = calloc(1, sizeof(*w->index));
	if (!w->index)
		return;
	struct node_index *x = w->index;
	x->recs = CT_VEC_INIT(struct index_rec, CT_MAX_INDEXED);
	ct_vec_reserve(&x->recs, walk_expected_entries(w)); /* else grown as it fills */
	w->indexing = true;
	walk_slab(w, index_object);
	w->indexing = false;
	index_settle(x);
	index_granules(x);
}

/* The first record at or after lo_ct, searched for in lo_ct's granule
 * (or the whole array without a granule table); n when there is none. */
static size_t index_lower(const struct node_index *x, uint64_t lo_ct)
{
	const struct index_rec *r = x->recs.data;
	size_t lo = 0, hi = x->recs.n;
	if (x->first) {
		if (lo_ct < x->base)
			return 0;
		uint64_t g = (lo_ct - x->base) >> x->shift;
		if (g >= x->granules)
			return x->recs.n;
		lo = x->first[g];
		hi = x->first[g + 1];
	}
	while (hi - lo > 8) {
		size_t mid = lo + (hi - lo) / 2;
		if (r[mid].ct < lo_ct)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo < hi && r[lo].ct < lo_ct) /* a few, in neighbouring lines */
		lo++;
	return lo;
}

/* A node is an entry's ORIGINAL node (the entry at node - tuplehash[0]) or
 * its REPLY node (at node - tuplehash[1], the lower address): one search
 * finds the first record at or after the lower, and the records up to the
 * higher (one, but for a corrupt dump a few) say which. */
bool walk_index_node(const struct walk *w, uint64_t node, unsigned *dir, uint64_t *next)
{
	const struct node_index *x = w->index;
	if (!x || !x->recs.n)
		return false;
	const struct index_rec *r = x->recs.data;
	uint64_t ct0 = node - w->m->nf_conn.tuplehash[0], ct1 = node - w->m->nf_conn.tuplehash[1];
	uint64_t lo_ct = ct0 < ct1 ? ct0 : ct1, hi_ct = ct0 < ct1 ? ct1 : ct0;
	const struct index_rec *found[2] = { NULL, NULL };
	for (size_t i = index_lower(x, lo_ct); i < x->recs.n && r[i].ct <= hi_ct; i++) {
		if (r[i].ct == ct0)
			found[0] = &r[i];
		if (r[i].ct == ct1)
			found[1] = &r[i];
	}
	for (int d = 0; d < 2; d++)
		if (found[d]) {
			*next = found[d]->next[d];
			*dir = (unsigned)d;
			return true;
		}
	return false;
}

void walk_index_prefetch(const struct walk *w, uint64_t node, bool records)
{
	const struct node_index *x = w->index;
	if (!x || !x->first)
		return;
	uint64_t ct = node - w->m->nf_conn.tuplehash[1];
	if (ct < x->base || (ct - x->base) >> x->shift >= x->granules)
		return;
	const uint32_t *f = &x->first[(ct - x->base) >> x->shift];
	if (!records) {
		__builtin_prefetch(f);
		return;
	}
	/* The granule's records, a few cache lines at most. */
	const unsigned char *from = (const unsigned char *)x->recs.data + f[0] * sizeof(struct index_rec);
	const unsigned char *to = (const unsigned char *)x->recs.data + f[1] * sizeof(struct index_rec);
	for (unsigned k = 0; k < 8 && from + 64 * k < to; k++)
		__builtin_prefetch(from + 64 * k);
}

void walk_index_free(struct walk *w)
{
	if (w->index) {
		ct_vec_free(&w->index->recs);
		free(w->index->first);
	}
	free(w->index);
	w->index = NULL;
}
