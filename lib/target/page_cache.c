#include "target/page_cache.h"

#include <stdlib.h>
#include <string.h>

struct way {
	uint64_t page;          /* page address + 1; 0 = empty */
	uint64_t used;          /* last use, for LRU within the set */
};

struct page_cache {
	struct ct_target target;        /* what callers read through */
	struct ct_target *inner;        /* owned */
	size_t sets;
	uint32_t page_size;
	struct way *ways;               /* sets x CT_PAGE_CACHE_WAYS */
	unsigned char *data;            /* page_size bytes per way */
	uint64_t clock;
};

static struct page_cache *pc_of(struct ct_target *t)
{
	return t->impl;
}

/* The inner Target's own read op: the reads and faults of the cache's
 * callers are counted once, on the cache's Target. */
static ct_status inner_read(struct page_cache *pc, uint64_t addr, void *buf, size_t len,
			    size_t *done, struct ct_error *err)
{
	return pc->inner->ops->read(pc->inner, addr, buf, len, done, err);
}

static unsigned char *lookup(struct page_cache *pc, uint64_t page)
{
	uint64_t h = (page / pc->page_size) * 0x9e3779b97f4a7c15ULL;
	size_t set = (size_t)((h >> 17) % pc->sets);
	struct way *w = &pc->ways[set * CT_PAGE_CACHE_WAYS];
	size_t victim = 0;
	for (size_t i = 0; i < CT_PAGE_CACHE_WAYS; i++) {
		if (w[i].page == page + 1) {
			w[i].used = ++pc->clock;
			pc->target.cache_hits++;
			return pc->data + (set * CT_PAGE_CACHE_WAYS + i) * pc->page_size;
		}
		if (w[i].used < w[victim].used)
			victim = i;
	}
	unsigned char *slot = pc->data + (set * CT_PAGE_CACHE_WAYS + victim) * pc->page_size;
	size_t done = 0;
	struct ct_error ignored;
	pc->target.cache_misses++;
	/* A page the dump holds only in part is not cached: the caller
	 * reads what it asked for directly and learns where the gap is. */
	if (inner_read(pc, page, slot, pc->page_size, &done, &ignored) != CT_OK) {
		w[victim].page = 0;
		w[victim].used = 0;
		return NULL;
	}
	w[victim].page = page + 1;
	w[victim].used = ++pc->clock;
	return slot;
}

static ct_status cached_read(struct ct_target *t, uint64_t addr, void *buf, size_t len,
			     size_t *done, struct ct_error *err)
{
	struct page_cache *pc = pc_of(t);
	unsigned char *out = buf;
	*done = 0;
	while (*done < len) {
		uint64_t at = addr + *done;
		uint64_t page = at & ~(uint64_t)(pc->page_size - 1);
		size_t off = (size_t)(at - page), n = pc->page_size - off;
		if (n > len - *done)
			n = len - *done;
		const unsigned char *p = lookup(pc, page);
		if (!p) {
			size_t got = 0;
			ct_status st = inner_read(pc, at, out + *done, len - *done, &got, err);
			*done += got;
			return st;
		}
		memcpy(out + *done, p + off, n);
		*done += n;
	}
	return CT_OK;
}

static bool cached_interrupted(struct ct_target *t)
{
	return ct_target_interrupted(pc_of(t)->inner);
}

static void cached_close(struct ct_target *t)
{
	struct page_cache *pc = pc_of(t);
	ct_target_close(pc->inner);
	free(pc->ways);
	free(pc->data);
	free(pc);
}

static const struct ct_target_ops cache_ops = {
	.kind = "page cache",
	.read = cached_read,
	.close = cached_close,
	.interrupted = cached_interrupted,
};

static void free_cache(struct page_cache *pc)
{
	if (pc) {
		free(pc->ways);
		free(pc->data);
	}
	free(pc);
}

ct_status ct_page_cache_open(struct ct_target *inner, size_t pages, struct ct_target **out,
			     struct ct_error *err)
{
	uint32_t ps = inner->page_size ? inner->page_size : 4096;
	if (ps & (ps - 1))
		return ct_fail(err, CT_ERR_UNSUPPORTED, "page size %u is not a power of two", ps);
	size_t sets = pages / CT_PAGE_CACHE_WAYS;
	if (sets == 0)
		sets = 1;
	struct page_cache *pc = calloc(1, sizeof(*pc));
	if (pc) {
		pc->ways = calloc(sets * CT_PAGE_CACHE_WAYS, sizeof(*pc->ways));
		pc->data = malloc(sets * CT_PAGE_CACHE_WAYS * (size_t)ps);
	}
	if (!pc || !pc->ways || !pc->data) {
		free_cache(pc);
		return ct_fail(err, CT_ERR_NOMEM, "out of memory for a %zu-page cache", pages);
	}
	pc->inner = inner;
	pc->sets = sets;
	pc->page_size = ps;
	struct ct_target *t = &pc->target;
	t->ops = &cache_ops;
	t->impl = pc;
	t->page_size = inner->page_size;
	memcpy(t->osrelease, inner->osrelease, sizeof(t->osrelease));
	t->live = inner->live;
	t->random_reads_expensive = inner->random_reads_expensive;
	*out = t;
	return CT_OK;
}
