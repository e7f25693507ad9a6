/* walk_conn.c — one nf_conn: read, decode, classify, count, keep. */
#include <stdio.h>
#include <string.h>

#include "report/ct_format.h"
#include "report/table_summary.h"
#include "walk/walk_internal.h"

#define CT_AF_INET 2
#define CT_AF_INET6 10
#define REFCOUNT_SATURATED 0xc0000000u

static uint64_t rd64(const unsigned char *b, uint32_t off)
{
	uint64_t v;
	memcpy(&v, b + off, 8);
	return v;
}

static uint32_t rd32(const unsigned char *b, uint32_t off)
{
	uint32_t v;
	memcpy(&v, b + off, 4);
	return v;
}

static void decode_tuple(const struct ct_kmodel *m, const unsigned char *t,
			 struct ct_tuple *out)
{
	memset(out, 0, sizeof(*out));
	memcpy(&out->l3num, t + m->t.src_l3num, 2);
	out->protonum = t[m->t.dst_protonum];
	memcpy(out->src, t + m->t.src_u3, 16);
	memcpy(out->dst, t + m->t.dst_u3, 16);
	memcpy(out->src_u, t + m->t.src_port, 2);
	memcpy(out->dst_u, t + m->t.dst_port, 2);
}

static bool bit(uint64_t status, int b)
{
	return b >= 0 && b < 64 && (status >> b & 1);
}

static void decode_flags(const struct ct_kmodel *m, struct ct_entry *e)
{
	const struct ct_status_bits *b = &m->bits;
	e->flags = (bit(e->status, b->seen_reply) ? CT_F_SEEN_REPLY : 0) |
		   (bit(e->status, b->assured) ? CT_F_ASSURED : 0) |
		   (bit(e->status, b->confirmed) ? CT_F_CONFIRMED : 0) |
		   (bit(e->status, b->dying) ? CT_F_DYING : 0) |
		   (bit(e->status, b->template_) ? CT_F_TEMPLATE : 0) |
		   (bit(e->status, b->untracked) ? CT_F_UNTRACKED : 0) |
		   (bit(e->status, b->offload) ? CT_F_OFFLOAD : 0);
}

/* Seconds left: confirmed entries hold an absolute deadline (4.10+: u32 in
 * jiffies; before: timer_list.expires); unconfirmed ones a relative value
 * that is not running, reported as unknown. */
static void timeout_left(struct walk *w, const unsigned char *c, struct ct_entry *e)
{
	const struct ct_kmodel *m = w->m;
	if (!w->have_jiffies || !w->hz || !(e->flags & CT_F_CONFIRMED))
		return;
	int64_t left;
	if (m->timeout == CT_TIMEOUT_U32)
		left = (int32_t)(rd32(c, m->nf_conn.timeout) - (uint32_t)w->jiffies);
	else
		left = (int64_t)(rd64(c, m->nf_conn.timeout_expires) - w->jiffies);
	e->timeout_known = true;
	e->timeout_secs = left / (int64_t)w->hz;
}

/* Where an unconfirmed entry was created and which confirm hook it never
 * reached, from the netns's own addresses (NAT and policy routing can fool
 * this, hence "inferred"). */
static void infer_hook(const struct walk_netns *ns, struct ct_entry *e)
{
	if (!ns)
		return;
	bool src_local = walk_is_local(ns, e->orig.l3num, e->orig.src);
	bool dst_local = walk_is_local(ns, e->orig.l3num, e->orig.dst);
	if (src_local) {
		snprintf(e->last_hook, sizeof(e->last_hook), "LOCAL_OUT");
		snprintf(e->next_hook, sizeof(e->next_hook), "POST_ROUTING");
	} else {
		snprintf(e->last_hook, sizeof(e->last_hook), "PRE_ROUTING");
		snprintf(e->next_hook, sizeof(e->next_hook), "%s",
			 dst_local ? "LOCAL_IN" : "POST_ROUTING");
	}
	snprintf(e->last_hook_evidence, sizeof(e->last_hook_evidence),
		 "inferred from the netns's addresses");
}

static void classify(struct ct_entry *e, const struct walk_netns *ns,
		     int dir_ok)
{
	bool confirmed = e->flags & CT_F_CONFIRMED, dying = e->flags & CT_F_DYING;
	if (e->flags & CT_F_TEMPLATE)
		e->state = CT_STATE_TEMPLATE;
	else if (dying)
		e->state = CT_STATE_DYING;
	else if (!confirmed)
		e->state = CT_STATE_UNCONFIRMED;
	else if (e->found_in == CT_FOUND_HASH)
		e->state = CT_STATE_CONFIRMED;
	else
		e->state = CT_STATE_ORPHANED;
	if (e->use == 0)
		e->state = CT_STATE_TRANSITION;

	switch (e->state) {
	case CT_STATE_UNCONFIRMED:
		infer_hook(ns, e);
		ct_entry_reason(e, "unconfirmed: created at %s, its confirm hook at %s never ran",
				e->last_hook[0] ? e->last_hook : "a conntrack hook",
				e->next_hook[0] ? e->next_hook : "LOCAL_IN or POST_ROUTING");
		break;
	case CT_STATE_DYING:
		ct_entry_reason(e, "dying: deleted but still referenced (use %u)", e->use);
		break;
	case CT_STATE_ORPHANED:
		ct_entry_reason(e, "confirmed and alive but in no table");
		break;
	case CT_STATE_TRANSITION:
		/* In the slab only, refcount 0 is an object being built or
		 * freed right now, not a leak. */
		if (e->found_in != CT_FOUND_SLAB)
			ct_entry_reason(e, "refcount 0 while still %s", e->found_in == CT_FOUND_HASH ?
					"hashed" : "listed");
		break;
	default:
		break;
	}
	/* The table holds one reference; anything above is held elsewhere. */
	if (e->found_in == CT_FOUND_HASH && e->use > 1 && e->use < REFCOUNT_SATURATED)
		ct_entry_reason(e, "refcount %u above the 1 the table holds", e->use);
	if (e->use >= REFCOUNT_SATURATED)
		ct_entry_reason(e, "refcount %#x saturated (overflow or underflow)", e->use);
	if (e->found_in == CT_FOUND_HASH && !confirmed)
		ct_entry_reason(e, "in the hash but not confirmed");
	/* A template's tuples are zero (xt_CT allocates it so): no evidence. */
	if (e->state != CT_STATE_TEMPLATE) {
		if (e->orig.l3num != CT_AF_INET && e->orig.l3num != CT_AF_INET6)
			ct_entry_reason(e, "bad l3 protocol %u", e->orig.l3num);
		if (!dir_ok)
			ct_entry_reason(e, "tuple directions do not say ORIGINAL/REPLY");
	}
	if (!ns)
		ct_entry_reason(e, "netns %#llx is not on net_namespace_list",
				(unsigned long long)e->net);
}

/* Age from the timestamp extension: ext->offset[NF_CT_EXT_TSTAMP] locates
 * struct nf_conn_tstamp, whose start is wall-clock nanoseconds. */
static void entry_age(struct walk *w, uint64_t ext, struct ct_entry *e)
{
	const struct ct_kmodel *m = w->m;
	uint8_t off;
	uint64_t start;
	struct ct_error err = { 0 };
	if (!ext || ct_target_read(w->t, ext + m->tstamp.ext_offset + m->tstamp.id, &off, 1, &err) ||
	    !off || ct_target_read_u64(w->t, ext + off + m->tstamp.start, &start, &err) || !start)
		return;
	e->age_known = true;
	e->age_secs = w->now_sec - (int64_t)(start / 1000000000u);
}

static bool node_linked(struct walk *w, uint64_t ct, const unsigned char *c, unsigned dir)
{
	const struct ct_kmodel *m = w->m;
	uint64_t node = ct + m->nf_conn.tuplehash[dir] + m->hnnode, pprev, back;
	memcpy(&pprev, c + m->nf_conn.tuplehash[dir] + m->hnnode + m->nulls_pprev, 8);
	/* A linked node's pprev points at the pointer that points at it (the
	 * bucket head or the previous node's next); hlist_nulls_del_rcu
	 * leaves LIST_POISON2 there instead. */
	return pprev && !(pprev & 7) &&
	       ct_target_read_u64(w->t, pprev, &back, NULL) == CT_OK && back == node;
}

bool walk_conn_is_hashed(struct walk *w, uint64_t ct, const unsigned char *c)
{
	return node_linked(w, ct, c, 0);
}

/* Met before: on a running kernel an object is freed and reused, or moved
 * to a bucket not walked yet (SLAB_TYPESAFE_BY_RCU): normal. A re-walk of a
 * moved chain meets again what the tries before met: our doing, not the
 * kernel's, so nothing met again during a re-walk is counted. In a dump, a
 * chain that loops or runs into another one: one line names that chain
 * (walk_tables.c), not one per entry met again. */
static void met_again(struct walk *w)
{
	if (!w->t->live)
		w->met_again++;
	else if (!w->rewalk)
		w->r->met_twice++;
}

/* The entry's own fields from its bytes c; *dir_ok: the tuples say
 * ORIGINAL and REPLY. */
static void decode_entry(struct walk *w, uint64_t ct, const unsigned char *c,
			 struct ct_entry *e, int *dir_ok)
{
	const struct ct_kmodel *m = w->m;
	e->addr = ct;
	e->use = rd32(c, m->nf_conn.use);
	e->status = rd64(c, m->nf_conn.status);
	decode_flags(m, e);
	const unsigned char *t0 = c + m->nf_conn.tuplehash[0] + m->tuple;
	const unsigned char *t1 = c + m->nf_conn.tuplehash[1] + m->tuple;
	decode_tuple(m, t0, &e->orig);
	decode_tuple(m, t1, &e->reply);
	*dir_ok = t0[m->t.dst_dir] == 0 && t1[m->t.dst_dir] == 1;
	if (m->has_zone)
		memcpy(&e->zone, c + m->nf_conn.zone_id, 2);
	if (m->nf_conn.mark)
		e->mark = rd32(c, m->nf_conn.mark);
	/* TCP's state, as /proc/net/nf_conntrack prints it; a value past
	 * the last state is printed as its number. */
	if (e->orig.protonum == 6 && m->nf_conn.tcp_state) {
		unsigned s = c[m->nf_conn.tcp_state];
		const char *name = ct_tcp_state_name(s);
		if (name)
			snprintf(e->l4state, sizeof(e->l4state), "%s", name);
		else
			snprintf(e->l4state, sizeof(e->l4state), "%u", s);
	}
	timeout_left(w, c, e);
}

/* The namespace the entry belongs to (by ct_net), NULL if none known. */
static struct walk_netns *entry_netns(struct walk *w, const unsigned char *c,
				      struct ct_entry *e)
{
	const struct ct_kmodel *m = w->m;
	struct walk_netns *ns;
	if (m->has_ct_net) {
		e->net = rd64(c, m->nf_conn.ct_net);
		ns = walk_netns_of(w, e->net);
		/* Met through the allocator only: a namespace being torn
		 * down has left net_namespace_list already. */
		if (!ns && e->found_in == CT_FOUND_SLAB)
			ns = walk_cleanup_netns(w, e->net);
	} else { /* no CONFIG_NET_NS: everything is init_net */
		ns = w->nns ? &w->ns[0] : NULL;
		e->net = ns ? ns->net : 0;
	}
	if (ns)
		e->netns_inum = ns->inum;
	return ns;
}

/* Count it where it belongs, or where it was found if its netns is
 * unknown. */
static void count_entry(struct walk *w, const struct walk_netns *home, const struct ct_entry *e)
{
	if (e->suspect)
		w->r->suspects++;
	if (!home)
		return;
	struct ct_netns *rn = &w->r->netns[home - w->ns];
	switch (e->found_in) {
	case CT_FOUND_HASH: rn->hashed++; break;
	case CT_FOUND_UNCONFIRMED: rn->unconfirmed++; break;
	case CT_FOUND_DYING: rn->dying++; break;
	case CT_FOUND_ECACHE_DYING: rn->ecache_dying++; break;
	case CT_FOUND_TEMPLATE_LIST: rn->templates++; break;
	case CT_FOUND_SLAB: rn->slab_only++; break;
	}
	if (e->suspect)
		rn->suspects++;
	if (e->state == CT_STATE_ORPHANED)
		rn->orphaned++;
}

/* One more entry walked: --max-entries and the progress line. */
static void entry_walked(struct walk *w)
{
	w->entries_seen++;
	if (w->o->max_entries && w->entries_seen >= w->o->max_entries && !w->r->partial) {
		w->r->partial = true;
		w->stop = true;
		ct_report_error(w->r, CT_ERR_LIMIT, 0, "walk cut short after %llu entries "
				"(--max-entries): every count is partial",
				(unsigned long long)w->entries_seen);
	}
	walk_progress_entry(w);
}

void walk_conn(struct walk *w, uint64_t ct, enum ct_found_in where, int cpu,
	       struct walk_netns *owner)
{
	const struct ct_kmodel *m = w->m;
	struct ct_error err = { 0 };
	if (w->stop)
		return;
	if (!walk_first_visit(w, ct)) {
		met_again(w);
		return;
	}
	if (ct_target_read(w->t, ct, w->conn, m->nf_conn_size, &err)) {
		ct_report_error(w->r, err.status, ct, "nf_conn unreadable: %s", err.text);
		w->r->entries_not_in_dump += err.status == CT_ERR_FAULT;
		return;
	}
	const unsigned char *c = w->conn;
	/* Live: inserted after its bucket was walked. Any target: an entry
	 * whose reply node is linked into a hash chain is hashed, even when
	 * the walk of the hash did not reach it (its chain broke before it,
	 * or the hash could not be walked: each reported). Lists link only
	 * the original node, so the reply node means the hash. */
	if (where == CT_FOUND_SLAB &&
	    ((w->t->live && walk_conn_is_hashed(w, ct, c)) || node_linked(w, ct, c, 1)))
		where = CT_FOUND_HASH;
	struct ct_entry e;
	int dir_ok;
	memset(&e, 0, sizeof(e));
	e.cpu = cpu;
	e.found_in = where;
	decode_entry(w, ct, c, &e, &dir_ok);
	struct walk_netns *ns = entry_netns(w, c, &e);
	classify(&e, ns, dir_ok);
	if (ns && ns->cleanup)
		ct_entry_reason(&e, "its namespace %u is being torn down and waits for it", ns->inum);
	/* A related entry holds a reference on its master. */
	if (m->nf_conn.master && w->o->holders)
		walk_note_master(w, ct, rd64(c, m->nf_conn.master), false);
	if (owner && ns && owner != ns)
		ct_entry_reason(&e, "on a list of netns %u but belongs to netns %u",
				owner->inum, ns->inum);
	count_entry(w, ns ? ns : owner, &e);
	if (e.suspect && w->have_now && m->nf_conn.ext)
		entry_age(w, rd64(c, m->nf_conn.ext), &e);
	if (w->r->table && ct_filter_matches(&w->o->filter, &e))
		ct_table_summary_add(w->r->table, &e);
	if (ct_filter_keeps(&w->o->filter, &e))
		ct_report_add_entry(w->r, &e);
	entry_walked(w);
}
