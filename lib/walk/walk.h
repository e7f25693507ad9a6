/* walk.h — find every conntrack entry of a dumped kernel.
 *
 * Per network namespace (all of net_namespace_list): the kernel's count;
 * the confirmed hash (global or per-netns), every bucket, its nulls end
 * marker checked against the bucket index; the unconfirmed and dying lists
 * in whichever form this kernel has (per-netns, per-CPU, none) and the
 * event-redelivery dying list of 5.19+. Each entry is counted in its netns
 * (by ct_net), classified, and kept in the report when the filter keeps it.
 *
 * A dump is hostile: every read may fail, every chain is bounded and
 * cycle-checked; what cannot be read becomes a report problem and the walk
 * goes on where it safely can.
 */
#ifndef CTLEAK_WALK_H
#define CTLEAK_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/kmodel.h"
#include "report/report.h"
#include "kernel/program.h"

struct ct_walk_opts {
	struct ct_filter filter; /* which entries to keep (report.h) */
	bool progress;          /* a progress line on stderr for long walks */
	bool slab;              /* scan the nf_conntrack slab cache too */
	bool holders;           /* and the skb caches and NFQUEUEs for holders */
	uint64_t max_entries;   /* stop after this many entries (0: never); report partial */
};

/* Walk everything; the report gets namespaces, counts, entries, problems.
 * Fails only when nothing useful can be found (no namespace list, say). */
ct_status ct_walk(struct ct_program *p, const struct ct_kmodel *m,
		  const struct ct_walk_opts *o, struct ct_report *r,
		  struct ct_error *err);

#endif
