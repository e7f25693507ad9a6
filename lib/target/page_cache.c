/* page_cache.c — a set-associative page cache and its read-ahead thread
 * (page_cache.h). While the thread runs, the ways, the clock and the
 * queue of hinted pages are the mutex's; a way being read into (by
 * either thread) is marked filling and left alone by the other. */
#include "target/page_cache.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define AHEAD_QUEUE 2048        /* pages hinted and not read yet, at most */

struct way {
	uint64_t page;          /* page address + 1; 0 = empty */
	uint64_t used;          /* last use, for LRU within the set */
	bool filling;           /* being read into: neither used nor evicted */
};

struct read_ahead {
	struct ct_target *inner;        /* the thread's own clone of the inner Target */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work;            /* a page queued, or stop */
	pthread_cond_t filled;          /* a way stopped filling */
	uint64_t queue[AHEAD_QUEUE];    /* page addresses, a ring */
	size_t head, n;
	bool stop;
	uint64_t last_hint;             /* the page queued last, + 1 (the walker's only) */
	uint64_t reads;                 /* pages read by the thread */
};

struct page_cache {
	struct ct_target target;        /* what callers read through */
	struct ct_target *inner;        /* owned */
	size_t sets;
	uint32_t page_size;
	struct way *ways;               /* sets x CT_PAGE_CACHE_WAYS */
	unsigned char *data;            /* page_size bytes per way */
	uint64_t clock;
	bool ahead_tried;               /* the first hint asked for a clone */
	struct read_ahead *ra;          /* NULL: no read-ahead thread */
};

static struct page_cache *pc_of(struct ct_target *t)
{
	return t->impl;
}

static void lock(struct page_cache *pc)
{
	if (pc->ra)
		pthread_mutex_lock(&pc->ra->mu);
}

static void unlock(struct page_cache *pc)
{
	if (pc->ra)
		pthread_mutex_unlock(&pc->ra->mu);
}

/* Wait for a way to stop filling (the lock held). False without a
 * thread: then nothing else fills a way, and nothing is worth waiting for. */
static bool wait_filled(struct page_cache *pc)
{
	if (!pc->ra)
		return false;
	pthread_cond_wait(&pc->ra->filled, &pc->ra->mu);
	return true;
}

/* The first way of page's set. */
static size_t set_base(const struct page_cache *pc, uint64_t page)
{
	uint64_t h = (page / pc->page_size) * 0x9e3779b97f4a7c15ULL;
	return (size_t)((h >> 17) % pc->sets) * CT_PAGE_CACHE_WAYS;
}

static long find_way(const struct way *w, uint64_t page)
{
	for (long i = 0; i < CT_PAGE_CACHE_WAYS; i++)
		if (w[i].page == page + 1)
			return i;
	return -1;
}

/* The least recently used way not being filled, -1 if all are. */
static long victim(const struct way *w)
{
	long v = -1;
	for (long i = 0; i < CT_PAGE_CACHE_WAYS; i++)
		if (!w[i].filling && (v < 0 || w[i].used < w[v].used))
			v = i;
	return v;
}

/* Read page into way i of the set at base with inner (lock held on entry
 * and on return, released during the read). False when the dump holds the
 * page only in part: it is not cached. */
static bool fill_way(struct page_cache *pc, struct ct_target *inner, size_t base, long i,
		     uint64_t page)
{
	struct way *w = &pc->ways[base + i];
	*w = (struct way){ .page = page + 1, .used = ++pc->clock, .filling = true };
	unlock(pc);
	size_t done = 0;
	struct ct_error ignored;
	/* The inner Target's own read op: the reads and faults of the
	 * cache's callers are counted once, on the cache's Target. */
	bool ok = inner->ops->read(inner, page, pc->data + (base + i) * pc->page_size,
				   pc->page_size, &done, &ignored) == CT_OK;
	lock(pc);
	w->filling = false;
	if (!ok)
		w->page = w->used = 0;
	if (pc->ra)
		pthread_cond_broadcast(&pc->ra->filled);
	return ok;
}

/* n bytes at off of page into out, through the cache. False when the
 * page cannot be cached whole: the caller reads it directly. */
static bool copy_page(struct page_cache *pc, uint64_t page, size_t off, void *out, size_t n)
{
	size_t base = set_base(pc, page);
	struct way *w = &pc->ways[base];
	long i;
	bool ok = false;
	lock(pc);
	for (;;) {
		i = find_way(w, page);
		if (i >= 0 && !w[i].filling) {
			w[i].used = ++pc->clock;
			pc->target.cache_hits++;
			ok = true;
		} else if (i < 0 && (i = victim(w)) >= 0) {
			pc->target.cache_misses++;
			ok = fill_way(pc, pc->inner, base, i, page);
		} else if (wait_filled(pc)) {
			continue; /* the other thread is reading it, or every way */
		}
		break;
	}
	if (ok) /* way i holds the page: it cannot change while the lock is held */
		memcpy(out, pc->data + (base + (size_t)i) * pc->page_size + off, n);
	unlock(pc);
	return ok;
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
		if (!copy_page(pc, page, off, out + *done, n)) {
			size_t got = 0;
			ct_status st = pc->inner->ops->read(pc->inner, at, out + *done, len - *done,
							    &got, err);
			*done += got;
			return st;
		}
		*done += n;
	}
	return CT_OK;
}

/* The read-ahead thread: hinted pages into the cache, the newest hint
 * first. The walker reads its pages in about the order it hints them, so
 * the oldest hints are the ones it is about to read itself: taking them
 * too would have both threads on the same page, one waiting. Newest first
 * keeps the thread a window ahead, and the pages it did not get to are
 * read by the walker. */
static void *ahead_main(void *arg)
{
	struct page_cache *pc = arg;
	struct read_ahead *ra = pc->ra;
	pthread_mutex_lock(&ra->mu);
	while (!ra->stop) {
		if (!ra->n) {
			pthread_cond_wait(&ra->work, &ra->mu);
			continue;
		}
		uint64_t page = ra->queue[(ra->head + --ra->n) % AHEAD_QUEUE];
		size_t base = set_base(pc, page);
		long i = victim(&pc->ways[base]);
		if (find_way(&pc->ways[base], page) >= 0 || i < 0)
			continue;
		ra->reads += fill_way(pc, ra->inner, base, i, page);
	}
	pthread_mutex_unlock(&ra->mu);
	return NULL;
}

/* The thread, if the inner Target has a clone to give it. Signals stay
 * with the walker's thread (crash's and ctleak's SIGINT handling). */
static void start_ahead(struct page_cache *pc)
{
	pc->ahead_tried = true;
	struct ct_target *clone = pc->inner->ops->clone ? pc->inner->ops->clone(pc->inner) : NULL;
	struct read_ahead *ra = clone ? calloc(1, sizeof(*ra)) : NULL;
	if (!ra) {
		ct_target_close(clone);
		return;
	}
	ra->inner = clone;
	pthread_mutexattr_t ma;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ADAPTIVE_NP);
	pthread_mutex_init(&ra->mu, &ma);
	pthread_mutexattr_destroy(&ma);
	pthread_cond_init(&ra->work, NULL);
	pthread_cond_init(&ra->filled, NULL);
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pc->ra = ra;
	if (pthread_create(&ra->thread, NULL, ahead_main, pc) != 0) {
		pc->ra = NULL;
		pthread_cond_destroy(&ra->filled);
		pthread_cond_destroy(&ra->work);
		pthread_mutex_destroy(&ra->mu);
		ct_target_close(clone);
		free(ra);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void stop_ahead(struct page_cache *pc)
{
	struct read_ahead *ra = pc->ra;
	if (!ra)
		return;
	pthread_mutex_lock(&ra->mu);
	ra->stop = true;
	pthread_cond_broadcast(&ra->work);
	pthread_mutex_unlock(&ra->mu);
	pthread_join(ra->thread, NULL);
	pc->ra = NULL;
	pthread_cond_destroy(&ra->filled);
	pthread_cond_destroy(&ra->work);
	pthread_mutex_destroy(&ra->mu);
	ct_target_close(ra->inner);
	free(ra);
}

/* Queue the pages of [addr, addr + len) not cached yet; a full queue
 * forgets its oldest. The page queued last is not queued again at once,
 * as a walk hints object after object of the same page. */
static void cached_hint(struct ct_target *t, uint64_t addr, size_t len)
{
	struct page_cache *pc = pc_of(t);
	if (!pc->ahead_tried)
		start_ahead(pc);
	struct read_ahead *ra = pc->ra;
	if (!ra)
		return;
	uint64_t mask = ~(uint64_t)(pc->page_size - 1);
	uint64_t first = addr & mask, last = (addr + len - 1) & mask;
	if (first == last && first + 1 == ra->last_hint)
		return;
	pthread_mutex_lock(&ra->mu);
	for (uint64_t p = first; p <= last && p >= first; p += pc->page_size) {
		if (p + 1 == ra->last_hint || find_way(&pc->ways[set_base(pc, p)], p) >= 0)
			continue;
		if (ra->n == AHEAD_QUEUE) {
			ra->head = (ra->head + 1) % AHEAD_QUEUE;
			ra->n--;
		}
		ra->queue[(ra->head + ra->n++) % AHEAD_QUEUE] = p;
		ra->last_hint = p + 1;
	}
	pthread_cond_signal(&ra->work);
	pthread_mutex_unlock(&ra->mu);
}

uint64_t ct_page_cache_ahead_reads(const struct ct_target *t)
{
	const struct page_cache *pc = t->impl;
	if (!pc->ra)
		return 0;
	pthread_mutex_lock(&pc->ra->mu);
	uint64_t n = pc->ra->reads;
	pthread_mutex_unlock(&pc->ra->mu);
	return n;
}

static bool cached_interrupted(struct ct_target *t)
{
	return ct_target_interrupted(pc_of(t)->inner);
}

static void free_cache(struct page_cache *pc)
{
	if (pc) {
		free(pc->ways);
		free(pc->data);
	}
	free(pc);
}

static void cached_close(struct ct_target *t)
{
	struct page_cache *pc = pc_of(t);
	stop_ahead(pc);
	ct_target_close(pc->inner);
	free_cache(pc);
}

static const struct ct_target_ops cache_ops = {
	.kind = "page cache",
	.read = cached_read,
	.close = cached_close,
	.interrupted = cached_interrupted,
	.hint = cached_hint,
};

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
	*out = t;
	return CT_OK;
}
