/* walk_netns.c — network namespaces: the list, each one's conntrack count
 * and its own addresses. */
#include <stdlib.h>
#include <string.h>

#include "walk/walk_internal.h"

void walk_state_init(struct walk *w)
{
	ct_u64map_init(&w->netns_map, CT_MAX_NETNS_WALK);
	ct_u64set_init(&w->seen, w->max_chain ? w->max_chain : CT_MAX_CHAIN);
	w->skb_refs = CT_VEC_INIT(struct skb_ref, CT_MAX_SKB_REFS);
	w->child_refs = CT_VEC_INIT(struct skb_ref, CT_MAX_SKB_REFS);
	w->pending = CT_VEC_INIT(uint64_t, CT_MAX_PENDING);
}

void walk_state_free(struct walk *w)
{
	free(w->ns);
	w->ns = NULL;
	w->nns = w->cap_ns = 0;
	ct_u64map_free(&w->netns_map);
	ct_u64map_free(&w->seen);
	ct_vec_free(&w->skb_refs);
	ct_vec_free(&w->child_refs);
	ct_vec_free(&w->pending);
	walk_index_free(w);
}

/* Each nf_conn is counted once, however often a looping or corrupt chain
 * leads back to it: false when ct was met before. No room to remember it
 * (more than memory holds, or out of memory): counted rather than lost. */
bool walk_first_visit(struct walk *w, uint64_t ct)
{
	return ct_u64map_insert(&w->seen, ct, 0) != CT_U64MAP_EXISTS;
}

void walk_seen_prefetch(const struct walk *w, uint64_t ct)
{
	ct_u64map_prefetch(&w->seen, ct);
}

uint64_t walk_expected_entries(const struct walk *w)
{
	uint64_t n = 0;
	for (size_t i = 0; i < w->r->n_netns; i++)
		if (w->r->netns[i].count_known && w->r->netns[i].count > 0)
			n += (uint64_t)w->r->netns[i].count;
	return n < CT_MAX_PRESIZE ? n : CT_MAX_PRESIZE;
}

bool walk_seen(const struct walk *w, uint64_t ct)
{
	return ct_u64map_lookup(&w->seen, ct, NULL);
}

struct walk_netns *walk_netns_of(struct walk *w, uint64_t net)
{
	uint64_t i;
	return ct_u64map_lookup(&w->netns_map, net, &i) ? &w->ns[i] : NULL;
}

/* A new, zeroed namespace at the end of w->ns (not counted in nns yet). */
static struct walk_netns *new_netns(struct walk *w, uint64_t net)
{
	struct walk_netns *ns = ct_grow(w->ns, &w->cap_ns, w->nns, sizeof(*ns), CT_MAX_NETNS_WALK);
	if (!ns)
		return NULL;
	w->ns = ns;
	ns = &w->ns[w->nns];
	memset(ns, 0, sizeof(*ns));
	ns->net = net;
	return ns;
}

/* The namespace new_netns made, now known by its address. */
static bool keep_netns(struct walk *w, struct walk_netns *ns)
{
	if (ct_u64map_insert(&w->netns_map, ns->net, w->nns) != CT_U64MAP_ADDED)
		return false;
	w->nns++;
	return true;
}

bool walk_is_local(const struct walk_netns *ns, unsigned l3, const uint8_t *a)
{
	if (l3 == 2) {
		if (a[0] == 127) /* 127.0.0.0/8 is routed locally on lo */
			return true;
		for (unsigned i = 0; i < ns->n4; i++)
			if (memcmp(&ns->v4[i], a, 4) == 0)
				return true;
	} else if (l3 == 10) {
		for (unsigned i = 0; i < ns->n6; i++)
			if (memcmp(ns->v6[i], a, 16) == 0)
				return true;
	}
	return false;
}

/* Every address of every device of the namespace (bounded). */
static void local_addresses(struct walk *w, struct walk_netns *ns)
{
	const struct ct_kmodel *m = w->m;
	struct ct_error e = { 0 };
	if (!m->netdev.v4 && !m->netdev.v6)
		return;
	uint64_t head = ns->net + m->netdev.dev_base_head, node;
	if (ct_target_read_u64(w->t, head, &node, &e))
		return;
	for (unsigned n = 0; node != head && n < CT_MAX_DEVICES; n++) {
		uint64_t dev = node - m->netdev.dev_list, p;
		if (m->netdev.v4 && !ct_target_read_u64(w->t, dev + m->netdev.ip_ptr, &p, &e) && p) {
			uint64_t ifa;
			if (!ct_target_read_u64(w->t, p + m->netdev.ifa_list, &ifa, &e))
				for (unsigned k = 0; ifa && k < 1000; k++) {
					uint32_t a;
					if (ct_target_read_u32(w->t, ifa + m->netdev.ifa_local, &a, &e))
						break;
					if (ns->n4 < CT_MAX_ADDRS)
						ns->v4[ns->n4++] = a;
					if (ct_target_read_u64(w->t, ifa + m->netdev.ifa_next, &ifa, &e))
						break;
				}
		}
		if (m->netdev.v6 && !ct_target_read_u64(w->t, dev + m->netdev.ip6_ptr, &p, &e) && p) {
			uint64_t lhead = p + m->netdev.addr_list6, ln;
			if (!ct_target_read_u64(w->t, lhead, &ln, &e))
				for (unsigned k = 0; ln != lhead && k < 1000; k++) {
					uint64_t ifa = ln - m->netdev.if_list6;
					if (ns->n6 < CT_MAX_ADDRS &&
					    ct_target_read(w->t, ifa + m->netdev.addr6, ns->v6[ns->n6], 16, &e) == CT_OK)
						ns->n6++;
					if (ct_target_read_u64(w->t, ln, &ln, &e))
						break;
				}
		}
		if (ct_target_read_u64(w->t, node, &node, &e))
			break;
	}
}

/* A count no kernel can hold — negative, or more nf_conn than memory
 * fits (w->max_chain) — is corrupt: named once and left unknown, so that no
 * "unaccounted" is computed from it. */
static void set_count(struct walk *w, struct walk_netns *ns, struct ct_netns *rn,
		      uint64_t addr, int32_t count)
{
	if (count < 0 || (uint64_t)count >= w->max_chain) {
		ct_report_problem(w->r, addr, "netns %u: count %d is not plausible (%s): "
				  "unaccounted not computed", ns->inum, count,
				  count < 0 ? "negative" : "more nf_conn than memory holds");
		return;
	}
	rn->count = count;
	rn->count_known = true;
	w->expected += (uint64_t)count;
}

/* The count: net->ct.count, or nf_conntrack_net.count via net_generic. */
static void read_count(struct walk *w, struct walk_netns *ns, struct ct_netns *rn,
		       uint32_t net_id, bool have_id)
{
	const struct ct_kmodel *m = w->m;
	struct ct_error e = { 0 };
	int32_t count;
	if (m->count_where == CT_COUNT_NETNS_CT) {
		uint64_t a = ns->net + m->net.ct + m->netns_ct.count;
		if (ct_target_read(w->t, a, &count, 4, &e) == CT_OK) {
			set_count(w, ns, rn, a, count);
		} else {
			ct_report_error(w->r, e.status, a, "netns %u: count unreadable: %s", ns->inum, e.text);
		}
		return;
	}
	if (!have_id)
		return;
	uint64_t gen;
	uint32_t len;
	if (ct_target_read_u64(w->t, ns->net + m->net.gen, &gen, &e) ||
	    ct_target_read_u32(w->t, gen + m->net_generic.len, &len, &e)) {
		ct_report_error(w->r, e.status, ns->net, "netns %u: net_generic unreadable: %s", ns->inum, e.text);
		return;
	}
	/* Old net_generic (before ~4.10): ptr[id - 1]; the union form: ptr[id]. */
	uint64_t slot = m->netgen == CT_NETGEN_PTR_ID_MINUS_1 ? net_id - 1 : net_id;
	if (net_id == 0 || net_id >= len + (m->netgen == CT_NETGEN_PTR_ID_MINUS_1)) {
		ct_report_problem(w->r, gen, "netns %u: nf_conntrack_net_id %u outside net_generic (len %u)",
				  ns->inum, net_id, len);
		return;
	}
	if (ct_target_read_u64(w->t, gen + m->net_generic.ptr + 8 * slot, &ns->ctnet, &e) ||
	    ct_target_read(w->t, ns->ctnet + m->ctnet.count, &count, 4, &e)) {
		ct_report_error(w->r, e.status, gen, "netns %u: nf_conntrack_net unreadable: %s", ns->inum, e.text);
		ns->ctnet = 0;
		return;
	}
	set_count(w, ns, rn, ns->ctnet + m->ctnet.count, count);
}

/* Inode numbers of namespaces come from the proc inode allocator, which
 * starts at PROC_DYNAMIC_FIRST (0xF0000000). */
#define PROC_DYNAMIC_FIRST 0xF0000000u

struct walk_netns *walk_cleanup_netns(struct walk *w, uint64_t net)
{
	struct ct_error e = { 0 };
	uint32_t inum;
	if (!net || (net & 7) || w->nns >= CT_MAX_NETNS_WALK)
		return NULL;
	ct_status st = ct_target_read_u32(w->t, net + w->m->net.inum, &inum, &e);
	if (st && st != CT_ERR_BADADDR) {
		/* Mapped, yet unreadable (left out of the dump, a read error):
		 * perhaps a namespace in teardown, whose count nothing else
		 * can tell. Said once per address (the reason is deduplicated). */
		size_t before = w->r->n_incomplete;
		ct_report_incomplete(w->r, CT_INC_COUNT, "the struct net at %#llx that entries name "
				     "is unreadable: its entries are counted in no namespace",
				     (unsigned long long)net);
		if (w->r->n_incomplete > before)
			ct_report_error(w->r, st, net, "struct net unreadable: %s", e.text);
	}
	if (st || inum < PROC_DYNAMIC_FIRST)
		return NULL;
	/* A struct net's ns.ops is &netns_operations. */
	uint64_t ops, want;
	if (w->m->net_ns_ops &&
	    ct_program_symbol(w->p, "netns_operations", &want, NULL) == CT_OK &&
	    (ct_target_read_u64(w->t, net + w->m->net_ns_ops, &ops, &e) || ops != want))
		return NULL;
	struct walk_netns *ns = new_netns(w, net);
	if (!ns)
		return NULL;
	ns->inum = inum;
	ns->cleanup = true;
	struct ct_netns *rn = ct_report_add_netns(w->r, net);
	if (!rn || !keep_netns(w, ns))
		return NULL;
	rn->inum = inum;
	rn->cleanup = true;
	read_count(w, ns, rn, w->net_id, w->have_net_id);
	return ns;
}

ct_status walk_namespaces(struct walk *w, struct ct_error *err)
{
	const struct ct_kmodel *m = w->m;
	uint64_t head, node;
	ct_status st = ct_program_symbol(w->p, "net_namespace_list", &head, err);
	if (st)
		return st;
	if ((st = ct_target_read_u64(w->t, head, &node, err)))
		return st;
	uint32_t net_id = 0;
	bool have_id = false;
	if (m->count_where == CT_COUNT_NET_GENERIC) {
		struct ct_error e = { 0 };
		have_id = ct_program_symbol_u32(w->p, "nf_conntrack_net_id", &net_id, &e) == CT_OK;
		w->net_id = net_id;
		w->have_net_id = have_id;
		if (!have_id)
			ct_report_error(w->r, e.status, 0, "nf_conntrack_net_id unreadable (%s): counts unknown", e.text);
	}
	/* A list that loops back on itself without reaching the head never
	 * ends: bounded by CT_MAX_NETNS_WALK, and a repeated net is caught by
	 * the address map. */
	while (node != head) {
		if (w->nns >= CT_MAX_NETNS_WALK) {
			ct_report_problem(w->r, head, "net_namespace_list does not end after %d namespaces",
					  CT_MAX_NETNS_WALK);
			break;
		}
		uint64_t net = node - m->net.list;
		if (walk_netns_of(w, net)) {
			ct_report_problem(w->r, node, "net_namespace_list loops back to a namespace seen before");
			break;
		}
		struct walk_netns *ns = new_netns(w, net);
		if (!ns)
			return ct_fail(err, CT_ERR_NOMEM, "out of memory");
		struct ct_error e = { 0 };
		if (ct_target_read_u32(w->t, net + m->net.inum, &ns->inum, &e)) {
			ct_report_error(w->r, e.status, net, "net_namespace_list: the namespace at %#llx "
					"(list node %#llx) is unreadable: %s", (unsigned long long)net,
					(unsigned long long)node, e.text);
			break;
		}
		if (!keep_netns(w, ns))
			return ct_fail(err, CT_ERR_NOMEM, "out of memory");
		struct ct_netns *rn = ct_report_add_netns(w->r, net);
		if (!rn)
			return ct_fail(err, CT_ERR_NOMEM, "out of memory");
		rn->inum = ns->inum;
		read_count(w, ns, rn, net_id, have_id);
		local_addresses(w, ns);
		if (ct_target_read_u64(w->t, node, &node, &e)) {
			ct_report_error(w->r, e.status, node, "net_namespace_list broken after netns %u: %s",
					ns->inum, e.text);
			break;
		}
	}
	/* Nothing to walk: say why in the one sentence (problems are not
	 * printed when the walk fails). */
	if (w->nns == 0)
		return ct_fail(err, CT_ERR_CORRUPT, "no network namespace could be read (%s)",
			       w->r->n_problems ? w->r->problems[w->r->n_problems - 1].what
						: "net_namespace_list is empty");
	return CT_OK;
}
