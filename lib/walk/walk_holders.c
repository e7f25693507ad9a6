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
#include <string.h>

#include "base/chain.h"
#include "base/u64map.h"
#include "base/vec.h"
#include "walk/walk_internal.h"

#define NFQ_BUCKETS 16          /* INSTANCE_BUCKETS in nfnetlink_queue.c */
#define NFQ_MAX_INSTANCES 65536 /* queue numbers are u16: per namespace */
#define MAX_QUEUED 1000000      /* queued packets in all, every one an object */
#define NFQ_MAX_LISTED (1u << 20) /* queue instances in the report, in all */

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
	if (ct) /* past CT_MAX_SKB_REFS, or out of memory: not named as a holder */
		CT_VEC_PUSH(&w->skb_refs, struct skb_ref, skb, ct);
}

/* Expectations are kept apart from children by the top bit of the holder
 * address, which a kernel address always has set: cleared for them. */
#define EXPECT_TAG (1ULL << 63)

void walk_note_master(struct walk *w, uint64_t holder, uint64_t master, bool expectation)
{
	if (master)
		CT_VEC_PUSH(&w->child_refs, struct skb_ref,
			    expectation ? holder & ~EXPECT_TAG : holder, master);
}

/* The kept suspect entries by address: ct -> index in r->entries. */
static void index_build(struct ct_u64map *ix, const struct ct_report *r)
{
	ct_u64map_init(ix, r->n_entries);
	if (!ct_u64map_reserve(ix, r->n_entries))
		return;
	for (size_t i = 0; i < r->n_entries; i++)
		if (r->entries[i].suspect)
			ct_u64map_insert(ix, r->entries[i].addr, i);
}

static struct ct_entry *index_find(const struct ct_u64map *ix, struct ct_report *r, uint64_t ct)
{
	uint64_t i;
	return ct && ct_u64map_lookup(ix, ct, &i) ? &r->entries[i] : NULL;
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

/* What the search for holders keeps while it runs. */
struct holder_search {
	struct ct_u64map ix;    /* suspect address -> index in r->entries */
	struct ct_vec queues;   /* struct ct_nfqueue: the report's queue list */
	uint64_t queued;        /* queued packets met, in all namespaces */
};

/* The nfnl_queue_net of a namespace (net_generic slot net_id), or 0. */
static uint64_t nfq_net(struct walk *w, const struct walk_netns *ns, uint32_t net_id)
{
	const struct ct_kmodel *m = w->m;
	struct ct_error e = { 0 };
	uint64_t gen, qnet;
	uint32_t len;
	if (ct_target_read_u64(w->t, ns->net + m->net.gen, &gen, &e) ||
	    ct_target_read_u32(w->t, gen + m->net_generic.len, &len, &e))
		return 0;
	uint64_t slot = m->netgen == CT_NETGEN_PTR_ID_MINUS_1 ? net_id - 1 : net_id;
	if (net_id == 0 || slot >= len ||
	    ct_target_read_u64(w->t, gen + m->net_generic.ptr + 8 * slot, &qnet, &e))
		return 0;
	return qnet;
}

/* One packet queued on NFQUEUE num, its nf_queue_entry at qe: a holder of
 * its entry when that is a suspect. False when the packet is unreadable. */
static bool nfq_packet(struct walk *w, struct holder_search *hs, uint64_t qe, uint16_t num)
{
	const struct ct_kmodel *m = w->m;
	struct ct_error e = { 0 };
	uint64_t skb;
	uint32_t id = 0;
	uint8_t hook = 0xff;
	if (ct_target_read_u64(w->t, qe + m->nfq.e_skb, &skb, &e))
		return false;
	ct_target_read_u32(w->t, qe + m->nfq.e_id, &id, &e);
	ct_target_read(w->t, qe + m->nfq.e_hook, &hook, 1, &e);
	struct ct_entry *ce = index_find(&hs->ix, w->r, skb_entry(w, skb));
	if (!ce)
		return true;
	const char *hn = hook < 5 ? hook_names[hook] : "?";
	char d[72];
	snprintf(d, sizeof(d), "queue %u packet id %u hook %s", num, id, hn);
	add_holder(ce, "nfqueue", qe, d);
	if (!ce->nfqueued) {
		ce->nfqueued = true;
		ce->nfqueue = num;
	}
	snprintf(ce->last_hook, sizeof(ce->last_hook), "%s", hn);
	snprintf(ce->last_hook_evidence, sizeof(ce->last_hook_evidence),
		 "nfqueue %u, packet id %u", num, id);
	/* Queued before confirm at POST_ROUTING / LOCAL_IN: the confirm
	 * hook of the same hook never ran. */
	if (ce->state == CT_STATE_UNCONFIRMED && (hook == 1 || hook == 4))
		snprintf(ce->next_hook, sizeof(ce->next_hook), "%s", hn);
	return true;
}

/* The queue instance at inst: listed, and every packet on its queue list
 * (bounded by MAX_QUEUED in all). False when its list is unreadable. */
static bool nfq_instance(struct walk *w, struct holder_search *hs, const struct walk_netns *ns,
			 uint64_t inst)
{
	const struct ct_kmodel *m = w->m;
	struct ct_error e = { 0 };
	uint16_t num = 0;
	uint32_t portid = 0, total = 0;
	ct_target_read(w->t, inst + m->nfq.num, &num, 2, &e);
	ct_target_read_u32(w->t, inst + m->nfq.portid, &portid, &e);
	ct_target_read_u32(w->t, inst + m->nfq.total, &total, &e);
	/* Past NFQ_MAX_LISTED, or out of memory: not listed. */
	CT_VEC_PUSH(&hs->queues, struct ct_nfqueue, ns->inum, num, portid, total, inst);
	uint64_t head = inst + m->nfq.inst_list, ln;
	if (ct_target_read_u64(w->t, head, &ln, &e))
		return false;
	struct ct_chain list;
	ct_chain_init(&list, UINT64_MAX);
	ct_chain_step(&list, ln);
	for (; ln != head && hs->queued < MAX_QUEUED; hs->queued++) {
		if (!nfq_packet(w, hs, ln - m->nfq.e_list, num) ||
		    ct_target_read_u64(w->t, ln, &ln, &e))
			break;
		if (ln != head && ct_chain_step(&list, ln) != CT_CHAIN_OK) {
			ct_report_problem(w->r, inst, "netns %u: NFQUEUE %u: queue list "
					  "loops back on itself", ns->inum, num);
			break;
		}
	}
	return true;
}

/* The instances on one bucket's chain of the namespace's queue table at
 * qnet (*instances counts them in the namespace). False when a bound is
 * reached: nothing more of the namespace is followed. */
static bool nfq_chain(struct walk *w, struct holder_search *hs, const struct walk_netns *ns,
		      uint64_t qnet, uint64_t node, unsigned *instances)
{
	const struct ct_kmodel *m = w->m;
	struct ct_error e = { 0 };
	struct ct_chain chain;
	ct_chain_init(&chain, UINT64_MAX);
	ct_chain_step(&chain, node);
	while (node) {
		if ((*instances)++ == NFQ_MAX_INSTANCES || hs->queued >= MAX_QUEUED) {
			ct_report_error(w->r, CT_ERR_LIMIT, qnet, "netns %u: more than %u NFQUEUE "
					"instances or %u queued packets: not followed further",
					ns->inum, NFQ_MAX_INSTANCES, MAX_QUEUED);
			return false;
		}
		uint64_t inst = node - m->nfq.inst_hlist;
		if (!nfq_instance(w, hs, ns, inst) || ct_target_read_u64(w->t, node, &node, &e))
			break;
		if (node && ct_chain_step(&chain, node) != CT_CHAIN_OK) {
			ct_report_problem(w->r, inst, "netns %u: NFQUEUE instance chain loops "
					  "back on itself", ns->inum);
			break;
		}
	}
	return true;
}

/* Every queued packet of every NFQUEUE instance of one namespace. A
 * corrupt pointer can make the instance chains or a queue list loop, or
 * lead into some other list that never ends: loops are caught, and the
 * instances of a namespace and the packets of the whole walk are bounded. */
static void walk_nfqueues(struct walk *w, struct holder_search *hs, const struct walk_netns *ns,
			  uint32_t net_id)
{
	struct ct_error e = { 0 };
	uint64_t qnet = nfq_net(w, ns, net_id);
	unsigned instances = 0;
	for (unsigned b = 0; qnet && b < NFQ_BUCKETS; b++) {
		uint64_t node;
		if (ct_target_read_u64(w->t, qnet + w->m->nfq.table + 8ULL * b, &node, &e) ||
		    !nfq_chain(w, hs, ns, qnet, node, &instances))
			return;
	}
}

void walk_holders(struct walk *w)
{
	struct ct_report *r = w->r;
	struct holder_search hs = { .queues = CT_VEC_INIT(struct ct_nfqueue, NFQ_MAX_LISTED) };
	index_build(&hs.ix, r);
	r->holders_searched = true;
	for (size_t i = 0; i < w->skb_refs.n; i++) {
		const struct skb_ref *ref = &CT_VEC_AT(&w->skb_refs, struct skb_ref, i);
		struct ct_entry *e = index_find(&hs.ix, r, ref->ct);
		if (!e)
			continue;
		char d[72];
		skb_detail(w, ref->skb, d, sizeof(d));
		add_holder(e, "skb", ref->skb, d);
	}
	for (size_t i = 0; i < w->child_refs.n; i++) {
		const struct skb_ref *ref = &CT_VEC_AT(&w->child_refs, struct skb_ref, i);
		struct ct_entry *e = index_find(&hs.ix, r, ref->ct);
		if (!e)
			continue;
		uint64_t h = ref->skb;
		bool exp = !(h & EXPECT_TAG);
		add_holder(e, exp ? "expect" : "child", exp ? h | EXPECT_TAG : h,
			   exp ? "an expectation's master" : "a related entry's master");
	}
	uint32_t qid;
	if (w->m->nfq.usable && ct_program_symbol_u32(w->p, "nfnl_queue_net_id", &qid, NULL) == CT_OK)
		for (size_t i = 0; i < w->nns; i++)
			walk_nfqueues(w, &hs, &w->ns[i], qid);
	r->nfqueues = ct_vec_take(&hs.queues, &r->n_nfqueues); /* no one else fills it */
	/* A deleted entry nobody holds was leaked by whoever took a reference. */
	for (size_t i = 0; i < r->n_entries; i++) {
		struct ct_entry *e = &r->entries[i];
		if (!e->suspect || e->state == CT_STATE_TRANSITION)
			continue;
		bool extra = e->state == CT_STATE_DYING ||
			     (e->found_in == CT_FOUND_HASH && e->use > 1);
		if (e->nholders == 0 && extra)
			ct_entry_reason(e, "no holder found: reference leaked");
	}
	ct_u64map_free(&hs.ix);
}
