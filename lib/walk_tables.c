/* walk_tables.c — the confirmed hash and the unconfirmed/dying lists.
 *
 * Both are hlist_nulls: a chain ends in an odd "nulls" value instead of
 * NULL. For the hash, INIT_HLIST_NULLS_HEAD(&hash[i], i) makes it (i<<1)|1,
 * so a chain that ends in another bucket's marker moved while being read
 * (RCU reuse) or is corrupt. Entries are linked through
 * tuplehash[dir].hnnode; tuple.dst.dir names which one. Lists link the
 * ORIGINAL node only.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walk_internal.h"

#define BUCKET_BATCH 4096

/* How a chain walk ended: cleanly, or with the first thing that broke it
 * (kept, not reported, so that a live walk can try again first). */
struct chain_end {
	bool broken;
	uint64_t addr;
	char why[200];
};

static bool chain_broken(struct chain_end *end, uint64_t addr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool chain_broken(struct chain_end *end, uint64_t addr, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(end->why, sizeof(end->why), fmt, ap);
	va_end(ap);
	end->broken = true;
	end->addr = addr;
	return false;
}

/* Walk one chain. Entries met are counted as they are met (walk_conn
 * counts each address once, so a second walk of the same chain adds only
 * what the first one missed). False when the chain broke: *end says how. */
static bool walk_chain(struct walk *w, uint64_t first, enum ct_found_in where,
		       int cpu, struct walk_netns *owner, bool check_nulls,
		       uint64_t bucket, struct chain_end *end)
{
	const struct ct_kmodel *m = w->m;
	unsigned char node_buf[512];
	uint64_t node = first, tortoise = first;
	uint64_t power = 1, lam = 0, steps = 0;
	struct ct_error e = { 0 };
	const char *what = where == CT_FOUND_HASH ? "hash bucket" : ct_found_in_name(where);
	unsigned long long b = bucket;
	end->broken = false;
	if (m->tuple_hash_size > sizeof(node_buf))
		return true;
	while (!(node & 1)) {
		if (node == 0)
			return chain_broken(end, 0, "%s %llu: NULL pointer inside the chain", what, b);
		if (++steps > CT_MAX_CHAIN)
			return chain_broken(end, node, "%s %llu: chain longer than %d entries, "
					    "not followed further", what, b, CT_MAX_CHAIN);
		if (ct_target_read(w->t, node, node_buf, m->tuple_hash_size, &e))
			return chain_broken(end, node, "%s %llu: node unreadable (%s)", what, b,
					    ct_status_name(e.status));
		unsigned dir = node_buf[m->tuple + m->t.dst_dir];
		if (dir > 1)
			return chain_broken(end, node, "%s %llu: node with tuple direction %u: "
					    "not a conntrack entry", what, b, dir);
		/* Each hashed entry is linked twice; count it at its ORIGINAL node. */
		if (where != CT_FOUND_HASH || dir == 0)
			walk_conn(w, node - m->nf_conn.tuplehash[dir], where, cpu, owner);
		uint64_t next;
		memcpy(&next, node_buf + m->hnnode + m->nulls_next, 8);
		if (next == tortoise || next == node)
			return chain_broken(end, node, "%s %llu: chain loops back on itself", what, b);
		if (++lam == power) { /* Brent's cycle detection */
			tortoise = next;
			power *= 2;
			lam = 0;
		}
		node = next;
	}
	if (check_nulls && node >> 1 != bucket)
		return chain_broken(end, node, "hash bucket %llu: chain ends in the nulls marker of "
				    "bucket %llu (entry moved while %s, or corruption)", b,
				    (unsigned long long)(node >> 1),
				    w->t->live ? "it was read" : "the dump was taken");
	return true;
}

/* On a live kernel, entries move while we read: an RCU reader that ends
 * in another bucket's nulls marker restarts (__nf_conntrack_find_get), and
 * so do we, a bounded number of times. A dump holds still: a broken chain
 * is reported at once. read_head gives the chain's first node afresh. */
static void walk_chain_settled(struct walk *w, uint64_t head_addr, uint64_t first,
			       enum ct_found_in where, int cpu, struct walk_netns *owner,
			       bool check_nulls, uint64_t bucket)
{
	struct chain_end end;
	unsigned tries = 0;
	while (!walk_chain(w, first, where, cpu, owner, check_nulls, bucket, &end)) {
		if (!w->t->live || w->stop)
			break;
		if (tries == CT_LIVE_REWALKS) {
			w->r->unsettled++;
			ct_report_problem(w->r, end.addr, "%s (still changing after %u re-walks)",
					  end.why, tries);
			w->rewalk = false;
			return;
		}
		tries++;
		w->r->rewalked++;
		w->rewalk = true;
		struct ct_error e = { 0 };
		if (ct_target_read_u64(w->t, head_addr, &first, &e)) {
			ct_report_problem(w->r, head_addr, "%s head unreadable (%s)",
					  where == CT_FOUND_HASH ? "hash bucket" : ct_found_in_name(where),
					  ct_status_name(e.status));
			w->rewalk = false;
			return;
		}
	}
	w->rewalk = false;
	if (end.broken)
		ct_report_problem(w->r, end.addr, "%s", end.why);
}

void walk_hash(struct walk *w, uint64_t hash, uint64_t size, struct walk_netns *owner)
{
	if (size == 0 || size > CT_MAX_BUCKETS) {
		ct_report_problem(w->r, hash, "hash bucket count %llu is not plausible: hash not walked",
				  (unsigned long long)size);
		return;
	}
	uint64_t *heads = malloc(BUCKET_BATCH * sizeof(*heads));
	if (!heads) {
		ct_report_problem(w->r, hash, "out of memory");
		return;
	}
	for (uint64_t i = 0; i < size; i += BUCKET_BATCH) {
		uint64_t n = size - i < BUCKET_BATCH ? size - i : BUCKET_BATCH;
		struct ct_error e = { 0 };
		if (ct_target_read(w->t, hash + 8 * i, heads, n * 8, &e)) {
			/* Read bucket by bucket to keep what can be read, and
			 * name each unreadable run of buckets once. */
			uint64_t run = UINT64_MAX;
			for (uint64_t k = 0; k <= n; k++) {
				bool bad = k < n && ct_target_read_u64(w->t, hash + 8 * (i + k),
								       &heads[k], &e) != CT_OK;
				if (bad) {
					heads[k] = ((i + k) << 1) | 1;
					if (run == UINT64_MAX)
						run = k;
				} else if (run != UINT64_MAX) {
					ct_report_problem(w->r, hash + 8 * (i + run),
							  "hash buckets %llu-%llu unreadable (%s)",
							  (unsigned long long)(i + run),
							  (unsigned long long)(i + k - 1),
							  ct_status_name(e.status));
					run = UINT64_MAX;
				}
			}
		}
		for (uint64_t k = 0; k < n; k++)
			walk_chain_settled(w, hash + 8 * (i + k), heads[k], CT_FOUND_HASH, -1,
					   owner, true, i + k);
		if (ct_target_interrupted(w->t)) {
			w->stop = true;
			break;
		}
		if (w->o->progress && w->entries_seen - w->last_progress > 200000) {
			w->last_progress = w->entries_seen;
			fprintf(stderr, "\rctleak: %llu of %llu buckets, %llu entries",
				(unsigned long long)(i + n), (unsigned long long)size,
				(unsigned long long)w->entries_seen);
		}
	}
	free(heads);
}

void walk_list(struct walk *w, uint64_t head, enum ct_found_in where, int cpu,
	       struct walk_netns *owner)
{
	uint64_t first;
	if (w->stop)
		return;
	struct ct_error e = { 0 };
	if (ct_target_read_u64(w->t, head, &first, &e)) {
		ct_report_problem(w->r, head, "%s head unreadable (%s)", ct_found_in_name(where),
				  ct_status_name(e.status));
		return;
	}
	walk_chain_settled(w, head, first, where, cpu, owner, false,
			   cpu >= 0 ? (uint64_t)cpu : 0);
}
