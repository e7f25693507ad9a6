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

#include "base/u64map.h"
#include "walk/walk_internal.h"

#define CT_MAX_INDEXED (64u << 20)

/* nf_conn address -> its two nodes' next pointers and directions, in one
 * slot: { tuplehash[0].hnnode.next, tuplehash[1].hnnode.next, dir[0] | dir[1] << 8 }
 * (dir: tuple.dst.dir as stored). */
struct node_index {
	struct ct_u64map at;
	bool full;
};

static void index_object(struct walk *w, struct slub *s, uint64_t obj)
{
	const struct ct_kmodel *m = w->m;
	struct node_index *x = w->index;
	if (x->full)
		return;
	/* The scan hands objects over in address order, a slab's at a
	 * constant stride: the slot of the one PREFETCH_AHEAD ahead is
	 * fetched now (a guess past a slab's end costs one wasted fetch). */
	ct_u64map_prefetch(&x->at, obj + PREFETCH_AHEAD * walk_slub_stride(s));
	unsigned char buf[1024];
	uint32_t from = m->nf_conn.tuplehash[0], len = m->nf_conn.tuplehash[1] +
							 m->tuple_hash_size - from;
	struct ct_error e = { 0 };
	if (len > sizeof(buf) || ct_target_read(w->t, obj + from, buf, len, &e))
		return;
	uint64_t v[3] = { 0 };
	for (int d = 0; d < 2; d++) {
		uint32_t at = m->nf_conn.tuplehash[d] - from;
		memcpy(&v[d], buf + at + m->hnnode + m->nulls_next, 8);
		v[2] |= (uint64_t)buf[at + m->tuple + m->t.dst_dir] << (8 * d);
	}
	/* Met before: the same bytes. No room: the rest is read from the
	 * dump as before. */
	enum ct_u64map_insert r = ct_u64map_insert_words(&x->at, obj, v);
	x->full = r == CT_U64MAP_FULL || r == CT_U64MAP_NOMEM;
}

void walk_index_build(struct walk *w)
{
	w->index = calloc(1, sizeof(*w->index));
	if (!w->index)
		return;
	ct_u64map_init_words(&w->index->at, CT_MAX_INDEXED, 3);
	ct_u64map_reserve(&w->index->at, walk_expected_entries(w)); /* else grown as it fills */
	w->indexing = true;
	walk_slab(w, index_object);
	w->indexing = false;
}

bool walk_index_node(const struct walk *w, uint64_t node, unsigned *dir, uint64_t *next)
{
	const struct node_index *x = w->index;
	if (!x)
		return false;
	for (int d = 0; d < 2; d++) {
		const uint64_t *v = ct_u64map_values(&x->at, node - w->m->nf_conn.tuplehash[d]);
		if (v) {
			*next = v[d];
			*dir = (v[2] >> (8 * d)) & 0xff;
			return true;
		}
	}
	return false;
}

void walk_index_prefetch(const struct walk *w, uint64_t node)
{
	if (w->index)
		for (int d = 0; d < 2; d++)
			ct_u64map_prefetch(&w->index->at, node - w->m->nf_conn.tuplehash[d]);
}

void walk_index_free(struct walk *w)
{
	if (w->index)
		ct_u64map_free(&w->index->at);
	free(w->index);
	w->index = NULL;
}
