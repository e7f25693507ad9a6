/* walk_slab.c — every allocated object of the nf_conntrack SLUB cache.
 *
 * On 5.19+ an unconfirmed entry, or a deleted one something still holds,
 * is on no list: only the allocator knows it. Slabs are found through the
 * memmap (struct page, or struct slab overlaying it from 5.17), full ones
 * included — the cache's partial lists do not hold them. An object is free
 * when it is on its slab's freelist or, for a CPU's current slab, on that
 * CPU's freelist; everything else is allocated. Contents never decide
 * liveness: the cache is SLAB_TYPESAFE_BY_RCU, so freed nf_conn keep
 * looking valid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slub.h"
#include "walk_internal.h"

#define PAGES_PER_READ 512

/* The index pass (walk_index.c) runs the same scan first: it stays silent,
 * the full scan after it reports. */
#define slab_problem(w, ...)                                        \
	do {                                                        \
		if (!(w)->indexing)                                 \
			ct_report_problem((w)->r, __VA_ARGS__);     \
	} while (0)
/* The same, for what leaves the accounting incomplete (once per text). */
#define slab_incomplete(w, ...)                                             \
	do {                                                                \
		if (!(w)->indexing)                                         \
			ct_report_incomplete((w)->r, CT_INC_SLAB_SCAN, __VA_ARGS__); \
	} while (0)
#define MAX_OBJECTS 0x7fff
#define PAGE_SHIFT_X86 12

struct cpu_slab {
	uint64_t desc;      /* struct slab / struct page of the CPU's slab */
	uint64_t freelist;  /* the CPU's lockless freelist head */
};


/* One cache being scanned. */
struct slub {
	const struct ct_kmodel *m;
	const char *name;
	slab_object_fn object;
	bool conntrack;     /* counts go to the report's slab totals */
	uint64_t cache, random, vmemmap, page_offset;
	uint32_t size, offset, red_left_pad, max_bytes;
	struct cpu_slab *cpus;
	unsigned ncpus;
	struct ct_u64_sorted sheaved; /* free objects in sheaves (6.18+) */
	bool swab;          /* 5.7+: the stored pointer's address is byte-swapped */
	bool swab_known;
};

static uint64_t rd64(const unsigned char *b, uint32_t off)
{
	uint64_t v;
	memcpy(&v, b + off, 8);
	return v;
}

/* The next free object after obj: CONFIG_SLAB_FREELIST_HARDENED stores
 * ptr ^ s->random ^ (address of the slot) — byte-swapped from 5.7
 * (1ad53d9fa3f6); plain pointers without hardening. */
static uint64_t decode(const struct slub *s, uint64_t stored, uint64_t slot, bool swab)
{
	if (!s->m->slub.has_random)
		return stored;
	return stored ^ s->random ^ (swab ? __builtin_bswap64(slot) : slot);
}

/* Index of object at addr in the slab at base, or -1. */
static long object_index(const struct slub *s, uint64_t base, uint32_t objects, uint64_t addr)
{
	uint64_t first = base + s->red_left_pad;
	if (addr < first || (addr - first) % s->size)
		return -1;
	uint64_t i = (addr - first) / s->size;
	return i < objects ? (long)i : -1;
}

/* Mark the objects of one freelist free; false when it leaves the slab. */
static bool follow_freelist(struct walk *w, struct slub *s, uint64_t base, uint32_t objects,
			    uint64_t head, unsigned char *free_map)
{
	uint64_t obj = head;
	for (uint32_t steps = 0; obj && steps <= objects; steps++) {
		long i = object_index(s, base, objects, obj);
		if (i < 0)
			return false;
		free_map[i] = 1;
		uint64_t stored, slot = obj + s->offset;
		struct ct_error e = { 0 };
		if (ct_target_read_u64(w->t, slot, &stored, &e))
			return false;
		obj = decode(s, stored, slot, s->swab);
	}
	return obj == 0;
}

static void scan_slab(struct walk *w, struct slub *s, uint64_t desc_addr,
		      const unsigned char *desc, uint64_t pfn)
{
	const struct ct_kmodel *m = w->m;
	uint32_t counters;
	memcpy(&counters, desc + m->slub.objects_byte, 4);
	uint32_t objects = (counters >> m->slub.objects_bit) & ((1u << m->slub.objects_bits) - 1);
	uint64_t base = s->page_offset + (pfn << PAGE_SHIFT_X86);
	if (objects == 0 || objects > MAX_OBJECTS ||
	    (uint64_t)objects * s->size > s->max_bytes) {
		slab_problem(w, desc_addr, "%s slab at %#llx claims %u objects: skipped",
				  s->name, (unsigned long long)base, objects);
		if (s->conntrack && !w->indexing)
			w->r->slab.unclassified_slabs++;
		return;
	}
	unsigned char free_map[MAX_OBJECTS + 1];
	memset(free_map, 0, objects);
	bool ok = follow_freelist(w, s, base, objects, rd64(desc, m->slub.freelist), free_map);
	for (unsigned c = 0; ok && c < s->ncpus; c++)
		if (s->cpus[c].desc == desc_addr)
			ok = follow_freelist(w, s, base, objects, s->cpus[c].freelist, free_map);
	/* Objects cached in sheaves left their slab's freelist, yet are free. */
	for (size_t i = ct_u64_sorted_lower(&s->sheaved, base); ok && i < s->sheaved.n &&
	     s->sheaved.v[i] < base + s->red_left_pad + (uint64_t)objects * s->size; i++) {
		long k = object_index(s, base, objects, s->sheaved.v[i]);
		if (k >= 0)
			free_map[k] = 1;
	}
	if (!ok) {
		slab_problem(w, desc_addr, "%s slab at %#llx: freelist broken, its objects "
				  "not classified", s->name, (unsigned long long)base);
		if (s->conntrack && !w->indexing)
			w->r->slab.unclassified_slabs++;
		return;
	}
	if (s->conntrack && !w->indexing) {
		w->r->slab.slabs++;
		w->r->slab.objects += objects;
	}
	for (uint32_t i = 0; i < objects && !w->stop; i++) {
		if (free_map[i])
			continue;
		if (s->conntrack && !w->indexing)
			w->r->slab.allocated++;
		s->object(w, s, base + s->red_left_pad + (uint64_t)i * s->size);
	}
}

/* Allocated nf_conn that no table or list led to: kept for walk_slab_finish,
 * after the namespaces they reveal (in teardown) have had their lists walked. */
static void conntrack_object(struct walk *w, struct slub *s, uint64_t obj)
{
	(void)s;
	if (walk_seen(w, obj))
		return;
	if (w->n_pending == w->cap_pending) {
		size_t cap = w->cap_pending ? w->cap_pending * 2 : 256;
		uint64_t *p = cap <= CT_MAX_PENDING ? realloc(w->pending, cap * sizeof(*p)) : NULL;
		if (!p) {
			walk_conn(w, obj, CT_FOUND_SLAB, -1, NULL);
			return;
		}
		w->pending = p;
		w->cap_pending = cap;
	}
	w->pending[w->n_pending++] = obj;
}

void walk_slab_discover(struct walk *w)
{
	const struct ct_kmodel *m = w->m;
	if (!m->has_ct_net)
		return;
	for (size_t i = 0; i < w->n_pending; i++) {
		uint64_t net;
		struct ct_error e = { 0 };
		if (ct_target_read_u64(w->t, w->pending[i] + m->nf_conn.ct_net, &net, &e) == CT_OK &&
		    !walk_netns_of(w, net))
			walk_cleanup_netns(w, net);
	}
}

void walk_slab_finish(struct walk *w)
{
	for (size_t i = 0; i < w->n_pending && !w->stop; i++)
		if (!walk_seen(w, w->pending[i]))
			walk_conn(w, w->pending[i], CT_FOUND_SLAB, -1, NULL);
}

/* 5.7 started byte-swapping the slot address: decide from the first
 * freelist that only one variant keeps inside its slab. */
static bool pick_swab(struct walk *w, struct slub *s, uint64_t base, uint32_t objects,
		      uint64_t head)
{
	unsigned char map[MAX_OBJECTS + 1];
	for (int v = 1; v >= 0; v--) {
		s->swab = v;
		memset(map, 0, objects);
		if (follow_freelist(w, s, base, objects, head, map))
			return true;
	}
	s->swab = true;
	return false;
}

/* A chunk of the memmap that could not be read at once, one memmap page
 * at a time: holes (not mapped) and pages the dump left out lose only the
 * struct pages that touch them, zero-filled (a zero descriptor is no slab).
 * False when nothing of the chunk was readable. */
static bool read_memmap_pieces(struct walk *w, uint64_t at, unsigned char *chunk,
			       uint64_t cnt, uint32_t ds)
{
	struct ct_report *r = w->r;
	uint64_t end = at + cnt * ds, lost = 0, excluded = 0;
	unsigned char bad[PAGES_PER_READ]; /* 0 readable, 1 hole, 2 left out of the dump */
	bool any = false;
	memset(bad, 0, cnt);
	for (uint64_t p = at; p < end;) {
		uint64_t next = (p | 4095) + 1 < end ? (p | 4095) + 1 : end;
		struct ct_error e = { 0 };
		if (ct_target_read(w->t, p, chunk + (p - at), next - p, &e) == CT_OK) {
			any = true;
		} else {
			for (uint64_t k = (p - at) / ds; k <= (next - at - 1) / ds; k++)
				if (bad[k] != 2)
					bad[k] = e.status == CT_ERR_FAULT ? 2 : 1;
		}
		p = next;
	}
	for (uint64_t k = 0; k < cnt; k++) {
		if (!bad[k])
			continue;
		memset(chunk + k * ds, 0, ds);
		lost++;
		excluded += bad[k] == 2;
	}
	r->slab.unreadable_pages += lost;
	if (!w->indexing)
		r->slab.excluded_pages += excluded;
	return any;
}

static void slub_release(struct slub *s)
{
	free(s->cpus);
	s->cpus = NULL;
	ct_u64_sorted_free(&s->sheaved);
}

/* Geometry, CPU slabs and sheaves of the cache at s->cache. */
static bool setup_cache(struct walk *w, struct slub *s, const uint64_t *cpumask, unsigned nr)
{
	const struct ct_kmodel *m = w->m;
	unsigned char hdr[512];
	struct ct_error e = { 0 };
	if (m->slub.random + 8 > sizeof(hdr) || m->slub.oo + 4 > sizeof(hdr) ||
	    m->slub.cpu_slab + 8 > sizeof(hdr) ||
	    ct_target_read(w->t, s->cache, hdr, sizeof(hdr), &e)) {
		slab_problem(w, s->cache, "slab scan: cache %s unreadable", s->name);
		return false;
	}
	uint32_t oo;
	memcpy(&s->size, hdr + m->slub.size, 4);
	memcpy(&s->offset, hdr + m->slub.offset, 4);
	memcpy(&s->red_left_pad, hdr + m->slub.red_left_pad, 4);
	memcpy(&oo, hdr + m->slub.oo, 4);
	s->random = m->slub.has_random ? rd64(hdr, m->slub.random) : 0;
	uint32_t order = oo >> 16;
	if (s->size < 8 || s->size > 65536 || s->offset > s->size || order > 10) {
		slab_problem(w, s->cache, "slab scan: cache %s geometry not plausible "
				  "(size %u, offset %u, order %u)", s->name, s->size, s->offset, order);
		return false;
	}
	s->max_bytes = 4096u << order;
	s->swab = true;
	s->swab_known = !m->slub.has_random;
	char why[160];
	if (!ct_slub_sheaf_objects(w->t, &m->slub, s->cache, cpumask, nr, &s->sheaved, why,
				   sizeof(why))) {
		slab_problem(w, s->cache, "slab scan: cache %s: %s: free objects there may be "
				  "counted as allocated", s->name, why);
		if (s->conntrack)
			slab_incomplete(w, "slab scan: cache %s: %s: free objects there may be "
					"counted as allocated", s->name, why);
	}
	s->cpus = calloc(nr ? nr : 1, sizeof(*s->cpus));
	uint64_t pcpu = m->slub.has_cpu_slab ? rd64(hdr, m->slub.cpu_slab) : 0;
	for (unsigned c = 0; pcpu && s->cpus && c < nr; c++) {
		uint64_t b;
		if (!(cpumask[c / 64] >> (c % 64) & 1) || ct_target_percpu_base(w->t, c, &b, &e))
			continue;
		struct cpu_slab *cs = &s->cpus[s->ncpus];
		if (ct_target_read_u64(w->t, b + pcpu + m->slub.cpu_freelist, &cs->freelist, &e) ||
		    ct_target_read_u64(w->t, b + pcpu + m->slub.cpu_desc, &cs->desc, &e))
			continue;
		if (cs->desc)
			s->ncpus++;
	}
	return s->cpus != NULL;
}

/* The name of a cache: read up to the end of its page when the whole
 * buffer cannot be (a string may end just before unreadable memory). */
static bool cache_name(struct walk *w, uint64_t cache, char *buf, size_t size)
{
	uint64_t p;
	struct ct_error e = { 0 };
	memset(buf, 0, size);
	if (ct_target_read_u64(w->t, cache + w->m->slub.cache_name, &p, &e))
		return false;
	if (ct_target_read(w->t, p, buf, size - 1, &e) == CT_OK)
		return true;
	memset(buf, 0, size);
	uint64_t room = 4096 - (p & 4095);
	return ct_target_read(w->t, p, buf, room < size - 1 ? room : size - 1, &e) == CT_OK;
}

/* Every kmem_cache of slab_caches, in order: fn returns true to stop. */
static uint64_t for_each_cache(struct walk *w, bool (*fn)(uint64_t cache, const char *name,
							   void *ctx), void *ctx)
{
	const struct ct_kmodel *m = w->m;
	uint64_t head, node;
	struct ct_error e = { 0 };
	if (!m->slub.has_cache_list || ct_target_symbol(w->t, "slab_caches", &head, &e) ||
	    ct_target_read_u64(w->t, head, &node, &e))
		return 0;
	for (unsigned n = 0; node != head && n < 100000; n++) {
		uint64_t cache = node - m->slub.cache_list;
		char buf[64];
		/* A cache whose name cannot be read is skipped, not the rest. */
		if (cache_name(w, cache, buf, sizeof(buf)) && fn(cache, buf, ctx))
			return cache;
		if (ct_target_read_u64(w->t, node, &node, &e))
			return 0;
	}
	return 0;
}

static bool name_is(uint64_t cache, const char *name, void *ctx)
{
	(void)cache;
	return strcmp(name, ctx) == 0;
}

/* The kmem_cache named name, from slab_caches; 0 when there is none. */
static uint64_t cache_by_name(struct walk *w, const char *name)
{
	return for_each_cache(w, name_is, (void *)name);
}

/* Before 4.7: every per-netns conntrack cache, "nf_conntrack_%p" of its
 * struct net — also of the namespaces already off net_namespace_list. */
struct netns_caches {
	struct slub *caches;
	unsigned *n, cap;
	const struct ct_kmodel *m;
};

static bool add_netns_cache(uint64_t cache, const char *name, void *ctx)
{
	struct netns_caches *nc = ctx;
	static const char prefix[] = "nf_conntrack_";
	if (strncmp(name, prefix, sizeof(prefix) - 1) != 0 ||
	    strspn(name + sizeof(prefix) - 1, "0123456789abcdef") != strlen(name + sizeof(prefix) - 1) ||
	    !name[sizeof(prefix) - 1])
		return false;
	for (unsigned i = 0; i < *nc->n; i++)
		if (nc->caches[i].cache == cache)
			return false;
	if (*nc->n < nc->cap)
		nc->caches[(*nc->n)++] = (struct slub){ .m = nc->m, .name = "nf_conntrack (per netns)",
						       .object = conntrack_object, .conntrack = true,
						       .cache = cache };
	return false;
}

/* An skb of the skb caches: remember which conntrack entry it holds. */
static void skb_object(struct walk *w, struct slub *s, uint64_t obj)
{
	walk_note_skb(w, obj);
	/* skbuff_fclone_cache objects hold two skbs back to back. */
	if (s->conntrack == false && s->size >= 2 * w->m->skbinfo.size &&
	    strcmp(s->name, "skbuff_fclone_cache") == 0)
		walk_note_skb(w, obj + w->m->skbinfo.size);
}

/* An expectation holds a reference on its master entry. */
static void expect_object(struct walk *w, struct slub *s, uint64_t obj)
{
	(void)s;
	uint64_t master;
	struct ct_error e = { 0 };
	if (ct_target_read_u64(w->t, obj + w->m->expect_master, &master, &e) == CT_OK)
		walk_note_master(w, obj, master, true);
}

void walk_slab(struct walk *w, slab_object_fn index_object)
{
	const struct ct_kmodel *m = w->m;
	struct ct_report *r = w->r;
	struct ct_error e = { 0 };
	if (!m->slub.usable) {
		const char *why = m->slub.why ? m->slub.why : "no slab model";
		slab_problem(w, 0, "slab scan impossible: %s: objects on no list cannot be found", why);
		slab_incomplete(w, "slab scan impossible: %s: entries on no list are not found", why);
		return;
	}
	uint64_t vmemmap, page_offset, max_pfn, ct_cache = 0;
	if ((!m->per_netns_slab &&
	     ct_target_symbol_u64(w->t, "nf_conntrack_cachep", &ct_cache, &e)) ||
	    ct_target_symbol_u64(w->t, "vmemmap_base", &vmemmap, &e) ||
	    ct_target_symbol_u64(w->t, "page_offset_base", &page_offset, &e) ||
	    ct_target_symbol_u64(w->t, "max_pfn", &max_pfn, &e)) {
		slab_problem(w, 0, "slab scan impossible: %s", e.text);
		slab_incomplete(w, "slab scan impossible (%s): entries on no list are not found",
				e.text);
		return;
	}
	if (max_pfn > (1ULL << 40)) {
		slab_problem(w, 0, "slab scan: max_pfn %#llx not plausible", (unsigned long long)max_pfn);
		slab_incomplete(w, "slab scan impossible (max_pfn not plausible): entries on no "
				"list are not found");
		return;
	}
	/* max_pfn is one past the last page of RAM, and every RAM page has its
	 * struct page in the memmap. Where nothing is mapped at the last one
	 * (not merely left out of the dump), max_pfn or vmemmap_base is not
	 * this kernel's, and the scan would read nothing for ages. */
	unsigned char probe[8];
	uint64_t last = vmemmap + (max_pfn - 1) * m->slub.desc_size;
	if (max_pfn && ct_target_read(w->t, last, probe, sizeof(probe), &e) == CT_ERR_BADADDR) {
		slab_problem(w, 0, "slab scan: max_pfn %#llx not plausible: no memmap at its last "
				  "struct page %#llx", (unsigned long long)max_pfn,
				  (unsigned long long)last);
		slab_incomplete(w, "slab scan impossible (max_pfn not plausible): entries on no "
				"list are not found");
		return;
	}
	uint64_t cpumask[CT_MAX_CPUS / 64];
	unsigned nr = 0;
	if (ct_target_possible_cpus(w->t, cpumask, CT_MAX_CPUS, &nr, &e) != CT_OK) {
		nr = 0;
		slab_problem(w, 0, "slab scan: CPU slabs unknown: objects on CPU freelists may "
				  "be counted as allocated");
		slab_incomplete(w, "slab scan: the CPUs are unknown: free objects on CPU "
				"freelists may be counted as allocated");
	}

	/* The conntrack cache (before 4.7 one per namespace, in net->ct), and
	 * the caches that tell who holds entries. */
	size_t cap = 3 + (m->per_netns_slab ? w->nns + 64 : 1);
	struct slub *caches = calloc(cap, sizeof(*caches));
	if (!caches) {
		slab_problem(w, 0, "out of memory");
		return;
	}
	unsigned n = 0;
	if (m->per_netns_slab) {
		for (size_t i = 0; i < w->nns; i++) {
			uint64_t c;
			if (ct_target_read_u64(w->t, w->ns[i].net + m->net.ct + m->netns_ct.cachep, &c, &e) || !c)
				continue;
			bool dup = false;
			for (unsigned k = 0; k < n; k++)
				dup |= caches[k].cache == c;
			if (dup)
				continue;
			caches[n++] = (struct slub){ .m = m, .name = "nf_conntrack (per netns)",
						     .object = index_object ? index_object : conntrack_object,
						     .conntrack = true, .cache = c };
		}
		struct netns_caches nc = { caches, &n, (unsigned)(cap - 3), m };
		for_each_cache(w, add_netns_cache, &nc);
	} else {
		caches[n++] = (struct slub){ .m = m, .name = "nf_conntrack",
					     .object = index_object ? index_object : conntrack_object,
					     .conntrack = true, .cache = ct_cache };
	}
	unsigned n_ct = n;
	if (m->expect_master && w->o->holders && !index_object) {
		uint64_t c = cache_by_name(w, "nf_conntrack_expect");
		if (c)
			caches[n++] = (struct slub){ .m = m, .name = "nf_conntrack_expect",
						     .object = expect_object, .cache = c };
	}
	if (m->skbinfo.usable && w->o->holders && !index_object) {
		static const char *const skb_caches[] = { "skbuff_head_cache", "skbuff_fclone_cache" };
		for (size_t i = 0; i < 2; i++) {
			uint64_t c = cache_by_name(w, skb_caches[i]);
			if (c)
				caches[n++] = (struct slub){ .m = m, .name = skb_caches[i],
							     .object = skb_object, .cache = c };
		}
	}
	unsigned ok = 0, ok_ct = 0;
	for (unsigned i = 0; i < n; i++) {
		caches[i].vmemmap = vmemmap;
		caches[i].page_offset = page_offset;
		if (setup_cache(w, &caches[i], cpumask, nr)) {
			ok_ct += caches[i].conntrack;
			caches[ok++] = caches[i];
		} else {
			slub_release(&caches[i]);
		}
	}
	if (ok_ct == 0 || ok_ct < n_ct) {
		slab_problem(w, 0, "slab scan: %u of %u nf_conntrack caches unusable%s",
				  n_ct - ok_ct, n_ct, ok_ct ? "" : ": not scanned");
		slab_incomplete(w, "slab scan: %u of %u nf_conntrack caches unusable: their "
				"entries on no list are not found", n_ct - ok_ct, n_ct);
		if (ok_ct == 0) {
			for (unsigned i = 0; i < ok; i++)
				slub_release(&caches[i]);
			free(caches);
			return;
		}
	}
	n = ok;

	uint32_t ds = m->slub.desc_size;
	unsigned char *chunk = malloc((size_t)PAGES_PER_READ * ds);
	if (!chunk) {
		for (unsigned i = 0; i < n; i++)
			slub_release(&caches[i]);
		free(caches);
		slab_problem(w, 0, "out of memory");
		return;
	}
	if (!w->indexing)
		r->slab.scanned = true;
	for (uint64_t pfn = 0; pfn < max_pfn && !w->stop; pfn += PAGES_PER_READ) {
		uint64_t cnt = max_pfn - pfn < PAGES_PER_READ ? max_pfn - pfn : PAGES_PER_READ;
		uint64_t at = vmemmap + pfn * ds;
		if (ct_target_read(w->t, at, chunk, cnt * ds, &e) &&
		    !read_memmap_pieces(w, at, chunk, cnt, ds))
			continue;
		for (uint64_t k = 0; k < cnt; k++) {
			const unsigned char *d = chunk + k * ds;
			/* Tail pages of a multi-page slab: bit 0 of compound_head
			 * (4.4+), PG_tail before. */
			if (m->slub.has_compound_head ? rd64(d, m->slub.compound_head) & 1
						      : rd64(d, m->slub.flags) >> m->slub.pg_tail & 1)
				continue;
			if (m->slub.by_page_type) {
				uint32_t type;
				memcpy(&type, d + m->slub.page_type, 4);
				if (type >> 24 != (uint32_t)m->slub.pgty_slab)
					continue;
			} else if (!(rd64(d, m->slub.flags) >> m->slub.pg_slab & 1)) {
				continue;
			}
			uint64_t owner = rd64(d, m->slub.slab_cache);
			for (unsigned i = 0; i < n; i++) {
				struct slub *s = &caches[i];
				if (owner != s->cache)
					continue;
				if (!s->swab_known) {
					uint32_t counters;
					memcpy(&counters, d + m->slub.objects_byte, 4);
					uint32_t objs = (counters >> m->slub.objects_bit) &
							((1u << m->slub.objects_bits) - 1);
					/* A CPU's slab often has only the CPU's freelist. */
					uint64_t head = rd64(d, m->slub.freelist);
					for (unsigned c = 0; !head && c < s->ncpus; c++)
						if (s->cpus[c].desc == at + k * ds)
							head = s->cpus[c].freelist;
					if (head && objs && objs <= MAX_OBJECTS &&
					    (uint64_t)objs * s->size <= s->max_bytes)
						s->swab_known = pick_swab(w, s, page_offset +
									  ((pfn + k) << PAGE_SHIFT_X86),
									  objs, head);
				}
				scan_slab(w, s, at + k * ds, d, pfn + k);
			}
		}
		if (ct_target_interrupted(w->t))
			w->stop = true;
		if (w->o->progress && (pfn / PAGES_PER_READ) % 2048 == 2047)
			fprintf(stderr, "\rctleak: slab scan, page %llu of %llu",
				(unsigned long long)pfn, (unsigned long long)max_pfn);
	}
	free(chunk);
	for (unsigned i = 0; i < n; i++)
		slub_release(&caches[i]);
	free(caches);
}
