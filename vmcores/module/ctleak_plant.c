// SPDX-License-Identifier: GPL-2.0
/*
 * ctleak_plant - plant netfilter conntrack leaks for the ctleak vmcore tests.
 *
 * TEST FIXTURE ONLY.  This module deliberately leaks conntrack entries and
 * socket buffers and can never be unloaded.  Load it only in a throwaway VM.
 *
 * In every network namespace (existing and future) it enables connection
 * tracking (nf_ct_netns_get(net, NFPROTO_INET)) and registers IPv4 + IPv6
 * hooks that plant, by UDP destination port of a packet in the original
 * direction (each packet of the test generator is a new flow):
 *
 *   7001 unconfirmed      POST_ROUTING, prio INT_MAX-1 (just before the
 *                         conntrack confirm hook): the skb is orphaned, its
 *                         dst dropped, and it is parked on a module list
 *                         forever (NF_STOLEN).  The ct is never confirmed;
 *                         its only reference is the parked skb's.
 *   7002 live_extra_ref   LOCAL_IN, prio 0: the (confirmed) ct gets an extra
 *                         reference that is never put.
 *   7003 dying_extra_ref  LOCAL_IN, prio 0: extra reference, then
 *                         nf_ct_delete(ct, 0, 0): deleted (DYING) but kept
 *                         allocated by that reference.
 *   7004 nfqueue          POST_ROUTING, prio INT_MAX-2: the packet is sent to
 *                         NFQUEUE 0, unconfirmed ct attached.  The verdict
 *                         carries NF_VERDICT_FLAG_QUEUE_BYPASS: when no
 *                         program is bound to queue 0 the packet comes back
 *                         to the INT_MAX-1 hook, where the record is dropped
 *                         again, the packet passes untouched and the
 *                         nfqueue_unbound counter (module parameter, read
 *                         only) goes up.  The module keeps one reference on
 *                         each queued skb (skb_get, users == 2) so that the
 *                         skb and its ct stay valid for /proc even if the
 *                         queue drops the packet later (binder exits, queue
 *                         full); the ct's refcount is not touched.
 *   7005 nfqueue          LOCAL_OUT, prio 0 (after conntrack at -200 made the
 *                         ct, long before the confirm hook): as 7004, but
 *                         the packet waits in NFQUEUE 0 at LOCAL_OUT, so the
 *                         queue entry names LOCAL_OUT.  Recorded with
 *                         scenario=nfqueue like 7004; hook= tells them apart.
 *                         When nobody is bound the packet comes back and
 *                         goes on to POST_ROUTING, where the INT_MAX-1 hook
 *                         drops the record as for 7004.
 *
 * Beyond max_<scenario> recorded objects, packets pass untouched.
 *
 * /proc/ctleak_plant (top level of /proc, i.e. not per netns) prints one
 * line per planted object, read from the live objects at read time, then
 * a "planted total=..." summary line.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/skbuff.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <linux/jiffies.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/dst.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>

#define CTLEAK_PORT_UNCONFIRMED	7001
#define CTLEAK_PORT_LIVE	7002
#define CTLEAK_PORT_DYING	7003
#define CTLEAK_PORT_NFQUEUE	7004
#define CTLEAK_PORT_NFQUEUE_OUT	7005	/* queued at LOCAL_OUT */

#define CTLEAK_MAX_LIMIT	4096	/* upper bound for the max_* parameters */

enum ctleak_scenario {
	SC_UNCONFIRMED,
	SC_LIVE_EXTRA_REF,
	SC_DYING_EXTRA_REF,
	SC_NFQUEUE,
	SC_NFQUEUE_OUT,		/* reported as "nfqueue", hook=LOCAL_OUT */
	SC_NUM
};

static const char *const sc_name[SC_NUM] = {
	[SC_UNCONFIRMED]	= "unconfirmed",
	[SC_LIVE_EXTRA_REF]	= "live_extra_ref",
	[SC_DYING_EXTRA_REF]	= "dying_extra_ref",
	[SC_NFQUEUE]		= "nfqueue",
	[SC_NFQUEUE_OUT]	= "nfqueue",
};

static unsigned int max_unconfirmed = 16;
module_param(max_unconfirmed, uint, 0444);
MODULE_PARM_DESC(max_unconfirmed, "max planted unconfirmed (dport 7001) entries (default 16)");

static unsigned int max_live_extra_ref = 16;
module_param(max_live_extra_ref, uint, 0444);
MODULE_PARM_DESC(max_live_extra_ref, "max planted live_extra_ref (dport 7002) entries (default 16)");

static unsigned int max_dying_extra_ref = 16;
module_param(max_dying_extra_ref, uint, 0444);
MODULE_PARM_DESC(max_dying_extra_ref, "max planted dying_extra_ref (dport 7003) entries (default 16)");

static unsigned int max_nfqueue = 16;
module_param(max_nfqueue, uint, 0444);
MODULE_PARM_DESC(max_nfqueue, "max planted nfqueue (dport 7004) entries (default 16)");

static unsigned int max_nfqueue_local_out = 16;
module_param(max_nfqueue_local_out, uint, 0444);
MODULE_PARM_DESC(max_nfqueue_local_out, "max planted nfqueue entries queued at LOCAL_OUT (dport 7005) (default 16)");

/* 7004/7005 packets that came back because no program was bound to queue 0 */
static unsigned int nfqueue_unbound;
module_param(nfqueue_unbound, uint, 0444);
MODULE_PARM_DESC(nfqueue_unbound, "(read only) dport 7004/7005 packets not queued: nobody bound to queue 0");

struct ctleak_rec {
	bool used;
	struct nf_conn *ct;
	struct sk_buff *skb;	/* parked (7001) or queued+pinned (7004, 7005) */
	unsigned int netns;	/* net->ns.inum */
	unsigned int hooknum;	/* NF_INET_* */
	unsigned long planted;	/* jiffies */
};

static struct ctleak_rec *recs[SC_NUM];
static unsigned int cap[SC_NUM];
static unsigned int nrecs[SC_NUM];
static DEFINE_SPINLOCK(recs_lock);

/* 7001 skbs, parked forever (never dequeued) */
static struct sk_buff_head parked;

static const char *hook_name(unsigned int hooknum)
{
	switch (hooknum) {
	case NF_INET_PRE_ROUTING:	return "PRE_ROUTING";
	case NF_INET_LOCAL_IN:		return "LOCAL_IN";
	case NF_INET_FORWARD:		return "FORWARD";
	case NF_INET_LOCAL_OUT:		return "LOCAL_OUT";
	case NF_INET_POST_ROUTING:	return "POST_ROUTING";
	default:			return "UNKNOWN";
	}
}

/* caller holds recs_lock */
static struct ctleak_rec *rec_find_ct(enum ctleak_scenario sc,
				      const struct nf_conn *ct)
{
	unsigned int i;

	for (i = 0; i < cap[sc]; i++)
		if (recs[sc][i].used && recs[sc][i].ct == ct)
			return &recs[sc][i];
	return NULL;
}

/* caller holds recs_lock */
static struct ctleak_rec *rec_find_skb(enum ctleak_scenario sc,
				       const struct sk_buff *skb)
{
	unsigned int i;

	for (i = 0; i < cap[sc]; i++)
		if (recs[sc][i].used && recs[sc][i].skb == skb)
			return &recs[sc][i];
	return NULL;
}

/* caller holds recs_lock; NULL when the scenario is full */
static struct ctleak_rec *rec_alloc(enum ctleak_scenario sc)
{
	unsigned int i;

	if (nrecs[sc] >= cap[sc])
		return NULL;
	for (i = 0; i < cap[sc]; i++) {
		if (!recs[sc][i].used) {
			memset(&recs[sc][i], 0, sizeof(recs[sc][i]));
			recs[sc][i].used = true;
			nrecs[sc]++;
			return &recs[sc][i];
		}
	}
	return NULL;
}

/*
 * UDP destination port (host order) of a first-fragment IPv4/IPv6 UDP
 * packet, 0 for anything else.
 */
static u16 udp_dport(const struct sk_buff *skb, u8 pf)
{
	struct udphdr _uh;
	const struct udphdr *uh;
	int off;

	if (pf == NFPROTO_IPV4) {
		const struct iphdr *iph = ip_hdr(skb);

		if (iph->protocol != IPPROTO_UDP ||
		    (iph->frag_off & htons(IP_OFFSET)))
			return 0;
		off = skb_network_offset(skb) + iph->ihl * 4;
	} else if (pf == NFPROTO_IPV6) {
		u8 nexthdr = ipv6_hdr(skb)->nexthdr;
		__be16 frag_off = 0;

		off = ipv6_skip_exthdr(skb, skb_network_offset(skb) +
					    sizeof(struct ipv6hdr),
				       &nexthdr, &frag_off);
		if (off < 0 || nexthdr != IPPROTO_UDP ||
		    (frag_off & htons(~0x7)))
			return 0;
	} else {
		return 0;
	}
	uh = skb_header_pointer(skb, off, sizeof(_uh), &_uh);
	return uh ? ntohs(uh->dest) : 0;
}

/*
 * The packet's ct if it is a UDP packet in the original direction of a
 * real (non-template) conntrack entry, else NULL.
 */
static struct nf_conn *plant_ct(const struct sk_buff *skb)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	if (!ct || nf_ct_is_template(ct))
		return NULL;
	if (CTINFO2DIR(ctinfo) != IP_CT_DIR_ORIGINAL)
		return NULL;
	if (ctinfo != IP_CT_NEW && ctinfo != IP_CT_ESTABLISHED)
		return NULL;	/* RELATED: e.g. ICMP errors */
	return ct;
}

/*
 * POST_ROUTING, INT_MAX-2: dport 7004 -> NFQUEUE 0
 * LOCAL_OUT, prio 0:       dport 7005 -> NFQUEUE 0
 */
static unsigned int hook_queue(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	enum ctleak_scenario sc;
	struct ctleak_rec *r;
	struct nf_conn *ct;
	unsigned long flags, now = jiffies;
	u16 dport = udp_dport(skb, state->pf);

	if (dport == CTLEAK_PORT_NFQUEUE && state->hook == NF_INET_POST_ROUTING)
		sc = SC_NFQUEUE;
	else if (dport == CTLEAK_PORT_NFQUEUE_OUT && state->hook == NF_INET_LOCAL_OUT)
		sc = SC_NFQUEUE_OUT;
	else
		return NF_ACCEPT;
	ct = plant_ct(skb);
	if (!ct || nf_ct_is_confirmed(ct))
		return NF_ACCEPT;

	spin_lock_irqsave(&recs_lock, flags);
	r = rec_alloc(sc);
	if (r) {
		r->ct = ct;
		r->skb = skb_get(skb);	/* pin: see the comment at the top */
		r->netns = state->net->ns.inum;
		r->hooknum = state->hook;
		r->planted = now;
	}
	spin_unlock_irqrestore(&recs_lock, flags);
	if (!r)
		return NF_ACCEPT;	/* over the cap */

	pr_info("nfqueue: ct=%px skb=%px netns=%u pf=%u hook=%s jiffies=%lu -> NF_QUEUE 0\n",
		ct, skb, state->net->ns.inum, state->pf, hook_name(state->hook), now);
	return NF_QUEUE_NR(0) | NF_VERDICT_FLAG_QUEUE_BYPASS;
}

/*
 * POST_ROUTING, INT_MAX-1 (just before confirm):
 *   dport 7001 -> park the skb forever, ct stays unconfirmed
 *   dport 7004 -> we only get here if nf_queue bypassed (nobody bound)
 *   dport 7005 -> likewise (bypassed at LOCAL_OUT)
 */
static unsigned int hook_steal(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct ctleak_rec *r;
	struct nf_conn *ct;
	unsigned long flags, now = jiffies;
	u16 dport = udp_dport(skb, state->pf);

	if (dport == CTLEAK_PORT_NFQUEUE || dport == CTLEAK_PORT_NFQUEUE_OUT) {
		enum ctleak_scenario qsc = dport == CTLEAK_PORT_NFQUEUE ?
					   SC_NFQUEUE : SC_NFQUEUE_OUT;
		struct sk_buff *pinned = NULL;

		spin_lock_irqsave(&recs_lock, flags);
		r = rec_find_skb(qsc, skb);
		if (r) {
			pinned = r->skb;
			r->used = false;
			nrecs[qsc]--;
			nfqueue_unbound++;
		}
		spin_unlock_irqrestore(&recs_lock, flags);
		if (pinned) {
			pr_info("nfqueue: skb=%px not queued (no program bound to queue 0), passed, not recorded\n",
				skb);
			consume_skb(pinned);	/* our pin only: users 2 -> 1 */
		}
		return NF_ACCEPT;
	}
	if (dport != CTLEAK_PORT_UNCONFIRMED)
		return NF_ACCEPT;
	ct = plant_ct(skb);
	if (!ct || nf_ct_is_confirmed(ct))
		return NF_ACCEPT;

	spin_lock_irqsave(&recs_lock, flags);
	r = rec_alloc(SC_UNCONFIRMED);
	if (r) {
		r->ct = ct;
		r->skb = skb;
		r->netns = state->net->ns.inum;
		r->hooknum = state->hook;
		r->planted = now;
	}
	spin_unlock_irqrestore(&recs_lock, flags);
	if (!r)
		return NF_ACCEPT;	/* over the cap */

	/*
	 * Release the sending socket's memory accounting and the route: the
	 * skb is never transmitted.  The ct reference (skb->_nfct) stays.
	 */
	skb_orphan(skb);
	skb_dst_drop(skb);
	skb_queue_tail(&parked, skb);
	pr_info("unconfirmed: ct=%px skb=%px netns=%u pf=%u jiffies=%lu parked\n",
		ct, skb, state->net->ns.inum, state->pf, now);
	return NF_STOLEN;
}

/* LOCAL_IN, prio 0: dport 7002 / 7003 -> extra reference (+ delete) */
static unsigned int hook_ref(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	enum ctleak_scenario sc;
	struct ctleak_rec *r = NULL;
	struct nf_conn *ct;
	unsigned long flags, now = jiffies;

	switch (udp_dport(skb, state->pf)) {
	case CTLEAK_PORT_LIVE:
		sc = SC_LIVE_EXTRA_REF;
		break;
	case CTLEAK_PORT_DYING:
		sc = SC_DYING_EXTRA_REF;
		break;
	default:
		return NF_ACCEPT;
	}
	ct = plant_ct(skb);
	if (!ct || !nf_ct_is_confirmed(ct) || nf_ct_is_dying(ct))
		return NF_ACCEPT;

	spin_lock_irqsave(&recs_lock, flags);
	if (!rec_find_ct(sc, ct)) {	/* once per ct */
		r = rec_alloc(sc);
		if (r) {
			nf_conntrack_get(&ct->ct_general);	/* never put */
			r->ct = ct;
			r->skb = NULL;
			r->netns = state->net->ns.inum;
			r->hooknum = state->hook;
			r->planted = now;
		}
	}
	spin_unlock_irqrestore(&recs_lock, flags);
	if (!r)
		return NF_ACCEPT;

	if (sc == SC_DYING_EXTRA_REF) {
		bool ret = nf_ct_delete(ct, 0, 0);

		pr_info("dying_extra_ref: ct=%px netns=%u pf=%u jiffies=%lu nf_ct_delete()=%d use=%u status=0x%lx\n",
			ct, state->net->ns.inum, state->pf, now, ret,
			refcount_read(&ct->ct_general.use), ct->status);
	} else {
		pr_info("live_extra_ref: ct=%px netns=%u pf=%u jiffies=%lu use=%u\n",
			ct, state->net->ns.inum, state->pf, now,
			refcount_read(&ct->ct_general.use));
	}
	return NF_ACCEPT;
}

#define CTLEAK_OPS(pf_)							\
	{								\
		.hook		= hook_queue,				\
		.pf		= (pf_),				\
		.hooknum	= NF_INET_LOCAL_OUT,			\
		.priority	= 0,					\
	},								\
	{								\
		.hook		= hook_queue,				\
		.pf		= (pf_),				\
		.hooknum	= NF_INET_POST_ROUTING,			\
		.priority	= INT_MAX - 2,				\
	},								\
	{								\
		.hook		= hook_steal,				\
		.pf		= (pf_),				\
		.hooknum	= NF_INET_POST_ROUTING,			\
		.priority	= INT_MAX - 1,				\
	},								\
	{								\
		.hook		= hook_ref,				\
		.pf		= (pf_),				\
		.hooknum	= NF_INET_LOCAL_IN,			\
		.priority	= 0,					\
	}

static const struct nf_hook_ops ctleak_ops[] = {
	CTLEAK_OPS(NFPROTO_IPV4),
	CTLEAK_OPS(NFPROTO_IPV6),
};

static int __net_init ctleak_net_init(struct net *net)
{
	int err;

	err = nf_ct_netns_get(net, NFPROTO_INET);
	if (err) {
		pr_err("netns %u: nf_ct_netns_get: %d\n", net->ns.inum, err);
		return err;
	}
	err = nf_register_net_hooks(net, ctleak_ops, ARRAY_SIZE(ctleak_ops));
	if (err) {
		pr_err("netns %u: nf_register_net_hooks: %d\n",
		       net->ns.inum, err);
		nf_ct_netns_put(net, NFPROTO_INET);
		return err;
	}
	pr_info("netns %u: conntrack enabled, hooks registered\n",
		net->ns.inum);
	return 0;
}

static void __net_exit ctleak_net_exit(struct net *net)
{
	/* the planted objects are left alone on purpose */
	nf_unregister_net_hooks(net, ctleak_ops, ARRAY_SIZE(ctleak_ops));
	nf_ct_netns_put(net, NFPROTO_INET);
	pr_info("netns %u: hooks unregistered\n", net->ns.inum);
}

static struct pernet_operations ctleak_net_ops = {
	.init = ctleak_net_init,
	.exit = ctleak_net_exit,
};

static void show_rec(struct seq_file *m, enum ctleak_scenario sc,
		     const struct ctleak_rec *r)
{
	const struct nf_conn *ct = r->ct;
	const struct nf_conntrack_tuple *t =
		&ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;

	seq_printf(m, "scenario=%s ct=0x%px", sc_name[sc], ct);
	/* %px zero-pads NULL to 16 digits; the format wants skb=0x0 */
	if (r->skb)
		seq_printf(m, " skb=0x%px", r->skb);
	else
		seq_puts(m, " skb=0x0");
	seq_printf(m, " netns=%u hook=%s l3=%u proto=%u ",
		   r->netns, hook_name(r->hooknum),
		   t->src.l3num, t->dst.protonum);
	if (t->src.l3num == NFPROTO_IPV6)
		seq_printf(m, "src=%pI6 dst=%pI6 ", &t->src.u3.in6, &t->dst.u3.in6);
	else
		seq_printf(m, "src=%pI4 dst=%pI4 ", &t->src.u3.ip, &t->dst.u3.ip);
	seq_printf(m, "sport=%u dport=%u use=%u status=0x%lx confirmed=%d dying=%d",
		   ntohs(t->src.u.udp.port), ntohs(t->dst.u.udp.port),
		   refcount_read(&ct->ct_general.use), ct->status,
		   nf_ct_is_confirmed(ct) ? 1 : 0, nf_ct_is_dying(ct) ? 1 : 0);
	if (sc == SC_NFQUEUE || sc == SC_NFQUEUE_OUT)
		seq_puts(m, " queue=0");
	seq_putc(m, '\n');
}

static int ctleak_proc_show(struct seq_file *m, void *v)
{
	unsigned int n[SC_NUM] = { 0 }, total = 0, i;
	unsigned long flags;
	int sc;

	/*
	 * Every recorded ct is kept alive by a reference the module controls
	 * (parked skb, pinned queued skb, or an extra ct reference), so the
	 * objects can be read here at any time.
	 */
	spin_lock_irqsave(&recs_lock, flags);
	for (sc = 0; sc < SC_NUM; sc++) {
		for (i = 0; i < cap[sc]; i++) {
			if (!recs[sc][i].used)
				continue;
			show_rec(m, sc, &recs[sc][i]);
			n[sc]++;
		}
		total += n[sc];
	}
	spin_unlock_irqrestore(&recs_lock, flags);
	/* nfqueue= counts both hooks; the two after it split it by hook */
	seq_printf(m, "planted total=%u unconfirmed=%u live_extra_ref=%u dying_extra_ref=%u nfqueue=%u nfqueue_post_routing=%u nfqueue_local_out=%u\n",
		   total, n[SC_UNCONFIRMED], n[SC_LIVE_EXTRA_REF],
		   n[SC_DYING_EXTRA_REF], n[SC_NFQUEUE] + n[SC_NFQUEUE_OUT],
		   n[SC_NFQUEUE], n[SC_NFQUEUE_OUT]);
	return 0;
}

static int __init ctleak_init(void)
{
	const unsigned int want[SC_NUM] = {
		[SC_UNCONFIRMED]	= max_unconfirmed,
		[SC_LIVE_EXTRA_REF]	= max_live_extra_ref,
		[SC_DYING_EXTRA_REF]	= max_dying_extra_ref,
		[SC_NFQUEUE]		= max_nfqueue,
		[SC_NFQUEUE_OUT]	= max_nfqueue_local_out,
	};
	int sc, err;

	skb_queue_head_init(&parked);
	for (sc = 0; sc < SC_NUM; sc++) {
		cap[sc] = min_t(unsigned int, want[sc], CTLEAK_MAX_LIMIT);
		if (cap[sc] != want[sc])
			pr_warn("max_%s%s clamped to %u\n", sc_name[sc],
				sc == SC_NFQUEUE_OUT ? "_local_out" : "", cap[sc]);
		/* at least one element so that recs[sc] is never NULL */
		recs[sc] = kcalloc(max(cap[sc], 1U), sizeof(*recs[sc]),
				   GFP_KERNEL);
		if (!recs[sc]) {
			err = -ENOMEM;
			goto free;
		}
	}

	if (!proc_create_single("ctleak_plant", 0444, NULL, ctleak_proc_show)) {
		err = -ENOMEM;
		goto free;
	}
	err = register_pernet_subsys(&ctleak_net_ops);
	if (err)
		goto proc;

	pr_warn("loaded: TEST FIXTURE, leaks conntrack entries on UDP dports 7001-7005; caps unconfirmed=%u live_extra_ref=%u dying_extra_ref=%u nfqueue=%u nfqueue_local_out=%u\n",
		cap[SC_UNCONFIRMED], cap[SC_LIVE_EXTRA_REF],
		cap[SC_DYING_EXTRA_REF], cap[SC_NFQUEUE], cap[SC_NFQUEUE_OUT]);
	return 0;

proc:
	remove_proc_entry("ctleak_plant", NULL);
free:
	for (sc = 0; sc < SC_NUM; sc++)
		kfree(recs[sc]);
	return err;
}
module_init(ctleak_init);
/* no module_exit: the module is permanent, the planted leaks stay */

MODULE_LICENSE("GPL");
MODULE_AUTHOR("ctleak test suite");
MODULE_DESCRIPTION("ctleak test fixture: plants leaked netfilter conntrack entries");
