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

#include "base/chain.h"
#include "base/vec.h"
#include "walk/walk_internal.h"

#define BUCKET_BATCH 65536
#define NODE_BUF 512            /* the most of a node read (its tuple hash) */

/* How a chain walk ended: cleanly, or with the first thing that broke it
 * (kept, not reported, so that a live walk can try again first). */
struct chain_end {
	bool broken;
	ct_status status;       /* a read's status, or CT_ERR_CORRUPT */
	uint64_t addr;
	char why[200];
};

/* The chain walked, as problems name it. */
struct chain_id {
	enum ct_found_in where;
	int cpu;                /* a per-CPU list's CPU, else -1 */
	struct walk_netns *owner; /* the list's or hash's netns, NULL for the global hash */
	uint64_t bucket;        /* a hash chain's bucket */
};

/* "hash bucket 17", "unconfirmed_list of netns 4026531992 on CPU 1" */
static void chain_name(const struct chain_id *id, char *buf, size_t size)
{
	unsigned inum = id->owner ? id->owner->inum : 0;
	if (id->where == CT_FOUND_HASH)
		snprintf(buf, size, "hash bucket %llu", (unsigned long long)id->bucket);
	else if (id->cpu >= 0)
		snprintf(buf, size, "%s of netns %u on CPU %d", ct_found_in_name(id->where), inum,
			 id->cpu);
	else
		snprintf(buf, size, "%s of netns %u", ct_found_in_name(id->where), inum);
}

/* The chain broke at addr: "<chain name>: <what fmt says>" into *end. */
static bool chain_broken(struct chain_end *end, uint64_t addr, const struct chain_id *id,
			 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static bool chain_broken(struct chain_end *end, uint64_t addr, const struct chain_id *id,
			 const char *fmt, ...)
{
	char what[96];
	chain_name(id, what, sizeof(what));
	int len = snprintf(end->why, sizeof(end->why), "%s: ", what);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(end->why + len, sizeof(end->why) - len, fmt, ap);
	va_end(ap);
	end->broken = true;
	end->status = CT_ERR_CORRUPT;
	end->addr = addr;
	return false;
}

/* A hash chain ends in the nulls marker of its own bucket, else it moved
 * while read (RCU reuse) or is corrupt. */
static bool nulls_end(struct walk *w, const struct chain_id *id, uint64_t marker,
		      struct chain_end *end)
{
	if (marker >> 1 == id->bucket)
		return true;
	return chain_broken(end, marker, id, "chain ends in the nulls marker of bucket %llu "
			    "(entry moved while %s, or corruption)", (unsigned long long)(marker >> 1),
			    w->t->live ? "it was read" : "the dump was taken");
}

/* Step onto node, the next of chain ch, and read its direction and next
 * pointer (from the node index when it has the node: the same bytes).
 * False when the chain breaks there: *end says how. */
static bool read_node(struct walk *w, struct ct_chain *ch, uint64_t node, const struct chain_id *id,
		      unsigned *dir, uint64_t *next, struct chain_end *end)
{
	const struct ct_kmodel *m = w->m;
	if (node == 0)
		return chain_broken(end, 0, id, "NULL pointer inside the chain");
	switch (ct_chain_step(ch, node)) {
	case CT_CHAIN_CYCLE:
		return chain_broken(end, ch->last, id, "chain loops back on itself");
	case CT_CHAIN_TOO_LONG:
		return chain_broken(end, node, id, "chain longer than %llu entries (more than memory "
				    "holds), not followed further", (unsigned long long)w->max_chain);
	case CT_CHAIN_OK:
		break;
	}
	if (!walk_index_node(w, node, dir, next)) {
		unsigned char buf[NODE_BUF];
		struct ct_error e = { 0 };
		if (ct_target_read(w->t, node, buf, m->tuple_hash_size, &e)) {
			chain_broken(end, node, id, "node unreadable (%s)", ct_status_name(e.status));
			end->status = e.status;
			return false;
		}
		*dir = buf[m->tuple + m->t.dst_dir];
		memcpy(next, buf + m->hnnode + m->nulls_next, 8);
	}
	if (*dir > 1)
		return chain_broken(end, node, id, "node with tuple direction %u: not a conntrack "
				    "entry", *dir);
	return true;
}

/* Walk one chain. Entries met are counted as they are met (walk_conn
 * counts each address once, so a second walk of the same chain adds only
 * what the first one missed). False when the chain broke: *end says how. */
static bool walk_chain(struct walk *w, uint64_t first, const struct chain_id *id,
		       bool check_nulls, struct chain_end *end)
{
	const struct ct_kmodel *m = w->m;
	uint64_t node = first;
	struct ct_chain ch;
	end->broken = false;
	if (m->tuple_hash_size > NODE_BUF)
		return true;
	ct_chain_init(&ch, w->max_chain);
	while (!(node & 1)) {
		unsigned dir;
		uint64_t next;
		if (!read_node(w, &ch, node, id, &dir, &next, end))
			return false;
		/* Each hashed entry is linked twice; count it at its ORIGINAL node. */
		if (id->where != CT_FOUND_HASH || dir == 0)
			walk_conn(w, node - m->nf_conn.tuplehash[dir], id->where, id->cpu, id->owner);
		node = next;
	}
	return !check_nulls || nulls_end(w, id, node, end);
}

/* On a live kernel, entries move while we read: an RCU reader that ends
 * in another bucket's nulls marker restarts (__nf_conntrack_find_get), and
 * so do we, a bounded number of times. A dump holds still: a broken chain
 * is reported at once. `end` is how the first walk of the chain ended; each
 * re-walk reads the chain's first node afresh from head_addr. */
static void settle_chain(struct walk *w, uint64_t head_addr, const struct chain_id *id,
			 bool check_nulls, struct chain_end *end)
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
					id->where == CT_FOUND_HASH ? "hash bucket" :
					ct_found_in_name(id->where), ct_status_name(e.status));
			w->rewalk = false;
			return;
		}
		walk_chain(w, first, id, check_nulls, end);
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
 * read one after the other. Checks and counts are those of walk_chain.
 * What a round sorts is small (a node and its bucket); each bucket's
 * chain state stays in place, in the batch's arrays. */
struct cursor {
	uint64_t node;          /* the node to visit next: the sort key, first */
	uint64_t k;             /* bucket index within the batch */
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
	if (n < 2)
		return;
	/* Every byte's histogram in one pass over the keys; only the bytes
	 * that differ between keys get a pass of their own, each from one
	 * array into the other. */
	size_t count[8][256] = { { 0 } };
	for (size_t i = 0; i < n; i++) {
		uint64_t k = key_at(a + i * size);
		for (unsigned b = 0; b < 8; b++)
			count[b][(k >> (8 * b)) & 0xff]++;
	}
	uint64_t first = key_at(a);
	for (unsigned b = 0; b < 8; b++) {
		unsigned shift = 8 * b;
		size_t *c = count[b];
		if (c[(first >> shift) & 0xff] == n)
			continue;
		size_t pos = 0;
		for (unsigned v = 0; v < 256; v++) {
			size_t k = c[v];
			c[v] = pos;
			pos += k;
		}
		for (size_t i = 0; i < n; i++)
			memcpy(tmp + c[(key_at(a + i * size) >> shift) & 0xff]++ * size, a + i * size,
			       size);
		unsigned char *t = a;
		a = tmp;
		tmp = t;
	}
	if (a != base)
		memcpy(base, a, n * size);
}

/* Entries met in a batch's chains are read in address order too, after
 * the chains: each nf_conn page is then visited once per batch. */
struct deferred {
	struct ct_vec ct;       /* uint64_t: the nf_conn met */
	struct ct_vec tmp;      /* the radix sort's scratch, as large */
};

static void defer_conn(struct walk *w, struct deferred *d, uint64_t ct, struct walk_netns *owner)
{
	/* No room to wait: at once. */
	if (!ct_vec_reserve(&d->tmp, d->ct.n + 1) || !CT_VEC_PUSH(&d->ct, uint64_t, ct))
		walk_conn(w, ct, CT_FOUND_HASH, -1, owner);
}

static void flush_deferred(struct walk *w, struct deferred *d, struct walk_netns *owner)
{
	const uint64_t *ct = CT_VEC_DATA(&d->ct, uint64_t);
	radix_sort(d->ct.data, d->tmp.data, d->ct.n, sizeof(*ct));
	for (size_t i = 0; i < d->ct.n && !w->stop; i++) {
		if (i + PREFETCH_AHEAD < d->ct.n)
			walk_seen_prefetch(w, ct[i + PREFETCH_AHEAD]);
		if (i + READ_AHEAD_ENTRIES < d->ct.n)
			ct_target_hint(w->t, ct[i + READ_AHEAD_ENTRIES], w->m->nf_conn_size);
		walk_conn(w, ct[i], CT_FOUND_HASH, -1, owner);
	}
	ct_vec_clear(&d->ct);
}

/* What walk_hash walks its batches with: BUCKET_BATCH of each array. */
struct batch {
	uint64_t *heads;        /* the buckets' first nodes */
	struct cursor *cur, *tmp;
	struct ct_chain *chains; /* each bucket's chain, as walked so far */
	struct chain_end *ends; /* how a broken bucket's chain ended */
	uint8_t *broken;        /* which buckets' chains broke (ends says how) */
	struct deferred d;
	struct walk_netns *owner;
	uint64_t hash, first;   /* the table, the batch's first bucket */
	size_t n;               /* buckets in the batch */
};

static bool batch_alloc(struct walk *w, struct batch *b, uint64_t hash, struct walk_netns *owner)
{
	*b = (struct batch){
		.heads = malloc(BUCKET_BATCH * sizeof(*b->heads)),
		.cur = malloc(BUCKET_BATCH * sizeof(*b->cur)),
		.tmp = malloc(BUCKET_BATCH * sizeof(*b->tmp)),
		.chains = malloc(BUCKET_BATCH * sizeof(*b->chains)),
		.ends = malloc(BUCKET_BATCH * sizeof(*b->ends)),
		.broken = malloc(BUCKET_BATCH),
		.d = { CT_VEC_INIT(uint64_t, CT_MAX_DEFERRED), CT_VEC_INIT(uint64_t, CT_MAX_DEFERRED) },
		.owner = owner,
		.hash = hash,
	};
	/* The deferred entries of the global hash (of every namespace, from
	 * 4.x) wait for its end: room for the entries the counters expect at
	 * once (no doubling, no copies). */
	if (!owner) {
		ct_vec_reserve(&b->d.ct, walk_expected_entries(w));
		ct_vec_reserve(&b->d.tmp, walk_expected_entries(w));
	}
	return b->heads && b->cur && b->tmp && b->chains && b->ends && b->broken;
}

static void batch_free(struct batch *b)
{
	free(b->heads);
	free(b->cur);
	free(b->tmp);
	free(b->chains);
	free(b->ends);
	free(b->broken);
	ct_vec_free(&b->d.ct);
	ct_vec_free(&b->d.tmp);
}

static struct chain_id bucket_id(const struct batch *b, uint32_t k)
{
	return (struct chain_id){ CT_FOUND_HASH, -1, b->owner, b->first + k };
}

/* A cursor for every bucket whose chain is not empty; the empty ones'
 * markers checked. The number of cursors. */
static size_t batch_start(struct walk *w, struct batch *b)
{
	size_t live = 0;
	memset(b->broken, 0, b->n);
	for (size_t k = 0; k < b->n; k++) {
		if (b->heads[k] & 1) {
			struct chain_id id = bucket_id(b, (uint32_t)k);
			b->broken[k] = !nulls_end(w, &id, b->heads[k], &b->ends[k]);
			continue;
		}
		b->cur[live++] = (struct cursor){ b->heads[k], k };
		ct_chain_init(&b->chains[k], w->max_chain);
	}
	return live;
}

/* One round: each of the live chains advances by one node, in address
 * order. The chains still live after it. */
static size_t batch_round(struct walk *w, struct batch *b, size_t live)
{
	const struct ct_kmodel *m = w->m;
	radix_sort(b->cur, b->tmp, live, sizeof(*b->cur));
	size_t next_live = 0;
	for (size_t i = 0; i < live; i++) {
		if (i + PREFETCH_AHEAD < live) {
			walk_index_prefetch(w, b->cur[i + PREFETCH_AHEAD].node, false);
			__builtin_prefetch(&b->chains[b->cur[i + PREFETCH_AHEAD].k]);
		}
		if (i + PREFETCH_AHEAD / 2 < live)
			walk_index_prefetch(w, b->cur[i + PREFETCH_AHEAD / 2].node, true);
		struct cursor c = b->cur[i];
		struct chain_end *end = &b->ends[c.k];
		struct chain_id id = bucket_id(b, (uint32_t)c.k);
		unsigned dir;
		uint64_t next;
		if (!read_node(w, &b->chains[c.k], c.node, &id, &dir, &next, end)) {
			b->broken[c.k] = 1;
			continue;
		}
		if (dir == 0)
			defer_conn(w, &b->d, c.node - m->nf_conn.tuplehash[0], b->owner);
		if (next & 1) {
			b->broken[c.k] = !nulls_end(w, &id, next, end);
			continue;
		}
		c.node = next;
		b->cur[next_live++] = c;
	}
	return next_live;
}

/* The buckets first..first+n of the hash, whose heads are read. */
static void walk_batch(struct walk *w, struct batch *b, uint64_t first, size_t n)
{
	b->first = first;
	b->n = n;
	for (size_t live = batch_start(w, b); live && !w->stop;)
		live = batch_round(w, b, live);
	/* A live walk re-walks broken chains below: what the batch met is
	 * counted first. A dump's entries wait for the end of the hash. */
	if (w->t->live)
		flush_deferred(w, &b->d, b->owner);
	/* Broken chains: reported, or on a live kernel walked again. */
	for (size_t k = 0; k < n && !w->stop; k++) {
		if (!b->broken[k])
			continue;
		struct chain_id id = bucket_id(b, (uint32_t)k);
		settle_chain(w, b->hash + 8 * (first + k), &id, true, &b->ends[k]);
	}
}

/* The heads of buckets i..i+n. When they cannot be read at once, they are
 * read bucket by bucket to keep what can be read, and each unreadable run
 * of buckets is named once. Memory is kept or lost by whole pages: an
 * unreadable bucket's page is skipped at once (a size far beyond the
 * table, as a resize between reading the size and the table gives a live
 * walk, would cost a read per bucket); its heads become their own nulls
 * markers (no chain). False when no bucket of the batch could be read. */
static bool read_heads(struct walk *w, uint64_t hash, uint64_t i, uint64_t n, uint64_t *heads)
{
	struct ct_error e = { 0 };
	if (!ct_target_read(w->t, hash + 8 * i, heads, n * 8, &e))
		return true;
	bool any = false;
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
					"hash buckets %llu-%llu unreadable (%s)", (unsigned long long)(i + run),
					(unsigned long long)(i + k - 1), ct_status_name(e.status));
			run = UINT64_MAX;
		}
	}
	return any;
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

/* A bucket count no table of this memory can have, a node larger than
 * read_node reads, or (dumps) a count that does not fit the table in
 * memory: named, and false. */
static bool hash_walkable(struct walk *w, uint64_t hash, uint64_t size)
{
	/* Bucket heads fill 8 bytes each: no more than memory holds. */
	if (size == 0 || size > CT_MAX_BUCKETS ||
	    size > w->max_chain * w->m->nf_conn_size / 8) {
		ct_report_problem(w->r, hash, "hash bucket count %llu is not plausible%s: hash not walked",
				  (unsigned long long)size, size && size <= CT_MAX_BUCKETS ?
				  " (its heads would not fit in memory)" : "");
		return false;
	}
	if (w->m->tuple_hash_size > NODE_BUF) {
		ct_report_problem(w->r, hash, "sizeof(struct nf_conntrack_tuple_hash) %u is not "
				  "plausible: hash not walked", w->m->tuple_hash_size);
		return false;
	}
	/* A running kernel uses its table every moment: a size that did not
	 * fit would have brought it down. Dumps are sampled. */
	return w->t->live || hash_fits(w, hash, size);
}

void walk_hash(struct walk *w, uint64_t hash, uint64_t size, struct walk_netns *owner)
{
	if (!hash_walkable(w, hash, size))
		return;
	struct batch b;
	if (!batch_alloc(w, &b, hash, owner)) {
		ct_report_error(w->r, CT_ERR_NOMEM, hash, "out of memory");
		batch_free(&b);
		return;
	}
	for (uint64_t i = 0; i < size; i += BUCKET_BATCH) {
		uint64_t n = size - i < BUCKET_BATCH ? size - i : BUCKET_BATCH;
		if (read_heads(w, hash, i, n, b.heads)) /* else every head is its own marker */
			walk_batch(w, &b, i, (size_t)n);
		if (ct_target_interrupted(w->t)) {
			w->stop = true;
			break;
		}
	}
	flush_deferred(w, &b.d, owner);
	batch_free(&b);
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
	struct chain_id id = { where, cpu, owner, cpu >= 0 ? (uint64_t)cpu : 0 };
	struct chain_end end;
	walk_chain(w, first, &id, false, &end);
	settle_chain(w, head, &id, false, &end);
	/* Entries met before, on a list that is whole: it shares them with
	 * the hash or another list. One line for the list; a broken one was
	 * named above, which explains its own. */
	if (!end.broken && w->met_again > before)
		ct_report_problem(w->r, head, "nf_conn met again on the %s of netns %u: %llu "
				  "already met on the hash or another list, each counted once",
				  ct_found_in_name(where), owner ? owner->inum : 0,
				  (unsigned long long)(w->met_again - before));
}
