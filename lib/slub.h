/* slub.h — SLUB allocator pieces that know nothing of conntrack.
 *
 * The layout comes from the kernel model (struct ct_slub_model in
 * kmodel.h: feature checks on the debug files); these functions only read.
 */
#ifndef CTLEAK_SLUB_H
#define CTLEAK_SLUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmodel.h"
#include "target.h"

/* A sorted array of addresses. */
struct ct_u64_sorted {
	uint64_t *v;
	size_t n;
};

/* Every free object the cache at cache keeps in sheaves (6.18+): each
 * possible CPU's main, spare and rcu_free sheaves and the full sheaves of
 * each node's barn, sorted. Without sheaves, none. False (why says what,
 * in a phrase) when some could not be read: those found are still in out.
 * The caller frees out with ct_u64_sorted_free. */
bool ct_slub_sheaf_objects(struct ct_target *t, const struct ct_slub_model *m, uint64_t cache,
			   const uint64_t *cpumask, unsigned nr_cpus, struct ct_u64_sorted *out,
			   char *why, size_t why_size);

void ct_u64_sorted_free(struct ct_u64_sorted *s);
/* Index of the first element >= v (n when none). */
size_t ct_u64_sorted_lower(const struct ct_u64_sorted *s, uint64_t v);

#endif
