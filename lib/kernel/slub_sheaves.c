/* slub_sheaves.c — the free objects SLUB caches in sheaves (6.18+).
 *
 * A sheaf is an array of free objects taken out of their slabs: each CPU
 * has a main and a spare sheaf and one of objects waiting for an RCU grace
 * period (kmem_cache.cpu_sheaves, a per-CPU pointer); each node's barn
 * keeps full sheaves on a list (kmem_cache.per_node[n].barn from 7.1,
 * kmem_cache.node[n]->barn before). An object in a sheaf is not on its
 * slab's freelist, yet it is free: a scan that ignores sheaves counts it
 * as allocated. Nothing here knows what the objects are.
 */
#include "kernel/slub.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/vec.h"

#define MAX_SHEAF_OBJECTS 4096     /* sheaf_capacity is tens of objects */
#define MAX_BARN_SHEAVES 100000    /* per barn; past it the list is corrupt */
#define MAX_FREE_OBJECTS (1u << 22)

struct collect {
	const struct ct_program *p;
	struct ct_target *t;    /* p->mem */
	const struct ct_slub_model *m;
	struct ct_vec obj;      /* uint64_t: the free objects found */
	char *why;
	size_t why_size;
	bool failed;
	uint32_t capacity;      /* the cache's sheaf_capacity, or the cap */
};

static void fail(struct collect *c, const char *fmt, unsigned long long a)
{
	if (!c->failed)
		snprintf(c->why, c->why_size, fmt, a);
	c->failed = true;
}

static bool push(struct collect *c, uint64_t obj)
{
	if (CT_VEC_PUSH(&c->obj, uint64_t, obj))
		return true;
	fail(c, "more than %llu objects in sheaves", MAX_FREE_OBJECTS);
	return false;
}

/* The objects of the sheaf at addr. */
static void sheaf(struct collect *c, uint64_t addr)
{
	uint32_t size;
	struct ct_error e = { 0 };
	if (ct_target_read_u32(c->t, addr + c->m->sheaves.size, &size, &e)) {
		fail(c, "sheaf at %#llx unreadable", (unsigned long long)addr);
		return;
	}
	/* A size past the cache's capacity would read stale slots, which
	 * still point at objects handed out since. */
	if (size > c->capacity) {
		fail(c, "sheaf at %#llx claims more objects than the cache's sheaf capacity",
		     (unsigned long long)addr);
		return;
	}
	uint64_t objs[64];
	for (uint32_t i = 0; i < size; i += 64) {
		uint32_t k = size - i < 64 ? size - i : 64;
		if (ct_target_read(c->t, addr + c->m->sheaves.objects + 8ull * i, objs, 8ull * k, &e)) {
			fail(c, "objects of the sheaf at %#llx unreadable", (unsigned long long)addr);
			return;
		}
		for (uint32_t j = 0; j < k; j++)
			if (objs[j] && !push(c, objs[j]))
				return;
	}
}

/* Every full sheaf on a barn's list (empty ones hold nothing). */
static void barn(struct collect *c, uint64_t addr)
{
	const struct ct_slub_model *m = c->m;
	uint64_t head = addr + m->sheaves.sheaves_full, node;
	struct ct_error e = { 0 };
	if (ct_target_read_u64(c->t, head, &node, &e)) {
		fail(c, "barn at %#llx unreadable", (unsigned long long)addr);
		return;
	}
	for (unsigned n = 0; node != head; n++) {
		if (n >= MAX_BARN_SHEAVES || !node) {
			fail(c, "the full sheaves of the barn at %#llx do not end",
			     (unsigned long long)addr);
			return;
		}
		sheaf(c, node - m->sheaves.barn_list);
		if (ct_target_read_u64(c->t, node, &node, &e)) {
			fail(c, "the full sheaves of the barn at %#llx are broken",
			     (unsigned long long)addr);
			return;
		}
	}
}

static void node_barns(struct collect *c, uint64_t cache)
{
	const struct ct_slub_model *m = c->m;
	uint32_t nodes = 1;
	struct ct_error e = { 0 };
	if (!m->sheaves.barn_per_node && !m->sheaves.barn_in_node)
		return;
	if (ct_program_symbol_u32(c->p, "nr_node_ids", &nodes, &e) || nodes == 0)
		nodes = 1;
	if (nodes > m->sheaves.max_nodes)
		nodes = m->sheaves.max_nodes;
	for (uint32_t n = 0; n < nodes; n++) {
		uint64_t slot = cache + m->sheaves.nodes + (uint64_t)n * m->sheaves.node_stride, b = 0;
		ct_status st;
		if (m->sheaves.barn_per_node) {
			st = ct_target_read_u64(c->t, slot + m->sheaves.barn, &b, &e);
		} else {
			uint64_t kn = 0;
			st = ct_target_read_u64(c->t, slot, &kn, &e);
			if (!st && kn)
				st = ct_target_read_u64(c->t, kn + m->sheaves.barn, &b, &e);
		}
		if (st)
			fail(c, "the barn of node %llu unreadable", (unsigned long long)n);
		else if (b)
			barn(c, b);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

bool ct_slub_sheaf_objects(const struct ct_program *p, const struct ct_slub_model *m,
			   uint64_t cache, const uint64_t *cpumask, unsigned nr_cpus,
			   struct ct_u64_sorted *out, char *why, size_t why_size)
{
	struct ct_target *t = p->mem;
	struct collect c = { .p = p, .t = t, .m = m, .why = why, .why_size = why_size,
			     .obj = CT_VEC_INIT(uint64_t, MAX_FREE_OBJECTS) };
	memset(out, 0, sizeof(*out));
	why[0] = '\0';
	if (!m->sheaves.usable)
		return true;
	uint64_t pcs;
	struct ct_error e = { 0 };
	c.capacity = MAX_SHEAF_OBJECTS;
	if (m->sheaves.has_capacity &&
	    (ct_target_read_u32(t, cache + m->sheaves.capacity, &c.capacity, &e) ||
	     c.capacity > MAX_SHEAF_OBJECTS)) {
		snprintf(why, why_size, "sheaf_capacity of the cache unreadable or not plausible");
		return false;
	}
	if (ct_target_read_u64(t, cache + m->sheaves.cpu_sheaves, &pcs, &e)) {
		snprintf(why, why_size, "cpu_sheaves of the cache unreadable");
		return false;
	}
	for (unsigned cpu = 0; pcs && cpu < nr_cpus; cpu++) {
		uint64_t base;
		if (!(cpumask[cpu / 64] >> (cpu % 64) & 1) || ct_program_percpu_base(p, cpu, &base, &e))
			continue;
		for (int k = 0; k < 3; k++) {
			uint64_t sh;
			if (k == 2 && m->sheaves.pcs[2] == m->sheaves.pcs[1])
				break;
			if (ct_target_read_u64(t, base + pcs + m->sheaves.pcs[k], &sh, &e))
				fail(&c, "the sheaves of CPU %llu unreadable", cpu);
			else if (sh)
				sheaf(&c, sh);
		}
	}
	node_barns(&c, cache);
	out->v = ct_vec_take(&c.obj, &out->n);
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_u64);
	return !c.failed;
}

void ct_u64_sorted_free(struct ct_u64_sorted *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

size_t ct_u64_sorted_lower(const struct ct_u64_sorted *s, uint64_t v)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->v[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
