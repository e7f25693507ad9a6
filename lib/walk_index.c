/* walk_index.c — the hash nodes of every nf_conn, read in memory order.
 *
 * A hash walk visits entries in hash order, i.e. at random in memory. On a
 * compressed dump every visit of a page not in the cache decompresses it
 * again: with a million entries over 500 MB of slab pages, the walk costs
 * ten times the reading of those pages. So, before the walk, one pass over
 * the nf_conntrack slab (walk_slab's page scan) reads each allocated
 * object's two tuple-hash nodes in address order and keeps their `next`
 * pointers and directions here; the walk then follows chains in memory and
 * reads the nf_conn themselves in address order (walk_tables.c). A node the
 * index does not know (not a slab object: a corrupt pointer, a page the
 * scan could not read) is read from the dump as before.
 */
#include <stdlib.h>
#include <string.h>

#include "walk_internal.h"

#define CT_MAX_INDEXED (64u << 20)

struct node_entry {
	uint64_t obj;           /* the nf_conn; 0 = empty slot */
	uint64_t next[2];       /* tuplehash[dir].hnnode.next */
	uint8_t dir[2];         /* tuplehash[dir].tuple.dst.dir as stored */
};

struct node_index {
	struct node_entry *e;
	size_t cap, n;          /* cap is a power of two */
	bool full;
};

static size_t slot_of(uint64_t obj, size_t cap)
{
	return (size_t)((obj >> 6) * 0x9e3779b97f4a7c15ULL >> 17) & (cap - 1);
}

static bool grow(struct node_index *x)
{
	size_t cap = x->cap ? x->cap * 2 : 1u << 16;
	if (cap > 2 * (size_t)CT_MAX_INDEXED)
		return false;
	struct node_entry *e = calloc(cap, sizeof(*e));
	if (!e)
		return false;
	for (size_t i = 0; i < x->cap; i++) {
		if (!x->e[i].obj)
			continue;
		size_t k = slot_of(x->e[i].obj, cap);
		while (e[k].obj)
			k = (k + 1) & (cap - 1);
		e[k] = x->e[i];
	}
	free(x->e);
	x->e = e;
	x->cap = cap;
	return true;
}

static void index_object(struct walk *w, struct slub *s, uint64_t obj)
{
	(void)s;
	const struct ct_kmodel *m = w->m;
	struct node_index *x = w->index;
	if (x->full)
		return;
	if (2 * (x->n + 1) > x->cap && !grow(x)) {
		x->full = true; /* the rest is read from the dump as before */
		return;
	}
	unsigned char buf[1024];
	uint32_t from = m->nf_conn.tuplehash[0], len = m->nf_conn.tuplehash[1] +
							 m->tuple_hash_size - from;
	struct ct_error e = { 0 };
	if (len > sizeof(buf) || ct_target_read(w->t, obj + from, buf, len, &e))
		return;
	struct node_entry n = { .obj = obj };
	for (int d = 0; d < 2; d++) {
		uint32_t at = m->nf_conn.tuplehash[d] - from;
		memcpy(&n.next[d], buf + at + m->hnnode + m->nulls_next, 8);
		n.dir[d] = buf[at + m->tuple + m->t.dst_dir];
	}
	size_t k = slot_of(obj, x->cap);
	while (x->e[k].obj && x->e[k].obj != obj)
		k = (k + 1) & (x->cap - 1);
	if (!x->e[k].obj)
		x->n++;
	x->e[k] = n;
}

void walk_index_build(struct walk *w)
{
	w->index = calloc(1, sizeof(*w->index));
	if (!w->index)
		return;
	w->indexing = true;
	walk_slab(w, index_object);
	w->indexing = false;
}

bool walk_index_node(const struct walk *w, uint64_t node, unsigned *dir, uint64_t *next)
{
	const struct node_index *x = w->index;
	if (!x || !x->n)
		return false;
	for (int d = 0; d < 2; d++) {
		uint64_t obj = node - w->m->nf_conn.tuplehash[d];
		size_t k = slot_of(obj, x->cap);
		while (x->e[k].obj) {
			if (x->e[k].obj == obj) {
				*dir = x->e[k].dir[d];
				*next = x->e[k].next[d];
				return true;
			}
			k = (k + 1) & (x->cap - 1);
		}
	}
	return false;
}

void walk_index_free(struct walk *w)
{
	if (w->index)
		free(w->index->e);
	free(w->index);
	w->index = NULL;
}
