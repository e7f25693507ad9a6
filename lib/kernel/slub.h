/* slub.h — the SLUB allocator, knowing nothing of conntrack.
 *
 * The layout comes from the kernel model (struct ct_slub_model in
 * kmodel.h: feature checks on the debug files); these functions only read.
 * slub.c scans the memmap for the slabs of some caches and hands every
 * allocated object to its cache's callback; slub_sheaves.c finds the free
 * objects cached in sheaves.
 */
#ifndef CTLEAK_SLUB_H
#define CTLEAK_SLUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/kmodel.h"
#include "kernel/program.h"

/* A sorted array of addresses. */
struct ct_u64_sorted {
	uint64_t *v;
	size_t n;
};

/* The memmap: where the struct page / struct slab descriptors are. */
struct ct_slub_memmap {
	uint64_t vmemmap, page_offset, max_pfn;
};

enum ct_slub_memmap_status {
	CT_SLUB_MEMMAP_OK,
	CT_SLUB_MEMMAP_SYMBOL,   /* a symbol unreadable: err says which */
	CT_SLUB_MEMMAP_MAX_PFN,  /* max_pfn beyond any plausible RAM */
	CT_SLUB_MEMMAP_UNMAPPED, /* nothing mapped at the last struct page (*last) */
};

/* vmemmap_base, page_offset_base and max_pfn, checked: max_pfn is one past
 * the last page of RAM, whose struct page must be mapped (merely left out
 * of the dump is fine). */
enum ct_slub_memmap_status ct_slub_memmap_find(const struct ct_program *p, const struct ct_slub_model *m,
					       struct ct_slub_memmap *mm, uint64_t *last,
					       struct ct_error *err);

struct ct_slub_cpu {
	uint64_t desc;      /* struct slab / struct page of the CPU's slab */
	uint64_t freelist;  /* the CPU's lockless freelist head */
};

/* One cache to scan. */
struct ct_slub_cache {
	/* Set by the caller. */
	const char *name;   /* as problems name it */
	uint64_t cache;     /* its struct kmem_cache */
	bool accounted;     /* what leaves it incomplete goes to scan->incomplete */
	void (*object)(void *arg, struct ct_slub_cache *c, uint64_t obj); /* each allocated one */
	void *arg;
	/* Filled by ct_slub_setup_cache (ready: usable by the scan). */
	bool ready;
	uint64_t random;
	uint32_t size, offset, red_left_pad, max_bytes;
	struct ct_slub_cpu *cpus;
	unsigned ncpus;
	struct ct_u64_sorted sheaved; /* free objects in sheaves (6.18+) */
	bool swab;          /* 5.7+: the stored pointer's address is byte-swapped */
	bool swab_known;
	/* Counted by the scan. */
	uint64_t slabs, objects, allocated, unclassified_slabs;
};

/* One scan over the memmap. Callbacks (problem and incomplete get text
 * already formatted, at most 511 characters) may be NULL but for stop.
 * problem's st is its kind: a failed read's status (memory left out of the
 * dump is CT_ERR_FAULT), CT_ERR_CORRUPT for what makes no sense. */
struct ct_slub_scan {
	const struct ct_program *p;
	const struct ct_slub_model *m;
	struct ct_slub_memmap mm;
	void (*problem)(void *arg, ct_status st, uint64_t addr, const char *text);
	void (*incomplete)(void *arg, const char *text); /* accounted caches only */
	bool (*stop)(void *arg);                         /* checked per object and chunk */
	void (*progress)(void *arg, uint64_t pfn, uint64_t max_pfn);
	void *arg;
	/* Results. */
	uint64_t unreadable_pages;  /* struct pages lost to unreadable memmap */
	uint64_t excluded_pages;    /* of those, left out of the dump */
	bool interrupted;           /* ct_target_interrupted said so */
};

/* Geometry, CPU slabs and sheaves of the cache at c->cache, for the CPUs of
 * cpumask (nr of them). False, with a problem, when it cannot be scanned. */
bool ct_slub_setup_cache(struct ct_slub_scan *sc, struct ct_slub_cache *c,
			 const uint64_t *cpumask, unsigned nr);
void ct_slub_release(struct ct_slub_cache *c);

/* Every slab of the ready caches among c[0..n), in memmap order; every
 * allocated object to its cache's object callback. False when out of
 * memory before anything was scanned. */
bool ct_slub_scan_memmap(struct ct_slub_scan *sc, struct ct_slub_cache *c, unsigned n);

/* Every kmem_cache of slab_caches, in order: fn returns true to stop, and
 * that cache is returned (0 when none, or no list). */
uint64_t ct_slub_for_each_cache(const struct ct_program *p, const struct ct_slub_model *m,
				bool (*fn)(uint64_t cache, const char *name, void *ctx), void *ctx);
/* The kmem_cache named name, from slab_caches; 0 when there is none. */
uint64_t ct_slub_cache_by_name(const struct ct_program *p, const struct ct_slub_model *m,
			       const char *name);

/* Every free object the cache at cache keeps in sheaves (6.18+): each
 * possible CPU's main, spare and rcu_free sheaves and the full sheaves of
 * each node's barn, sorted. Without sheaves, none. False (why says what,
 * in a phrase) when some could not be read: those found are still in out.
 * The caller frees out with ct_u64_sorted_free. */
bool ct_slub_sheaf_objects(const struct ct_program *p, const struct ct_slub_model *m, uint64_t cache,
			   const uint64_t *cpumask, unsigned nr_cpus, struct ct_u64_sorted *out,
			   char *why, size_t why_size);

void ct_u64_sorted_free(struct ct_u64_sorted *s);
/* Index of the first element >= v (n when none). */
size_t ct_u64_sorted_lower(const struct ct_u64_sorted *s, uint64_t v);

#endif
