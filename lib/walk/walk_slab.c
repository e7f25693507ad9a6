/* walk_slab.c — every allocated object of the nf_conntrack SLUB cache.
 *
 * On 5.19+ an unconfirmed entry, or a deleted one something still holds,
 * is on no list: only the allocator knows it. The scan itself is slub.c's
 * (slabs through the memmap, full ones included; free objects told apart
 * by the freelists and sheaves); here is what conntrack makes of it: which
 * caches (nf_conntrack, per namespace before 4.7, and the expectation and
 * skb caches that name holders), what each allocated object means, the
 * report's slab totals and its problem sentences. Contents never decide
 * liveness: the cache is SLAB_TYPESAFE_BY_RCU, so freed nf_conn keep
 * looking valid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/slub.h"
#include "walk/walk_internal.h"

/* One cache as the conntrack walk scans it: its objects go to object. */
struct slub {
	struct walk *w;
	slab_object_fn object;
	struct ct_slub_cache *c;
};

/* The caches of one scan: c[i] is scanned, s[i] is what walk_slab makes of it. */
struct slab_set {
	struct walk *w;
	struct ct_slub_cache *c;
	struct slub *s;
	unsigned n;
	size_t cap;
};

/* The index pass (walk_index.c) runs the same scan first: it stays silent,
 * the full scan after it reports. */
#define slab_problem(w, ...)                                        \
	do {                                                        \
		if (!(w)->indexing)                                 \
			ct_report_problem((w)->r, __VA_ARGS__);     \
	} while (0)
/* The same, for what leaves the accounting incomplete (once per text). */
#define slab_incomplete(w, ...)                                             \
	do {                                                                \
		if (!(w)->indexing)                                         \
			ct_report_incomplete((w)->r, CT_INC_SLAB_SCAN, __VA_ARGS__); \
	} while (0)

static void scan_problem(void *arg, ct_status st, uint64_t addr, const char *text)
{
	struct walk *w = arg;
	if (!w->indexing)
		ct_report_error(w->r, st, addr, "%s", text);
}

static void scan_incomplete(void *arg, const char *text)
{
	struct walk *w = arg;
	slab_incomplete(w, "%s", text);
}

static bool scan_stop(void *arg)
{
	const struct walk *w = arg;
	return w->stop;
}

static void scan_progress(void *arg, uint64_t pfn, uint64_t max_pfn)
{
	walk_progress_pages(arg, pfn, max_pfn);
}

/* Every allocated object of a scanned cache, to its walk_slab handler. */
static void slub_object(void *arg, struct ct_slub_cache *c, uint64_t obj)
{
	struct slub *s = arg;
	(void)c;
	s->object(s->w, s, obj);
}

uint64_t walk_slub_stride(const struct slub *s)
{
	return s->c->size;
}

static void add_cache(struct slab_set *set, const char *name, slab_object_fn object,
		      bool conntrack, uint64_t cache)
{
	unsigned i = set->n++;
	set->s[i] = (struct slub){ .w = set->w, .object = object, .c = &set->c[i] };
	set->c[i] = (struct ct_slub_cache){ .name = name, .cache = cache, .accounted = conntrack,
					    .object = slub_object, .arg = &set->s[i] };
}

static void release_all(struct slab_set *set)
{
	for (unsigned i = 0; i < set->n; i++)
		ct_slub_release(&set->c[i]);
	free(set->c);
	free(set->s);
}

/* Allocated nf_conn that no table or list led to: kept for walk_slab_finish,
 * after the namespaces they reveal (in teardown) have had their lists walked. */
static void conntrack_object(struct walk *w, struct slub *s, uint64_t obj)
{
	walk_seen_prefetch(w, obj + PREFETCH_AHEAD * walk_slub_stride(s));
	if (walk_seen(w, obj))
		return;
	if (!CT_VEC_PUSH(&w->pending, uint64_t, obj)) /* no room to wait: at once */
		walk_conn(w, obj, CT_FOUND_SLAB, -1, NULL);
}

void walk_slab_discover(struct walk *w)
{
	const struct ct_kmodel *m = w->m;
	if (!m->has_ct_net)
		return;
	for (size_t i = 0; i < w->pending.n; i++) {
		uint64_t net;
		struct ct_error e = { 0 };
		uint64_t obj = CT_VEC_AT(&w->pending, uint64_t, i);
		if (ct_target_read_u64(w->t, obj + m->nf_conn.ct_net, &net, &e) == CT_OK &&
		    !walk_netns_of(w, net))
			walk_cleanup_netns(w, net);
	}
}

void walk_slab_finish(struct walk *w)
{
	const uint64_t *pending = CT_VEC_DATA(&w->pending, uint64_t);
	for (size_t i = 0; i < w->pending.n && !w->stop; i++) {
		if (i + READ_AHEAD_ENTRIES < w->pending.n)
			ct_target_hint(w->t, pending[i + READ_AHEAD_ENTRIES], w->m->nf_conn_size);
		if (!walk_seen(w, pending[i]))
			walk_conn(w, pending[i], CT_FOUND_SLAB, -1, NULL);
	}
}

/* Before 4.7: every per-netns conntrack cache, "nf_conntrack_%p" of its
 * struct net — also of the namespaces already off net_namespace_list. */
struct netns_caches {
	struct slab_set *set;
	unsigned cap;
};

static bool add_netns_cache(uint64_t cache, const char *name, void *ctx)
{
	struct netns_caches *nc = ctx;
	static const char prefix[] = "nf_conntrack_";
	if (strncmp(name, prefix, sizeof(prefix) - 1) != 0 ||
	    strspn(name + sizeof(prefix) - 1, "0123456789abcdef") != strlen(name + sizeof(prefix) - 1) ||
	    !name[sizeof(prefix) - 1])
		return false;
	for (unsigned i = 0; i < nc->set->n; i++)
		if (nc->set->c[i].cache == cache)
			return false;
	if (nc->set->n < nc->cap)
		add_cache(nc->set, "nf_conntrack (per netns)", conntrack_object, true, cache);
	return false;
}

/* An skb of the skb caches: remember which conntrack entry it holds. */
static void skb_object(struct walk *w, struct slub *s, uint64_t obj)
{
	walk_note_skb(w, obj);
	/* skbuff_fclone_cache objects hold two skbs back to back. */
	if (s->c->accounted == false && s->c->size >= 2 * w->m->skbinfo.size &&
	    strcmp(s->c->name, "skbuff_fclone_cache") == 0)
		walk_note_skb(w, obj + w->m->skbinfo.size);
}

/* An expectation holds a reference on its master entry. */
static void expect_object(struct walk *w, struct slub *s, uint64_t obj)
{
	(void)s;
	uint64_t master;
	struct ct_error e = { 0 };
	if (ct_target_read_u64(w->t, obj + w->m->expect_master, &master, &e) == CT_OK)
		walk_note_master(w, obj, master, true);
}

/* The model usable, nf_conntrack_cachep (from 4.7) and the memmap found:
 * else false, with the problem and why the accounting is incomplete. */
static bool slab_prepare(struct walk *w, struct ct_slub_memmap *mm, uint64_t *ct_cache)
{
	const struct ct_kmodel *m = w->m;
	struct ct_error e = { 0 };
	if (!m->slub.usable) {
		const char *why = m->slub.why ? m->slub.why : "no slab model";
		slab_problem(w, 0, "slab scan impossible: %s: objects on no list cannot be found", why);
		slab_incomplete(w, "slab scan impossible: %s: entries on no list are not found", why);
		return false;
	}
	uint64_t last = 0;
	enum ct_slub_memmap_status st = CT_SLUB_MEMMAP_SYMBOL;
	if (m->per_netns_slab || !ct_program_symbol_u64(w->p, "nf_conntrack_cachep", ct_cache, &e))
		st = ct_slub_memmap_find(w->p, &m->slub, mm, &last, &e);
	if (st == CT_SLUB_MEMMAP_SYMBOL) {
		slab_problem(w, 0, "slab scan impossible: %s", e.text);
		slab_incomplete(w, "slab scan impossible (%s): entries on no list are not found",
				e.text);
		return false;
	}
	if (st == CT_SLUB_MEMMAP_MAX_PFN)
		slab_problem(w, 0, "slab scan: max_pfn %#llx not plausible",
			     (unsigned long long)mm->max_pfn);
	if (st == CT_SLUB_MEMMAP_UNMAPPED)
		slab_problem(w, 0, "slab scan: max_pfn %#llx not plausible: no memmap at its last "
			     "struct page %#llx", (unsigned long long)mm->max_pfn,
			     (unsigned long long)last);
	if (st != CT_SLUB_MEMMAP_OK) {
		slab_incomplete(w, "slab scan impossible (max_pfn not plausible): entries on no "
				"list are not found");
		return false;
	}
	return true;
}

/* The conntrack caches: one, or before 4.7 one per namespace (net->ct). */
static void conntrack_caches(struct slab_set *set, uint64_t ct_cache, slab_object_fn object)
{
	struct walk *w = set->w;
	const struct ct_kmodel *m = w->m;
	struct ct_error e = { 0 };
	if (!m->per_netns_slab) {
		add_cache(set, "nf_conntrack", object, true, ct_cache);
		return;
	}
	for (size_t i = 0; i < w->nns; i++) {
		uint64_t c;
		if (ct_target_read_u64(w->t, w->ns[i].net + m->net.ct + m->netns_ct.cachep, &c, &e) || !c)
			continue;
		bool dup = false;
		for (unsigned k = 0; k < set->n; k++)
			dup |= set->c[k].cache == c;
		if (dup)
			continue;
		add_cache(set, "nf_conntrack (per netns)", object, true, c);
	}
	struct netns_caches nc = { set, (unsigned)(set->cap - 3) };
	ct_slub_for_each_cache(w->p, &m->slub, add_netns_cache, &nc);
}

/* The caches that tell who holds entries: expectations and skbs. */
static void holder_caches(struct slab_set *set)
{
	struct walk *w = set->w;
	const struct ct_kmodel *m = w->m;
	if (m->expect_master && w->o->holders) {
		uint64_t c = ct_slub_cache_by_name(w->p, &m->slub, "nf_conntrack_expect");
		if (c)
			add_cache(set, "nf_conntrack_expect", expect_object, false, c);
	}
	if (m->skbinfo.usable && w->o->holders) {
		static const char *const skb_caches[] = { "skbuff_head_cache", "skbuff_fclone_cache" };
		for (size_t i = 0; i < 2; i++) {
			uint64_t c = ct_slub_cache_by_name(w->p, &m->slub, skb_caches[i]);
			if (c)
				add_cache(set, skb_caches[i], skb_object, false, c);
		}
	}
}

/* Set every cache up; false when no conntrack cache (of n_ct) is usable. */
static bool setup_caches(struct ct_slub_scan *sc, struct slab_set *set, unsigned n_ct,
			 const uint64_t *cpumask, unsigned nr)
{
	struct walk *w = set->w;
	unsigned ok_ct = 0;
	for (unsigned i = 0; i < set->n; i++) {
		if (ct_slub_setup_cache(sc, &set->c[i], cpumask, nr))
			ok_ct += set->c[i].accounted;
		else
			ct_slub_release(&set->c[i]);
	}
	if (ok_ct == 0 || ok_ct < n_ct) {
		slab_problem(w, 0, "slab scan: %u of %u nf_conntrack caches unusable%s",
			     n_ct - ok_ct, n_ct, ok_ct ? "" : ": not scanned");
		slab_incomplete(w, "slab scan: %u of %u nf_conntrack caches unusable: their "
				"entries on no list are not found", n_ct - ok_ct, n_ct);
	}
	return ok_ct != 0;
}

/* The scan done: the conntrack caches' counts to the report. */
static void slab_totals(const struct ct_slub_scan *sc, const struct slab_set *set)
{
	struct walk *w = set->w;
	struct ct_report *r = w->r;
	if (sc->interrupted)
		w->stop = true;
	/* The index pass scans the same pages first: counted once, here. */
	if (w->indexing)
		return;
	r->slab.unreadable_pages += sc->unreadable_pages;
	r->slab.scanned = true;
	r->slab.excluded_pages += sc->excluded_pages;
	for (unsigned i = 0; i < set->n; i++) {
		const struct ct_slub_cache *c = &set->c[i];
		if (!c->accounted)
			continue;
		r->slab.slabs += c->slabs;
		r->slab.objects += c->objects;
		r->slab.allocated += c->allocated;
		r->slab.unclassified_slabs += c->unclassified_slabs;
	}
}

void walk_slab(struct walk *w, slab_object_fn index_object)
{
	const struct ct_kmodel *m = w->m;
	struct ct_slub_scan sc = { .p = w->p, .m = &m->slub, .problem = scan_problem,
				   .incomplete = scan_incomplete, .stop = scan_stop,
				   .progress = w->o->progress ? scan_progress : NULL, .arg = w };
	uint64_t ct_cache = 0;
	if (!slab_prepare(w, &sc.mm, &ct_cache))
		return;
	uint64_t cpumask[CT_MAX_CPUS / 64];
	unsigned nr = 0;
	struct ct_error e = { 0 };
	if (ct_program_possible_cpus(w->p, cpumask, CT_MAX_CPUS, &nr, &e) != CT_OK) {
		nr = 0;
		slab_problem(w, 0, "slab scan: CPU slabs unknown: objects on CPU freelists may "
				  "be counted as allocated");
		slab_incomplete(w, "slab scan: the CPUs are unknown: free objects on CPU "
				"freelists may be counted as allocated");
	}
	struct slab_set set = { .w = w, .cap = 3 + (m->per_netns_slab ? w->nns + 64 : 1) };
	set.c = calloc(set.cap, sizeof(*set.c));
	set.s = calloc(set.cap, sizeof(*set.s));
	if (!set.c || !set.s) {
		release_all(&set);
		slab_problem(w, 0, "out of memory");
		return;
	}
	conntrack_caches(&set, ct_cache, index_object ? index_object : conntrack_object);
	unsigned n_ct = set.n;
	if (!index_object)
		holder_caches(&set);
	if (setup_caches(&sc, &set, n_ct, cpumask, nr)) {
		if (ct_slub_scan_memmap(&sc, set.c, set.n))
			slab_totals(&sc, &set);
		else
			slab_problem(w, 0, "out of memory");
	}
	release_all(&set);
}
