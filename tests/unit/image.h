/* image.h — building blocks of the in-memory kernel images the synthetic
 * walker tests make (test_walk_synth.c, test_slab_synth.c).
 *
 * Include it after defining the test's image as `im`, with at least a
 * `struct ct_target *t` and a `uint64_t hash_next` (where hash tables go, each
 * in a segment of its own). Uses the generation's own list types.
 */
#ifndef CTLEAK_TEST_IMAGE_H
#define CTLEAK_TEST_IMAGE_H

#include <stdio.h>
#include <stdlib.h>

#include "report/report.h"
#include "target/target_mem.h"

/* The nulls end marker of hash bucket v. */
#define NULLS(v) ((struct hlist_nulls_node *)(uintptr_t)(((uint64_t)(v) << 1) | 1))

static void *kmem(uint64_t addr, size_t len)
{
	void *p = ct_mem_ptr(im.t, addr, len);
	if (!p) {
		fprintf(stderr, "image: %#llx (+%zu) is not mapped\n", (unsigned long long)addr, len);
		abort();
	}
	return p;
}

#define K(T, addr) ((T *)kmem((addr), sizeof(T)))       /* the object at a kernel address */
#define KADDR(T, a) ((T *)(uintptr_t)(a))                /* a kernel address stored as a pointer */
#define ADDR(p) ((uint64_t)(uintptr_t)(p))

/* A hash table in a segment of its own: nothing is mapped behind it. */
static uint64_t new_hash(uint32_t size)
{
	struct ct_error err = { 0 };
	uint64_t a = im.hash_next;
	im.hash_next += 1ULL << 24;
	if (ct_mem_map(im.t, a, NULL, size * 8ULL, &err))
		abort();
	for (uint32_t i = 0; i < size; i++)
		K(struct hlist_nulls_head, a + 8ULL * i)->first = NULLS(i);
	return a;
}

static void list_init(uint64_t head)
{
	struct list_head *h = K(struct list_head, head);
	h->next = h->prev = KADDR(struct list_head, head);
}

static void list_add_tail(uint64_t node, uint64_t head)
{
	struct list_head *h = K(struct list_head, head), *n = K(struct list_head, node);
	uint64_t prev = ADDR(h->prev);
	n->next = KADDR(struct list_head, head);
	n->prev = h->prev;
	K(struct list_head, prev)->next = KADDR(struct list_head, node);
	h->prev = KADDR(struct list_head, node);
}

/* hlist_nulls_add_head: node becomes the first of the chain at head. */
static void nulls_push(uint64_t head, uint64_t node)
{
	struct hlist_nulls_head *h = K(struct hlist_nulls_head, head);
	struct hlist_nulls_node *n = K(struct hlist_nulls_node, node);
	uint64_t first = ADDR(h->first);
	n->next = h->first;
	n->pprev = KADDR(struct hlist_nulls_node *, head);
	if (!(first & 1))
		K(struct hlist_nulls_node, first)->pprev = KADDR(struct hlist_nulls_node *, node);
	h->first = KADDR(struct hlist_nulls_node, node);
}

/* &ct->tuplehash[dir].hnnode */
static uint64_t node_of(uint64_t ct, int dir)
{
	return ct + offsetof(struct nf_conn, tuplehash) +
	       (uint64_t)dir * sizeof(struct nf_conntrack_tuple_hash) +
	       offsetof(struct nf_conntrack_tuple_hash, hnnode);
}

/* The report's compact records (entry_store.h) read back and appended to
 * its full ones, so a test can index every kept entry as r->entries[i]
 * (suspects first, then the others): every record the walk kept passes
 * through the store's read-back on the way. */
static void flatten_kept(struct ct_report *r)
{
	size_t n = r->n_entries + r->listed.n;
	struct ct_entry *all = realloc(r->entries, (n ? n : 1) * sizeof(*all));
	if (!all) {
		fprintf(stderr, "image: out of memory\n");
		abort();
	}
	r->entries = all;
	r->cap_entries = n;
	struct ct_entry_store_pos pos = { 0 };
	while (r->n_entries < n && ct_entry_store_next(&r->listed, &pos, &all[r->n_entries]))
		r->n_entries++;
	ct_entry_store_free(&r->listed);
}

#endif
