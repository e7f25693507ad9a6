/* walk_holders.c — who holds a suspect entry.
 *
 * An skb carries its entry in skb->_nfct (pointer | ctinfo in the low 3 bits,
 * 4.11+) or skb->nfct (older). The slab scan notes every allocated skb of
 * the skb caches that carries one; here those are matched to suspects. A
 * packet parked in an NFQUEUE is an nf_queue_entry on its queue instance's
 * list, and records the hook it was queued at: that is hard evidence of an
 * entry's last hook, better than the inference from addresses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walk_internal.h"

#define MAX_SKB_REFS (4u << 20)
#define NFQ_BUCKETS 16          /* INSTANCE_BUCKETS in nfnetlink_queue.c */
#define NFQ_MAX_INSTANCES 65536 /* queue numbers are u16: per namespace */
#define MAX_QUEUED 1000000      /* queued packets in all, every one an object */

static const char *const hook_names[] = {
	"PRE_ROUTING", "LOCAL_IN", "FORWARD", "LOCAL_OUT", "POST_ROUTING",
};

static uint64_t skb_entry(struct walk *w, uint64_t skb)
{
	uint64_t v;
	struct ct_error e = { 0 };
	if (ct_target_read_u64(w->t, skb + w->m->skb.nfct, &v, &e))
		return 0;
	/* skb->_nfct packs ctinfo into the low bits; skb->nfct is a pointer. */
	return w->m->skb_link == CT_SKB_NFCT_WORD ? v & ~7ULL : v;
}

void walk_note_skb(struct walk *w, uint64_t skb)
{
	uint64_t ct = skb_entry(w, skb);
	if (!ct)
		return;
	if (w->n_skb_refs == w->cap_skb_refs) {
		size_t cap = w->cap_skb_refs ? w->cap_skb_refs * 2 : 1024;
		if (cap > MAX_SKB_REFS)
			return;
		struct skb_ref *p = realloc(w->skb_refs, cap * sizeof(*p));
		if (!p)
			return;
		w->skb_refs = p;
		w->cap_skb_refs = cap;
	}
	w->skb_refs[w->n_skb_refs++] = (struct skb_ref){ skb, ct };
}

/* Expectations are kept apart from children by the top bit of the holder
 * address, which a kernel address always has set: cleared for them. */
#define EXPECT_TAG (1ULL << 63)

void walk_note_master(struct walk *w, uint64_t holder, uint64_t master, bool expectation)
{
	if (!master)
		return;
	if (w->n_child_refs == w->cap_child_refs) {
		size_t cap = w->cap_child_refs ? w->cap_child_refs * 2 : 64;
		if (cap > MAX_SKB_REFS)
			return;
		struct skb_ref *p = realloc(w->child_refs, cap * sizeof(*p));
		if (!p)
			return;
		w->child_refs = p;
		w->cap_child_refs = cap;
	}
	w->child_refs[w->n_child_refs++] =
		(struct skb_ref){ expectation ? holder & ~EXPECT_TAG : holder, master };
}

/* The kept suspect entry at address ct, or NULL (linear index built once). */
struct suspect_index {
	uint64_t *keys;
	size_t *vals, cap;
};

static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	return k ^ (k >> 33);
}

static void index_build(struct suspect_index *ix, const struct ct_report *r)
{
	ix->cap = 16;
	while (ix->cap < 2 * r->n_entries + 2)
		ix->cap *= 2;
	ix->keys = calloc(ix->cap, sizeof(*ix->keys));
	ix->vals = calloc(ix->cap, sizeof(*ix->vals));
	if (!ix->keys || !ix->vals) {
		ix->cap = 0;
		return;
	}
	for (size_t i = 0; i < r->n_entries; i++) {
		if (!r->entries[i].suspect)
			continue;
		size_t j = mix(r->entries[i].addr) & (ix->cap - 1);
		while (ix->keys[j])
			j = (j + 1) & (ix->cap - 1);
		ix->keys[j] = r->entries[i].addr;
		ix->vals[j] = i;
	}
}

static struct ct_entry *index_find(const struct suspect_index *ix, struct ct_report *r, uint64_t ct)
{
	if (!ix->cap || !ct)
		return NULL;
	size_t j = mix(ct) & (ix->cap - 1);
	while (ix->keys[j]) {
		if (ix->keys[j] == ct)
			return &r->entries[ix->vals[j]];
		j = (j + 1) & (ix->cap - 1);
	}
	return NULL;
}

static void add_holder(struct ct_entry *e, const char *kind, uint64_t addr, const char *detail)
{
	e->holders_total++;
	if (e->nholders == CT_MAX_HOLDERS)
		return;
	struct ct_holder *h = &e->holders[e->nholders++];
	snprintf(h->kind, sizeof(h->kind), "%s", kind);
	h->addr = addr;
	snprintf(h->detail, sizeof(h->detail), "%s", detail);
}

static void skb_detail(struct walk *w, uint64_t skb, char *buf, size_t size)
{
	const struct ct_kmodel *m = w->m;
	uint32_t len = 0;
	uint64_t dev = 0;
	char name[17] = "-";
	struct ct_error e = { 0 };
	ct_target_read_u32(w->t, skb + m->skbinfo.len, &len, &e);
	if (ct_target_read_u64(w->t, skb + m->skbinfo.dev, &dev, &e) == CT_OK && dev &&
	    ct_target_read(w->t, dev + m->skbinfo.devname, name, 16, &e) != CT_OK)
		snprintf(name, sizeof(name), "?");
	name[16] = '\0';
	uint64_t sk = 0;
	if (m->skbinfo.has_sk)
		ct_target_read_u64(w->t, skb + m->skbinfo.sk, &sk, &e);
	if (sk)
		snprintf(buf, size, "len %u dev %s sk 0x%llx", len, name[0] ? name : "-",
			 (unsigned long long)sk);
	else
		snprintf(buf, size, "len %u dev %s", len, name[0] ? name : "-");
}

/* Brent's cycle detection along a chain: true when next closes a loop. */
struct loop_check {
	uint64_t tortoise, power, lam;
};

static bool loops(struct loop_check *c, uint64_t next)
{
	if (next == c->tortoise)
		return true;
	if (++c->lam == c->power) {
		c->tortoise = next;
		c->power *= 2;
		c->lam = 0;
	}
	return false;
}

/* The report's queue list grows by doubling: its capacity is its length
 * rounded up to a power of two (nothing else appends to it). */
static void add_nfqueue(struct ct_report *r, const struct ct_nfqueue *q)
{
	size_t n = r->n_nfqueues;
	if ((n & (n - 1)) == 0) {
		struct ct_nfqueue *p = realloc(r->nfqueues, (n ? 2 * n : 1) * sizeof(*p));
		if (!p)
			return;
		r->nfqueues = p;
	}
	r->nfqueues[r->n_nfqueues++] = *q;
}

/* Every queued packet of every NFQUEUE instance of one namespace. A
 * corrupt pointer can make the instance chains or a queue list loop, or
 * lead into some other list that never ends: loops are caught, and the
 * instances of a namespace and the packets of the whole walk are bounded
 * (*queued counts them). */
static void walk_nfqueues(struct walk *w, struct walk_netns *ns, uint32_t net_id,
			  const struct suspect_index *ix, uint64_t *queued)
{
	const struct ct_kmodel *m = w->m;
	struct ct_error e = { 0 };
	uint64_t gen, qnet;
	uint32_t len;
	if (ct_target_read_u64(w->t, ns->net + m->net.gen, &gen, &e) ||
	    ct_target_read_u32(w->t, gen + m->net_generic.len, &len, &e))
		return;
	uint64_t slot = m->netgen == CT_NETGEN_PTR_ID_MINUS_1 ? net_id - 1 : net_id;
	if (net_id == 0 || slot >= len ||
	    ct_target_read_u64(w->t, gen + m->net_generic.ptr + 8 * slot, &qnet, &e) || !qnet)
		return;
	unsigned instances = 0;
	for (unsigned b = 0; b < NFQ_BUCKETS; b++) {
		uint64_t node;
		if (ct_target_read_u64(w->t, qnet + m->nfq.table + 8ULL * b, &node, &e))
			break;
		struct loop_check chain = { node, 1, 0 };
		while (node) {
			if (instances++ == NFQ_MAX_INSTANCES || *queued >= MAX_QUEUED) {
				ct_report_error(w->r, CT_ERR_LIMIT, qnet, "netns %u: more than %u NFQUEUE instances "
						"or %u queued packets: not followed further",
						ns->inum, NFQ_MAX_INSTANCES, MAX_QUEUED);
				return;
			}
			uint64_t inst = node - m->nfq.inst_hlist;
			uint16_t num = 0;
			uint32_t portid = 0, total = 0;
			ct_target_read(w->t, inst + m->nfq.num, &num, 2, &e);
			ct_target_read_u32(w->t, inst + m->nfq.portid, &portid, &e);
			ct_target_read_u32(w->t, inst + m->nfq.total, &total, &e);
			add_nfqueue(w->r, &(struct ct_nfqueue){ ns->inum, num, portid, total, inst });
			uint64_t head = inst + m->nfq.inst_list, ln;
			if (ct_target_read_u64(w->t, head, &ln, &e))
				break;
			struct loop_check list = { ln, 1, 0 };
			for (; ln != head && *queued < MAX_QUEUED; ++*queued) {
				uint64_t qe = ln - m->nfq.e_list, skb;
				uint32_t id = 0;
				uint8_t hook = 0xff;
				if (ct_target_read_u64(w->t, qe + m->nfq.e_skb, &skb, &e))
					break;
				ct_target_read_u32(w->t, qe + m->nfq.e_id, &id, &e);
				ct_target_read(w->t, qe + m->nfq.e_hook, &hook, 1, &e);
				struct ct_entry *ce = index_find(ix, w->r, skb_entry(w, skb));
				if (ce) {
					const char *hn = hook < 5 ? hook_names[hook] : "?";
					char d[72];
					snprintf(d, sizeof(d), "queue %u packet id %u hook %s", num, id, hn);
					add_holder(ce, "nfqueue", qe, d);
					snprintf(ce->last_hook, sizeof(ce->last_hook), "%s", hn);
					snprintf(ce->last_hook_evidence, sizeof(ce->last_hook_evidence),
						 "nfqueue %u, packet id %u", num, id);
					/* Queued before confirm at POST_ROUTING / LOCAL_IN: the
					 * confirm hook of the same hook never ran. */
					if (ce->state == CT_STATE_UNCONFIRMED && (hook == 1 || hook == 4))
						snprintf(ce->next_hook, sizeof(ce->next_hook), "%s", hn);
				}
				if (ct_target_read_u64(w->t, ln, &ln, &e))
					break;
				if (ln != head && loops(&list, ln)) {
					ct_report_problem(w->r, inst, "netns %u: NFQUEUE %u: queue list "
							  "loops back on itself", ns->inum, num);
					break;
				}
			}
			if (ct_target_read_u64(w->t, node, &node, &e))
				break;
			if (node && loops(&chain, node)) {
				ct_report_problem(w->r, inst, "netns %u: NFQUEUE instance chain loops "
						  "back on itself", ns->inum);
				break;
			}
		}
	}
}

void walk_holders(struct walk *w)
{
	struct suspect_index ix = { 0 };
	index_build(&ix, w->r);
	w->r->holders_searched = true;
	for (size_t i = 0; i < w->n_skb_refs; i++) {
		struct ct_entry *e = index_find(&ix, w->r, w->skb_refs[i].ct);
		if (!e)
			continue;
		char d[72];
		skb_detail(w, w->skb_refs[i].skb, d, sizeof(d));
		add_holder(e, "skb", w->skb_refs[i].skb, d);
	}
	for (size_t i = 0; i < w->n_child_refs; i++) {
		struct ct_entry *e = index_find(&ix, w->r, w->child_refs[i].ct);
		if (!e)
			continue;
		uint64_t h = w->child_refs[i].skb;
		bool exp = !(h & EXPECT_TAG);
		add_holder(e, exp ? "expect" : "child", exp ? h | EXPECT_TAG : h,
			   exp ? "an expectation's master" : "a related entry's master");
	}
	uint32_t qid;
	uint64_t queued = 0;
	if (w->m->nfq.usable && ct_target_symbol_u32(w->t, "nfnl_queue_net_id", &qid, NULL) == CT_OK)
		for (size_t i = 0; i < w->nns; i++)
			walk_nfqueues(w, &w->ns[i], qid, &ix, &queued);
	/* A deleted entry nobody holds was leaked by whoever took a reference. */
	for (size_t i = 0; i < w->r->n_entries; i++) {
		struct ct_entry *e = &w->r->entries[i];
		if (!e->suspect || e->state == CT_STATE_TRANSITION)
			continue;
		bool extra = e->state == CT_STATE_DYING ||
			     (e->found_in == CT_FOUND_HASH && e->use > 1);
		if (e->nholders == 0 && extra)
			ct_entry_reason(e, "no holder found: reference leaked");
	}
	free(ix.keys);
	free(ix.vals);
}
