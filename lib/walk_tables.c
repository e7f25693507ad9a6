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

#define BUCKET_BATCH 65536

/* How a chain walk ended: cleanly, or with the first thing that broke it
 * (kept, not reported, so that a live walk can try again first). */
struct chain_end {
	bool broken;
	ct_status status;       /* a read's status, or CT_ERR_CORRUPT */
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
	end->status = CT_ERR_CORRUPT;
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
	unsigned long long b = bucket;
	/* "hash bucket 17", "unconfirmed_list of netns 4026531992 on CPU 1" */
	char what[96];
	if (where == CT_FOUND_HASH)
		snprintf(what, sizeof(what), "hash bucket %llu", b);
	else if (cpu >= 0)
		snprintf(what, sizeof(what), "%s of netns %u on CPU %d", ct_found_in_name(where),
			 owner ? owner->inum : 0, cpu);
	else
		snprintf(what, sizeof(what), "%s of netns %u", ct_found_in_name(where),
			 owner ? owner->inum : 0);
	end->broken = false;
	if (m->tuple_hash_size > sizeof(node_buf))
		return true;
	while (!(node & 1)) {
		if (node == 0)
			return chain_broken(end, 0, "%s: NULL pointer inside the chain", what);
		if (++steps > w->max_chain)
			return chain_broken(end, node, "%s: chain longer than %llu entries "
					    "(more than memory holds), not followed further", what,
					    (unsigned long long)w->max_chain);
		if (ct_target_read(w->t, node, node_buf, m->tuple_hash_size, &e)) {
			chain_broken(end, node, "%s: node unreadable (%s)", what,
				     ct_status_name(e.status));
			end->status = e.status;
			return false;
		}
		unsigned dir = node_buf[m->tuple + m->t.dst_dir];
		if (dir > 1)
			return chain_broken(end, node, "%s: node with tuple direction %u: "
					    "not a conntrack entry", what, dir);
		/* Each hashed entry is linked twice; count it at its ORIGINAL node. */
		if (where != CT_FOUND_HASH || dir == 0)
			walk_conn(w, node - m->nf_conn.tuplehash[dir], where, cpu, owner);
		uint64_t next;
		memcpy(&next, node_buf + m->hnnode + m->nulls_next, 8);
		if (next == tortoise || next == node)
			return chain_broken(end, node, "%s: chain loops back on itself", what);
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
 * is reported at once. `end` is how the first walk of the chain ended; each
 * re-walk reads the chain's first node afresh from head_addr. */
static void settle_chain(struct walk *w, uint64_t head_addr, enum ct_found_in where, int cpu,
			 struct walk_netns *owner, bool check_nulls, uint64_t bucket,
			 struct chain_end *end)
{
	unsigned tries = 0;
	while (end->broken && w->t->live && !w->stop) {
		if (tries == CT_LIVE_REWALKS) {
			w->r->unsettled++;
			ct_report_error(w->r, end->status, end->addr, "%s (still changing after %u re-walks)",
					  end->why, tries);
			w->rewalk = false;
			return;
		}
		tries++;
		w->r->rewalked++;
		w->rewalk = true;
		struct ct_error e = { 0 };
		uint64_t first;
		if (ct_target_read_u64(w->t, head_addr, &first, &e)) {
			ct_report_error(w->r, e.status, head_addr, "%s head unreadable (%s)",
					where == CT_FOUND_HASH ? "hash bucket" : ct_found_in_name(where),
					ct_status_name(e.status));
			w->rewalk = false;
			return;
		}
		walk_chain(w, first, where, cpu, owner, check_nulls, bucket, end);
	}
	w->rewalk = false;
	if (end->broken)
		ct_report_error(w->r, end->status, end->addr, "%s", end->why);
}

/* The hash, breadth first. Walking chain after chain visits nodes in hash
 * order, i.e. at random in memory: on a compressed dump every node costs a
 * page decompression, on a mapped one a cache and TLB miss. So all chains
 * of a batch of buckets advance together, one node each per round, and
 * each round visits its nodes in address order: neighbours in memory are
 * read one after the other. Checks and counts are those of walk_chain. */
struct cursor {
	uint64_t node, tortoise, power, lam, steps;
	uint32_t k;             /* bucket index within the batch */
};

/* LSD radix sort of n elements of `size` bytes whose first field is their
 * uint64_t key (a cursor's node, or a bare address), skipping the bytes all
 * keys share (the high bytes of kernel addresses). */
static uint64_t key_at(const unsigned char *e)
{
	uint64_t k;
	memcpy(&k, e, 8);
	return k;
}

static void radix_sort(void *base, void *scratch, size_t n, size_t size)
{
	unsigned char *a = base, *tmp = scratch;
	for (unsigned shift = 0; n && shift < 64; shift += 8) {
		size_t count[256] = { 0 };
		for (size_t i = 0; i < n; i++)
			count[(key_at(a + i * size) >> shift) & 0xff]++;
		if (count[(key_at(a) >> shift) & 0xff] == n)
			continue;
		size_t pos = 0;
		for (unsigned b = 0; b < 256; b++) {
			size_t k = count[b];
			count[b] = pos;
			pos += k;
		}
		for (size_t i = 0; i < n; i++)
			memcpy(tmp + count[(key_at(a + i * size) >> shift) & 0xff]++ * size, a + i * size,
			       size);
		memcpy(a, tmp, n * size);
	}
}

/* Entries met in a batch's chains are read in address order too, after
 * the chains: each nf_conn page is then visited once per batch. */
struct deferred {
	uint64_t *ct, *tmp;
	size_t n, cap;
};

static void defer_conn(struct walk *w, struct deferred *d, uint64_t ct, struct walk_netns *owner)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 65536;
		uint64_t *a = cap <= CT_MAX_DEFERRED ? realloc(d->ct, cap * sizeof(*a)) : NULL;
		uint64_t *b = a ? realloc(d->tmp, cap * sizeof(*b)) : NULL;
		if (a)
			d->ct = a;
		if (!a || !b) { /* no room to wait: at once */
			walk_conn(w, ct, CT_FOUND_HASH, -1, owner);
			return;
		}
		d->tmp = b;
		d->cap = cap;
	}
	d->ct[d->n++] = ct;
}

static void flush_deferred(struct walk *w, struct deferred *d, struct walk_netns *owner)
{
	radix_sort(d->ct, d->tmp, d->n, sizeof(*d->ct));
	for (size_t i = 0; i < d->n && !w->stop; i++)
		walk_conn(w, d->ct[i], CT_FOUND_HASH, -1, owner);
	d->n = 0;
}

static void walk_batch(struct walk *w, uint64_t hash, uint64_t first_bucket,
		       const uint64_t *heads, size_t n, struct walk_netns *owner,
		       struct cursor *cur, struct cursor *tmp, struct chain_end *ends,
		       struct deferred *d)
{
	const struct ct_kmodel *m = w->m;
	unsigned char node_buf[512];
	size_t live = 0;
	for (size_t k = 0; k < n; k++) {
		ends[k].broken = false;
		if (heads[k] & 1) {
			if (heads[k] >> 1 != first_bucket + k)
				chain_broken(&ends[k], heads[k], "hash bucket %llu: chain ends in the "
					     "nulls marker of bucket %llu (entry moved while %s, or "
					     "corruption)", (unsigned long long)(first_bucket + k),
					     (unsigned long long)(heads[k] >> 1),
					     w->t->live ? "it was read" : "the dump was taken");
			continue;
		}
		cur[live++] = (struct cursor){ heads[k], heads[k], 1, 0, 0, (uint32_t)k };
	}
	while (live && !w->stop) {
		radix_sort(cur, tmp, live, sizeof(*cur));
		size_t next_live = 0;
		for (size_t i = 0; i < live; i++) {
			struct cursor c = cur[i];
			struct chain_end *end = &ends[c.k];
			unsigned long long b = first_bucket + c.k;
			struct ct_error e = { 0 };
			if (c.node == 0) {
				chain_broken(end, 0, "hash bucket %llu: NULL pointer inside the chain", b);
				continue;
			}
			if (++c.steps > w->max_chain) {
				chain_broken(end, c.node, "hash bucket %llu: chain longer than %llu "
					     "entries (more than memory holds), not followed further", b,
					     (unsigned long long)w->max_chain);
				continue;
			}
			unsigned dir;
			uint64_t next;
			if (!walk_index_node(w, c.node, &dir, &next)) {
				if (ct_target_read(w->t, c.node, node_buf, m->tuple_hash_size, &e)) {
					chain_broken(end, c.node, "hash bucket %llu: node unreadable (%s)",
						     b, ct_status_name(e.status));
					continue;
				}
				dir = node_buf[m->tuple + m->t.dst_dir];
				memcpy(&next, node_buf + m->hnnode + m->nulls_next, 8);
			}
			if (dir > 1) {
				chain_broken(end, c.node, "hash bucket %llu: node with tuple direction "
					     "%u: not a conntrack entry", b, dir);
				continue;
			}
			if (dir == 0)
				defer_conn(w, d, c.node - m->nf_conn.tuplehash[0], owner);
			if (next == c.tortoise || next == c.node) {
				chain_broken(end, c.node, "hash bucket %llu: chain loops back on itself", b);
				continue;
			}
			if (++c.lam == c.power) { /* Brent's cycle detection */
				c.tortoise = next;
				c.power *= 2;
				c.lam = 0;
			}
			if (next & 1) {
				if (next >> 1 != b)
					chain_broken(end, next, "hash bucket %llu: chain ends in the nulls "
						     "marker of bucket %llu (entry moved while %s, or "
						     "corruption)", b, (unsigned long long)(next >> 1),
						     w->t->live ? "it was read" : "the dump was taken");
				continue;
			}
			c.node = next;
			cur[next_live++] = c;
		}
		live = next_live;
	}
	/* A live walk re-walks broken chains below: what the batch met is
	 * counted first. A dump's entries wait for the end of the hash. */
	if (w->t->live)
		flush_deferred(w, d, owner);
	/* Broken chains: reported, or on a live kernel walked again. */
	for (size_t k = 0; k < n && !w->stop; k++)
		if (ends[k].broken)
			settle_chain(w, hash + 8 * (first_bucket + k), CT_FOUND_HASH, -1, owner, true,
				     first_bucket + k, &ends[k]);
}

/* Does a table of `size` buckets fit the memory at hash? Every head of a
 * real table is its own nulls marker or a pointer to a node, even on a
 * running kernel: 17 buckets are sampled (the first, the last and 15 in
 * between). A size beyond the table's allocation reads unmapped memory or
 * garbage there; walking it would take ages or invent entries. Entries of
 * a hash not walked are still found by the slab scan (walk_conn.c). */
#define HASH_SAMPLES 17

static bool hash_fits(struct walk *w, uint64_t hash, uint64_t size)
{
	unsigned bad = 0, unreadable = 0;
	struct ct_error e = { 0 };
	for (unsigned k = 0; k < HASH_SAMPLES; k++) {
		uint64_t b = k == HASH_SAMPLES - 1 ? size - 1 : size * k / (HASH_SAMPLES - 1), v;
		if (ct_target_read_u64(w->t, hash + 8 * b, &v, &e) != CT_OK)
			unreadable++;
		else if ((v & 1) ? v >> 1 != b : v < 0xffff800000000000ULL || (v & 7))
			bad++;
	}
	if (unreadable == HASH_SAMPLES)
		ct_report_error(w->r, e.status, hash, "the hash at %#llx is unreadable (%s): hash not walked",
				(unsigned long long)hash, ct_status_name(e.status));
	else if (bad + unreadable > HASH_SAMPLES / 4)
		ct_report_problem(w->r, hash, "hash bucket count %llu does not fit the hash at %#llx "
				  "(%u of %u sampled buckets unreadable or not bucket heads): hash not walked",
				  (unsigned long long)size, (unsigned long long)hash, bad + unreadable,
				  HASH_SAMPLES);
	else
		return true;
	return false;
}

void walk_hash(struct walk *w, uint64_t hash, uint64_t size, struct walk_netns *owner)
{
	/* Bucket heads fill 8 bytes each: no more than memory holds. */
	if (size == 0 || size > CT_MAX_BUCKETS ||
	    size > w->max_chain * w->m->nf_conn_size / 8) {
		ct_report_problem(w->r, hash, "hash bucket count %llu is not plausible%s: hash not walked",
				  (unsigned long long)size, size && size <= CT_MAX_BUCKETS ?
				  " (its heads would not fit in memory)" : "");
		return;
	}
	/* A running kernel uses its table every moment: a size that did not
	 * fit would have brought it down. Dumps are sampled. */
	if (!w->t->live && !hash_fits(w, hash, size))
		return;
	uint64_t *heads = malloc(BUCKET_BATCH * sizeof(*heads));
	struct cursor *cur = malloc(BUCKET_BATCH * sizeof(*cur));
	struct cursor *tmp = malloc(BUCKET_BATCH * sizeof(*tmp));
	struct chain_end *ends = malloc(BUCKET_BATCH * sizeof(*ends));
	struct deferred d = { 0 };
	if (!heads || !cur || !tmp || !ends) {
		ct_report_error(w->r, CT_ERR_NOMEM, hash, "out of memory");
		free(heads);
		free(cur);
		free(tmp);
		free(ends);
		return;
	}
	for (uint64_t i = 0; i < size; i += BUCKET_BATCH) {
		uint64_t n = size - i < BUCKET_BATCH ? size - i : BUCKET_BATCH;
		struct ct_error e = { 0 };
		bool any = true; /* a bucket of the batch could be read */
		if (ct_target_read(w->t, hash + 8 * i, heads, n * 8, &e)) {
			any = false;
			/* Read bucket by bucket to keep what can be read, and
			 * name each unreadable run of buckets once. Memory is
			 * kept or lost by whole pages: an unreadable bucket's
			 * page is skipped at once (a size far beyond the table,
			 * as a resize between reading the size and the table
			 * gives a live walk, would cost a read per bucket). */
			uint64_t run = UINT64_MAX, ps = w->t->page_size ? w->t->page_size : 4096;
			for (uint64_t k = 0; k <= n; k++) {
				uint64_t a = hash + 8 * (i + k);
				bool bad = k < n && ct_target_read_u64(w->t, a, &heads[k], &e) != CT_OK;
				if (bad) {
					uint64_t skip = (ps - a % ps + 7) / 8;
					if (skip > n - k)
						skip = n - k;
					for (uint64_t j = k; j < k + skip; j++)
						heads[j] = ((i + j) << 1) | 1;
					if (run == UINT64_MAX)
						run = k;
					k += skip - 1;
					continue;
				}
				any |= k < n;
				if (run != UINT64_MAX) {
					ct_report_error(w->r, e.status, hash + 8 * (i + run),
							"hash buckets %llu-%llu unreadable (%s)",
							(unsigned long long)(i + run),
							(unsigned long long)(i + k - 1),
							ct_status_name(e.status));
					run = UINT64_MAX;
				}
			}
		}
		if (any) /* else every head is its own nulls marker: no chain */
			walk_batch(w, hash, i, heads, (size_t)n, owner, cur, tmp, ends, &d);
		if (ct_target_interrupted(w->t)) {
			w->stop = true;
			break;
		}
		if (w->o->progress)
			fprintf(stderr, "\rctleak: %llu of %llu buckets, %llu entries",
				(unsigned long long)(i + n), (unsigned long long)size,
				(unsigned long long)w->entries_seen);
	}
	flush_deferred(w, &d, owner);
	free(heads);
	free(cur);
	free(tmp);
	free(ends);
	free(d.ct);
	free(d.tmp);
}

void walk_list(struct walk *w, uint64_t head, enum ct_found_in where, int cpu,
	       struct walk_netns *owner)
{
	uint64_t first;
	if (w->stop)
		return;
	struct ct_error e = { 0 };
	if (ct_target_read_u64(w->t, head, &first, &e)) {
		ct_report_error(w->r, e.status, head, "%s head unreadable (%s)", ct_found_in_name(where),
				ct_status_name(e.status));
		return;
	}
	uint64_t before = w->met_again;
	struct chain_end end;
	walk_chain(w, first, where, cpu, owner, false, cpu >= 0 ? (uint64_t)cpu : 0, &end);
	settle_chain(w, head, where, cpu, owner, false, cpu >= 0 ? (uint64_t)cpu : 0, &end);
	/* Entries met before, on a list that is whole: it shares them with
	 * the hash or another list. One line for the list; a broken one was
	 * named above, which explains its own. */
	if (!end.broken && w->met_again > before)
		ct_report_problem(w->r, head, "nf_conn met again on the %s of netns %u: %llu "
				  "already met on the hash or another list, each counted once",
				  ct_found_in_name(where), owner ? owner->inum : 0,
				  (unsigned long long)(w->met_again - before));
}
