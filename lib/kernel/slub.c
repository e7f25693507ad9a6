/* slub.c — every allocated object of some SLUB caches, from the memmap.
 *
 * Slabs are found through the memmap (struct page, or struct slab
 * overlaying it from 5.17), full ones included — a cache's partial lists
 * do not hold them. An object is free when it is on its slab's freelist,
 * for a CPU's current slab on that CPU's freelist, or in a sheaf (6.18+);
 * everything else is allocated. Contents never decide liveness. Nothing
 * here knows what the objects are.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/slub.h"

#define PAGES_PER_READ 512
#define MAX_OBJECTS 0x7fff
#define PAGE_SHIFT_X86 12
#define TEXT_MAX 512

static void problem(struct ct_slub_scan *sc, ct_status st, uint64_t addr, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void problem(struct ct_slub_scan *sc, ct_status st, uint64_t addr, const char *fmt, ...)
{
	char buf[TEXT_MAX];
	va_list ap;
	if (!sc->problem)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sc->problem(sc->arg, st, addr, buf);
}

static uint64_t rd64(const unsigned char *b, uint32_t off)
{
	uint64_t v;
	memcpy(&v, b + off, 8);
	return v;
}

static uint32_t desc_objects(const struct ct_slub_model *m, const unsigned char *desc)
{
	uint32_t counters;
	memcpy(&counters, desc + m->objects_byte, 4);
	return (counters >> m->objects_bit) & ((1u << m->objects_bits) - 1);
}

enum ct_slub_memmap_status ct_slub_memmap_find(const struct ct_program *p,
					       const struct ct_slub_model *m,
					       struct ct_slub_memmap *mm, uint64_t *last,
					       struct ct_error *err)
{
	struct ct_target *t = p->mem;
	if (ct_program_symbol_u64(p, "vmemmap_base", &mm->vmemmap, err) ||
	    ct_program_symbol_u64(p, "page_offset_base", &mm->page_offset, err) ||
	    ct_program_symbol_u64(p, "max_pfn", &mm->max_pfn, err))
		return CT_SLUB_MEMMAP_SYMBOL;
	if (mm->max_pfn > (1ULL << 40))
		return CT_SLUB_MEMMAP_MAX_PFN;
	/* Where nothing is mapped at the last struct page (not merely left out
	 * of the dump), max_pfn or vmemmap_base is not this kernel's, and the
	 * scan would read nothing for ages. */
	unsigned char probe[8];
	*last = mm->vmemmap + (mm->max_pfn - 1) * m->desc_size;
	if (mm->max_pfn && ct_target_read(t, *last, probe, sizeof(probe), err) == CT_ERR_BADADDR)
		return CT_SLUB_MEMMAP_UNMAPPED;
	return CT_SLUB_MEMMAP_OK;
}

/* The next free object after obj: CONFIG_SLAB_FREELIST_HARDENED stores
 * ptr ^ s->random ^ (address of the slot) — byte-swapped from 5.7
 * (1ad53d9fa3f6); plain pointers without hardening. */
static uint64_t decode(const struct ct_slub_scan *sc, const struct ct_slub_cache *c,
		       uint64_t stored, uint64_t slot)
{
	if (!sc->m->has_random)
		return stored;
	return stored ^ c->random ^ (c->swab ? __builtin_bswap64(slot) : slot);
}

/* Index of object at addr in the slab at base, or -1. */
static long object_index(const struct ct_slub_cache *c, uint64_t base, uint32_t objects,
			 uint64_t addr)
{
	uint64_t first = base + c->red_left_pad;
	if (addr < first || (addr - first) % c->size)
		return -1;
	uint64_t i = (addr - first) / c->size;
	return i < objects ? (long)i : -1;
}

/* Mark the objects of one freelist free: CT_OK, a failed read's status, or
 * CT_ERR_CORRUPT when it leaves the slab (or is longer than the slab). */
static ct_status follow_freelist(struct ct_slub_scan *sc, struct ct_slub_cache *c, uint64_t base,
				 uint32_t objects, uint64_t head, unsigned char *free_map)
{
	uint64_t obj = head;
	for (uint32_t steps = 0; obj && steps <= objects; steps++) {
		long i = object_index(c, base, objects, obj);
		if (i < 0)
			return CT_ERR_CORRUPT;
		free_map[i] = 1;
		uint64_t stored, slot = obj + c->offset;
		ct_status st = ct_target_read_u64(sc->p->mem, slot, &stored, NULL);
		if (st)
			return st;
		obj = decode(sc, c, stored, slot);
	}
	return obj == 0 ? CT_OK : CT_ERR_CORRUPT;
}

/* The free objects of one slab in free_map: not CT_OK when a freelist is
 * broken (follow_freelist says how). */
static ct_status free_objects(struct ct_slub_scan *sc, struct ct_slub_cache *c, uint64_t desc_addr,
			      const unsigned char *desc, uint64_t base, uint32_t objects,
			      unsigned char *free_map)
{
	memset(free_map, 0, objects);
	ct_status st = follow_freelist(sc, c, base, objects, rd64(desc, sc->m->freelist), free_map);
	bool ok = st == CT_OK;
	for (unsigned k = 0; ok && k < c->ncpus; k++)
		if (c->cpus[k].desc == desc_addr)
			ok = (st = follow_freelist(sc, c, base, objects, c->cpus[k].freelist,
						   free_map)) == CT_OK;
	/* Objects cached in sheaves left their slab's freelist, yet are free. */
	for (size_t i = ct_u64_sorted_lower(&c->sheaved, base); ok && i < c->sheaved.n &&
	     c->sheaved.v[i] < base + c->red_left_pad + (uint64_t)objects * c->size; i++) {
		long k = object_index(c, base, objects, c->sheaved.v[i]);
		if (k >= 0)
			free_map[k] = 1;
	}
	return st;
}

static void scan_slab(struct ct_slub_scan *sc, struct ct_slub_cache *c, uint64_t desc_addr,
		      const unsigned char *desc, uint64_t pfn)
{
	uint32_t objects = desc_objects(sc->m, desc);
	uint64_t base = sc->mm.page_offset + (pfn << PAGE_SHIFT_X86);
	if (objects == 0 || objects > MAX_OBJECTS ||
	    (uint64_t)objects * c->size > c->max_bytes) {
		problem(sc, CT_ERR_CORRUPT, desc_addr, "%s slab at %#llx claims %u objects: skipped",
			c->name, (unsigned long long)base, objects);
		c->unclassified_slabs++;
		return;
	}
	unsigned char free_map[MAX_OBJECTS + 1];
	ct_status st = free_objects(sc, c, desc_addr, desc, base, objects, free_map);
	if (st != CT_OK) {
		problem(sc, st, desc_addr, "%s slab at %#llx: freelist broken, its objects "
			"not classified", c->name, (unsigned long long)base);
		c->unclassified_slabs++;
		return;
	}
	c->slabs++;
	c->objects += objects;
	for (uint32_t i = 0; i < objects && !sc->stop(sc->arg); i++) {
		if (free_map[i])
			continue;
		c->allocated++;
		c->object(c->arg, c, base + c->red_left_pad + (uint64_t)i * c->size);
	}
}

/* 5.7 started byte-swapping the slot address: decide from the first
 * freelist that only one variant keeps inside its slab. */
static bool pick_swab(struct ct_slub_scan *sc, struct ct_slub_cache *c, uint64_t base,
		      uint32_t objects, uint64_t head)
{
	unsigned char map[MAX_OBJECTS + 1];
	for (int v = 1; v >= 0; v--) {
		c->swab = v;
		memset(map, 0, objects);
		if (follow_freelist(sc, c, base, objects, head, map) == CT_OK)
			return true;
	}
	c->swab = true;
	return false;
}

/* Before the first slab of a hardened cache: which freelist encoding. */
static void guess_swab(struct ct_slub_scan *sc, struct ct_slub_cache *c, uint64_t desc_addr,
		       const unsigned char *d, uint64_t pfn)
{
	uint32_t objs = desc_objects(sc->m, d);
	/* A CPU's slab often has only the CPU's freelist. */
	uint64_t head = rd64(d, sc->m->freelist);
	for (unsigned k = 0; !head && k < c->ncpus; k++)
		if (c->cpus[k].desc == desc_addr)
			head = c->cpus[k].freelist;
	if (head && objs && objs <= MAX_OBJECTS && (uint64_t)objs * c->size <= c->max_bytes)
		c->swab_known = pick_swab(sc, c, sc->mm.page_offset + (pfn << PAGE_SHIFT_X86),
					  objs, head);
}

/* A chunk of the memmap that could not be read at once, one memmap page
 * at a time: holes (not mapped) and pages the dump left out lose only the
 * struct pages that touch them, zero-filled (a zero descriptor is no slab).
 * False when nothing of the chunk was readable. */
static bool read_memmap_pieces(struct ct_slub_scan *sc, uint64_t at, unsigned char *chunk,
			       uint64_t cnt, uint32_t ds)
{
	uint64_t end = at + cnt * ds;
	unsigned char bad[PAGES_PER_READ]; /* 0 readable, 1 hole, 2 left out of the dump */
	bool any = false;
	memset(bad, 0, cnt);
	for (uint64_t p = at; p < end;) {
		uint64_t next = (p | 4095) + 1 < end ? (p | 4095) + 1 : end;
		struct ct_error e = { 0 };
		if (ct_target_read(sc->p->mem, p, chunk + (p - at), next - p, &e) == CT_OK) {
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
		sc->unreadable_pages++;
		sc->excluded_pages += bad[k] == 2;
	}
	return any;
}

/* Is the descriptor d the head of a slab? Tail pages of a multi-page slab:
 * bit 0 of compound_head (4.4+; compound_info in 7.x), PG_tail before. */
static bool is_slab_head(const struct ct_slub_model *m, const unsigned char *d)
{
	if (m->has_compound_head ? rd64(d, m->compound_head) & 1
				 : rd64(d, m->flags) >> m->pg_tail & 1)
		return false;
	if (m->by_page_type) {
		uint32_t type;
		memcpy(&type, d + m->page_type, 4);
		return type >> 24 == (uint32_t)m->pgty_slab;
	}
	return rd64(d, m->flags) >> m->pg_slab & 1;
}

/* Each slab head of a memmap chunk that belongs to a scanned cache, to fn
 * with that cache, its descriptor's address and bytes, and its pfn. */
typedef void (*slab_head_fn)(struct ct_slub_scan *sc, struct ct_slub_cache *c,
			     uint64_t desc_addr, const unsigned char *d, uint64_t pfn);

static void for_each_slab(struct ct_slub_scan *sc, struct ct_slub_cache *c, unsigned n,
			  const unsigned char *chunk, uint64_t at, uint64_t pfn, uint64_t cnt,
			  slab_head_fn fn)
{
	uint32_t ds = sc->m->desc_size;
	for (uint64_t k = 0; k < cnt; k++) {
		const unsigned char *d = chunk + k * ds;
		if (!is_slab_head(sc->m, d))
			continue;
		uint64_t owner = rd64(d, sc->m->slab_cache);
		for (unsigned i = 0; i < n; i++)
			if (c[i].ready && owner == c[i].cache)
				fn(sc, &c[i], at + k * ds, d, pfn + k);
	}
}

/* A slab hinted to the Target a chunk before it is scanned: a page cache
 * with a read-ahead thread decompresses it while the chunk before is
 * handed over. */
static void hint_slab(struct ct_slub_scan *sc, struct ct_slub_cache *c, uint64_t desc_addr,
		      const unsigned char *d, uint64_t pfn)
{
	(void)desc_addr;
	uint32_t objects = desc_objects(sc->m, d);
	if (objects <= MAX_OBJECTS && (uint64_t)objects * c->size <= c->max_bytes)
		ct_target_hint(sc->p->mem, sc->mm.page_offset + (pfn << PAGE_SHIFT_X86),
			       c->red_left_pad + (uint64_t)objects * c->size);
}

static void scan_head(struct ct_slub_scan *sc, struct ct_slub_cache *c, uint64_t desc_addr,
		      const unsigned char *d, uint64_t pfn)
{
	if (!c->swab_known)
		guess_swab(sc, c, desc_addr, d, pfn);
	scan_slab(sc, c, desc_addr, d, pfn);
}

static uint64_t chunk_pages(uint64_t pfn, uint64_t max_pfn)
{
	return max_pfn - pfn < PAGES_PER_READ ? max_pfn - pfn : PAGES_PER_READ;
}

/* The struct pages of pfn..pfn+cnt into buf, and the slabs they describe
 * (and the memmap chunk after) hinted; false when none was readable. */
static bool read_chunk(struct ct_slub_scan *sc, struct ct_slub_cache *c, unsigned n,
		       uint64_t pfn, uint64_t cnt, unsigned char *buf)
{
	uint32_t ds = sc->m->desc_size;
	uint64_t at = sc->mm.vmemmap + pfn * ds, after = pfn + cnt;
	struct ct_error e = { 0 };
	if (ct_target_read(sc->p->mem, at, buf, cnt * ds, &e) &&
	    !read_memmap_pieces(sc, at, buf, cnt, ds))
		return false;
	for_each_slab(sc, c, n, buf, at, pfn, cnt, hint_slab);
	if (after < sc->mm.max_pfn)
		ct_target_hint(sc->p->mem, at + cnt * ds, chunk_pages(after, sc->mm.max_pfn) * ds);
	return true;
}

/* The memmap a chunk at a time. A dump's chunks are read one ahead of
 * their scan, so that their slabs are hinted while the chunk before is
 * scanned; a running kernel's just before, so that the descriptors are as
 * fresh as they can be when their freelists are followed (the slabs change
 * under the walk: a stale head makes a freelist look broken). */
bool ct_slub_scan_memmap(struct ct_slub_scan *sc, struct ct_slub_cache *c, unsigned n)
{
	uint32_t ds = sc->m->desc_size;
	uint64_t max_pfn = sc->mm.max_pfn;
	bool ahead = !sc->p->mem->live;
	unsigned char *buf[2] = { malloc((size_t)PAGES_PER_READ * ds),
				  malloc((size_t)PAGES_PER_READ * ds) };
	bool ok[2] = { false, false };
	if (!buf[0] || !buf[1]) {
		free(buf[0]);
		free(buf[1]);
		return false;
	}
	if (max_pfn && ahead)
		ok[0] = read_chunk(sc, c, n, 0, chunk_pages(0, max_pfn), buf[0]);
	unsigned cur = 0;
	for (uint64_t pfn = 0; pfn < max_pfn && !sc->interrupted && !sc->stop(sc->arg);
	     pfn += PAGES_PER_READ, cur ^= 1) {
		uint64_t cnt = chunk_pages(pfn, max_pfn);
		if (!ahead)
			ok[cur] = read_chunk(sc, c, n, pfn, cnt, buf[cur]);
		else if (pfn + cnt < max_pfn)
			ok[cur ^ 1] = read_chunk(sc, c, n, pfn + cnt, chunk_pages(pfn + cnt, max_pfn),
						 buf[cur ^ 1]);
		if (ok[cur])
			for_each_slab(sc, c, n, buf[cur], sc->mm.vmemmap + pfn * ds, pfn, cnt, scan_head);
		if (ct_target_interrupted(sc->p->mem))
			sc->interrupted = true;
		if (sc->progress && (pfn / PAGES_PER_READ) % 2048 == 2047)
			sc->progress(sc->arg, pfn, max_pfn);
	}
	free(buf[0]);
	free(buf[1]);
	return true;
}

void ct_slub_release(struct ct_slub_cache *c)
{
	free(c->cpus);
	c->cpus = NULL;
	c->ncpus = 0;
	c->ready = false;
	ct_u64_sorted_free(&c->sheaved);
}

/* The CPUs' current slabs and freelists (kmem_cache.cpu_slab, before 7.0). */
static bool setup_cpus(struct ct_slub_scan *sc, struct ct_slub_cache *c, uint64_t pcpu,
		       const uint64_t *cpumask, unsigned nr)
{
	const struct ct_slub_model *m = sc->m;
	struct ct_error e = { 0 };
	c->cpus = calloc(nr ? nr : 1, sizeof(*c->cpus));
	for (unsigned k = 0; pcpu && c->cpus && k < nr; k++) {
		uint64_t b;
		if (!(cpumask[k / 64] >> (k % 64) & 1) || ct_program_percpu_base(sc->p, k, &b, &e))
			continue;
		struct ct_slub_cpu *cs = &c->cpus[c->ncpus];
		if (ct_target_read_u64(sc->p->mem, b + pcpu + m->cpu_freelist, &cs->freelist, &e) ||
		    ct_target_read_u64(sc->p->mem, b + pcpu + m->cpu_desc, &cs->desc, &e))
			continue;
		if (cs->desc)
			c->ncpus++;
	}
	return c->cpus != NULL;
}

bool ct_slub_setup_cache(struct ct_slub_scan *sc, struct ct_slub_cache *c,
			 const uint64_t *cpumask, unsigned nr)
{
	const struct ct_slub_model *m = sc->m;
	unsigned char hdr[512];
	struct ct_error e = { 0 };
	if (m->random + 8 > sizeof(hdr) || m->oo + 4 > sizeof(hdr) ||
	    m->cpu_slab + 8 > sizeof(hdr) || ct_target_read(sc->p->mem, c->cache, hdr, sizeof(hdr), &e)) {
		problem(sc, e.status ? e.status : CT_ERR_UNSUPPORTED, c->cache,
			"slab scan: cache %s unreadable", c->name);
		return false;
	}
	uint32_t oo;
	memcpy(&c->size, hdr + m->size, 4);
	memcpy(&c->offset, hdr + m->offset, 4);
	memcpy(&c->red_left_pad, hdr + m->red_left_pad, 4);
	memcpy(&oo, hdr + m->oo, 4);
	c->random = m->has_random ? rd64(hdr, m->random) : 0;
	uint32_t order = oo >> 16;
	if (c->size < 8 || c->size > 65536 || c->offset > c->size || order > 10) {
		problem(sc, CT_ERR_CORRUPT, c->cache, "slab scan: cache %s geometry not plausible "
			"(size %u, offset %u, order %u)", c->name, c->size, c->offset, order);
		return false;
	}
	c->max_bytes = 4096u << order;
	c->swab = true;
	c->swab_known = !m->has_random;
	char why[160], text[TEXT_MAX];
	if (!ct_slub_sheaf_objects(sc->p, m, c->cache, cpumask, nr, &c->sheaved, why,
				   sizeof(why))) {
		snprintf(text, sizeof(text), "slab scan: cache %s: %s: free objects there may be "
			 "counted as allocated", c->name, why);
		problem(sc, CT_ERR_CORRUPT, c->cache, "%s", text);
		if (c->accounted && sc->incomplete)
			sc->incomplete(sc->arg, text);
	}
	uint64_t pcpu = m->has_cpu_slab ? rd64(hdr, m->cpu_slab) : 0;
	c->ready = setup_cpus(sc, c, pcpu, cpumask, nr);
	return c->ready;
}

/* The name of a cache: read up to the end of its page when the whole
 * buffer cannot be (a string may end just before unreadable memory). */
static bool cache_name(struct ct_target *t, const struct ct_slub_model *m, uint64_t cache,
		       char *buf, size_t size)
{
	uint64_t p;
	struct ct_error e = { 0 };
	memset(buf, 0, size);
	if (ct_target_read_u64(t, cache + m->cache_name, &p, &e))
		return false;
	if (ct_target_read(t, p, buf, size - 1, &e) == CT_OK)
		return true;
	memset(buf, 0, size);
	uint64_t room = 4096 - (p & 4095);
	return ct_target_read(t, p, buf, room < size - 1 ? room : size - 1, &e) == CT_OK;
}

uint64_t ct_slub_for_each_cache(const struct ct_program *p, const struct ct_slub_model *m,
				bool (*fn)(uint64_t cache, const char *name, void *ctx), void *ctx)
{
	struct ct_target *t = p->mem;
	uint64_t head, node;
	struct ct_error e = { 0 };
	if (!m->has_cache_list || ct_program_symbol(p, "slab_caches", &head, &e) ||
	    ct_target_read_u64(t, head, &node, &e))
		return 0;
	for (unsigned n = 0; node != head && n < 100000; n++) {
		uint64_t cache = node - m->cache_list;
		char buf[64];
		/* A cache whose name cannot be read is skipped, not the rest. */
		if (cache_name(t, m, cache, buf, sizeof(buf)) && fn(cache, buf, ctx))
			return cache;
		if (ct_target_read_u64(t, node, &node, &e))
			return 0;
	}
	return 0;
}

static bool name_is(uint64_t cache, const char *name, void *ctx)
{
	(void)cache;
	return strcmp(name, ctx) == 0;
}

uint64_t ct_slub_cache_by_name(const struct ct_program *p, const struct ct_slub_model *m,
			       const char *name)
{
	return ct_slub_for_each_cache(p, m, name_is, (void *)name);
}
