/* page_cache.h — a set-associative cache of whole pages in front of a
 * Target whose reads are expensive (a compressed dump: every page read
 * decompresses it again, and walks visit objects in hash order, not in
 * memory order). Never for a live kernel: a cached page is a stale page.
 *
 * The cache is a Target of its own that owns the Target it wraps: reads
 * go through the cache, closing it closes both. Its hits and misses are
 * counted in its own struct ct_target (cache_hits, cache_misses).
 *
 * Read-ahead: when the wrapped Target can be cloned (target.h: clone), the
 * first hint starts one thread that reads hinted pages into the cache
 * through the clone while the walk works on what it has: on a compressed
 * dump a second core decompresses. The walker's own reads are unchanged:
 * a page hinted but not read yet is read by whichever thread gets to it
 * first, the other waits for it or finds it cached. A page the read-ahead
 * could not read is simply not cached: the caller's read then meets the
 * fault itself. ahead_reads counts the pages the thread read.
 */
#ifndef CTLEAK_PAGE_CACHE_H
#define CTLEAK_PAGE_CACHE_H

#include <stddef.h>

#include "target/target.h"

#define CT_PAGE_CACHE_WAYS 8

/* A Target caching up to `pages` pages (rounded to a multiple of the ways)
 * of inner, which it then owns: on failure inner is left to the caller. */
ct_status ct_page_cache_open(struct ct_target *inner, size_t pages, struct ct_target **out,
			     struct ct_error *err);
/* Pages the read-ahead thread of the page cache t has read (0 when none ran). */
uint64_t ct_page_cache_ahead_reads(const struct ct_target *t);

#endif
