/* walk_live.c — a second look at the suspects of a running kernel.
 *
 * On a live system a packet in flight holds its entry for a moment: an
 * entry allocated but not yet confirmed, a refcount one above the table's,
 * an entry being deleted. A leak holds still. So after the walk (and a
 * pause long enough for packets in flight to move on), every kept suspect
 * is read again; one whose object changed (status, refcount, tuple,
 * namespace), or left the hash chain it was met in, is dropped from the
 * suspects and counted as in flight. What is left held still for the whole walk.
 */
#include <string.h>
#include <time.h>

#include "walk/walk_internal.h"

#define SECOND_LOOK_PAUSE_MS 200

static bool same_object(struct walk *w, const struct ct_entry *e)
{
	const struct ct_kmodel *m = w->m;
	unsigned char *c = w->conn;
	if (ct_target_read(w->t, e->addr, c, m->nf_conn_size, NULL) != CT_OK)
		return false;
	uint32_t use;
	uint64_t status = 0, net = 0;
	memcpy(&use, c + m->nf_conn.use, 4);
	memcpy(&status, c + m->nf_conn.status, 8);
	if (m->has_ct_net)
		memcpy(&net, c + m->nf_conn.ct_net, 8);
	const unsigned char *t0 = c + m->nf_conn.tuplehash[0] + m->tuple;
	uint16_t l3;
	memcpy(&l3, t0 + m->t.src_l3num, 2);
	/* Met in a chain: it must still be in one (not freed meanwhile). */
	if (e->found_in == CT_FOUND_HASH && !walk_conn_is_hashed(w, e->addr, c))
		return false;
	return use == e->use && status == e->status && (!m->has_ct_net || net == e->net) &&
	       l3 == e->orig.l3num && t0[m->t.dst_protonum] == e->orig.protonum &&
	       memcmp(t0 + m->t.src_port, e->orig.src_u, 2) == 0 &&
	       memcmp(t0 + m->t.dst_port, e->orig.dst_u, 2) == 0;
}

static struct ct_netns *netns_record(struct ct_report *r, uint64_t net)
{
	for (size_t i = 0; i < r->n_netns; i++)
		if (r->netns[i].net == net)
			return &r->netns[i];
	return NULL;
}

void walk_live_second_look(struct walk *w)
{
	struct ct_report *r = w->r;
	bool any = false;
	for (size_t i = 0; i < r->n_entries && !any; i++)
		any = r->entries[i].suspect;
	if (!any)
		return;
	struct timespec pause = { 0, SECOND_LOOK_PAUSE_MS * 1000000L };
	nanosleep(&pause, NULL);
	size_t kept = 0;
	for (size_t i = 0; i < r->n_entries; i++) {
		struct ct_entry *e = &r->entries[i];
		if (!e->suspect || same_object(w, e)) {
			if (kept != i)
				r->entries[kept] = *e;
			kept++;
			continue;
		}
		r->in_flight++;
		r->suspects--;
		struct ct_netns *n = netns_record(r, e->net);
		if (n) {
			n->suspects--;
			if (e->state == CT_STATE_ORPHANED)
				n->orphaned--;
		}
	}
	r->n_entries = kept;
}
