/* page_cache.h — a set-associative cache of whole pages in front of a
 * Target whose reads are expensive (a compressed dump: every page read
 * decompresses it again, and walks visit objects in hash order, not in
 * memory order). Never for a live kernel: a cached page is a stale page.
 *
 * ct_page_cache_wrap replaces t->ops->read with a cached read; the cache
 * is freed by ct_target_close through the wrapped close op.
 */
#ifndef CTLEAK_PAGE_CACHE_H
#define CTLEAK_PAGE_CACHE_H

#include "target.h"

#define CT_PAGE_CACHE_WAYS 8

/* Cache up to `pages` pages (rounded to a multiple of the ways). */
ct_status ct_page_cache_wrap(struct ct_target *t, size_t pages, struct ct_error *err);

/* Statistics: page hits and misses so far (0 if t is not wrapped). */
void ct_page_cache_stats(const struct ct_target *t, uint64_t *hits, uint64_t *misses);

#endif
