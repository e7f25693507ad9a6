#include "page_cache.h"

#include <stdlib.h>
#include <string.h>

struct way {
	uint64_t page;          /* page address + 1; 0 = empty */
	uint64_t used;          /* last use, for LRU within the set */
};

struct page_cache {
	struct ct_target_ops ops;       /* the wrapped ops: read and close replaced */
	const struct ct_target_ops *inner;
	void *inner_impl;
	size_t sets;
	uint32_t page_size;
	struct way *ways;               /* sets x CT_PAGE_CACHE_WAYS */
	unsigned char *data;            /* page_size bytes per way */
	uint64_t clock, hits, misses;
};

/* The cache rides in the target's impl slot; the real impl is kept. */
static struct page_cache *pc_of(struct ct_target *t)
{
	return t->impl;
}

static ct_status inner_read(struct ct_target *t, struct page_cache *pc, uint64_t addr,
			    void *buf, size_t len, size_t *done, struct ct_error *err)
{
	t->impl = pc->inner_impl;
	ct_status st = pc->inner->read(t, addr, buf, len, done, err);
	t->impl = pc;
	return st;
}

static unsigned char *lookup(struct ct_target *t, struct page_cache *pc, uint64_t page)
{
	uint64_t h = (page / pc->page_size) * 0x9e3779b97f4a7c15ULL;
	size_t set = (size_t)((h >> 17) % pc->sets);
	struct way *w = &pc->ways[set * CT_PAGE_CACHE_WAYS];
	size_t victim = 0;
	for (size_t i = 0; i < CT_PAGE_CACHE_WAYS; i++) {
		if (w[i].page == page + 1) {
			w[i].used = ++pc->clock;
			pc->hits++;
			return pc->data + (set * CT_PAGE_CACHE_WAYS + i) * pc->page_size;
		}
		if (w[i].used < w[victim].used)
			victim = i;
	}
	unsigned char *slot = pc->data + (set * CT_PAGE_CACHE_WAYS + victim) * pc->page_size;
	size_t done = 0;
	pc->misses++;
	/* A page the dump holds only in part is not cached: the caller
	 * reads what it asked for directly and learns where the gap is. */
	if (inner_read(t, pc, page, slot, pc->page_size, &done, NULL) != CT_OK) {
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
		const unsigned char *p = lookup(t, pc, page);
		if (!p) {
			size_t got = 0;
			ct_status st = inner_read(t, pc, at, out + *done, len - *done, &got, err);
			*done += got;
			return st;
		}
		memcpy(out + *done, p + off, n);
		*done += n;
	}
	return CT_OK;
}

/* The other ops belong to the wrapped target: they see its own impl. */
static ct_status pass_symbol(struct ct_target *t, const char *name, uint64_t *addr,
			     struct ct_error *err)
{
	struct page_cache *pc = pc_of(t);
	t->impl = pc->inner_impl;
	ct_status st = pc->inner->symbol(t, name, addr, err);
	t->impl = pc;
	return st;
}

static ct_status pass_percpu_base(struct ct_target *t, unsigned cpu, uint64_t *base,
				  struct ct_error *err)
{
	struct page_cache *pc = pc_of(t);
	t->impl = pc->inner_impl;
	ct_status st = pc->inner->percpu_base(t, cpu, base, err);
	t->impl = pc;
	return st;
}

static bool pass_interrupted(struct ct_target *t)
{
	struct page_cache *pc = pc_of(t);
	t->impl = pc->inner_impl;
	bool yes = pc->inner->interrupted(t);
	t->impl = pc;
	return yes;
}

static void cached_close(struct ct_target *t)
{
	struct page_cache *pc = pc_of(t);
	t->impl = pc->inner_impl;
	t->ops = pc->inner;
	free(pc->ways);
	free(pc->data);
	free(pc);
	if (t->ops->close)
		t->ops->close(t);
}

ct_status ct_page_cache_wrap(struct ct_target *t, size_t pages, struct ct_error *err)
{
	uint32_t ps = t->page_size ? t->page_size : 4096;
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
		if (pc) {
			free(pc->ways);
			free(pc->data);
		}
		free(pc);
		return ct_fail(err, CT_ERR_NOMEM, "out of memory for a %zu-page cache", pages);
	}
	pc->inner = t->ops;
	pc->inner_impl = t->impl;
	pc->ops = *t->ops;
	pc->ops.read = cached_read;
	pc->ops.close = cached_close;
	pc->ops.symbol = pass_symbol;
	pc->ops.percpu_base = t->ops->percpu_base ? pass_percpu_base : NULL;
	pc->ops.interrupted = t->ops->interrupted ? pass_interrupted : NULL;
	pc->sets = sets;
	pc->page_size = ps;
	t->ops = &pc->ops;
	t->impl = pc;
	return CT_OK;
}

void ct_page_cache_stats(const struct ct_target *t, uint64_t *hits, uint64_t *misses)
{
	*hits = *misses = 0;
	if (t->ops->read == cached_read) {
		const struct page_cache *pc = t->impl;
		*hits = pc->hits;
		*misses = pc->misses;
	}
}
