/* test_walk_synth.c — the walkers (lib/walk*.c) on in-memory kernel images
 * of one synthetic generation (compiled with -include tests/unit/synth/gen_X.h).
 *
 * The kernel model comes from gcc's DWARF of the very declarations this file
 * uses to lay out the image (GEN.o), so an offset read wrongly anywhere in
 * the walk shows up here. Every test builds a fresh image: two namespaces,
 * the confirmed hash with each entry linked twice, the lists this
 * generation has; hostile tests then break one thing and check that the
 * walk ends, names the damage and still gets the rest right.
 *
 * usage: test_walk_synth_X GEN.o
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "kernel/kmodel.h"
#include "kernel/layout.h"
#include "kernel/modcheck.h"
#include "app/cli.h"
#include "report/ct_format.h"
#include "report/render.h"
#include "symbols/symtab.h"
#include "target/target_mem.h"
#include "types/types.h"
#include "walk/progress.h"
#include "walk/walk.h"
#include "walk/walk_internal.h" /* CT_LIVE_REWALKS */

#define KHEAP 0xffff888000000000ULL     /* objects: the direct map */
#define HEAP_SIZE (1u << 20)
#define KNOWHERE 0xffff888100000000ULL  /* mapped by nothing */
#define KEXCLUDED 0xffff888200000000ULL /* kernel memory the dump left out */
#define KHASH 0xffffc90000000000ULL     /* vmalloc: one segment per hash table */
#define KDATA 0xffffffff82000000ULL     /* kernel globals */

#define HZ 250
#define TICK_NSEC 3999991ULL            /* 1e9/HZ as NTP left it */
#define JIFFIES 0x1fffff000ULL          /* (u32)jiffies wraps 16 s from now */
#define NR_CPUS 8
#define POSSIBLE 0xb7ULL                /* CPUs 3 and 6 are not possible */
#define NET_ID 5                        /* nf_conntrack_net_id (5.13+) */
#define GEN_LEN 8                       /* net_generic slots */
#define MAX_PLANT 64
#define NO_TIMEOUT (-1000000)

/* The kernel's list-end markers: INIT_HLIST_NULLS_HEAD(h, v) is (v<<1)|1. */
#define UNCONFIRMED_NULLS_VAL ((1 << 30) + 0)
#define DYING_NULLS_VAL ((1 << 30) + 1)
#define TEMPLATE_NULLS_VAL ((1 << 30) + 2)

#define ST(bit) (1UL << IPS_##bit##_BIT)
#define ST_HASHED (ST(CONFIRMED) | ST(SEEN_REPLY) | ST(ASSURED))

#if SYNTH_GEN == 310
#define CT_NET(ct) ((ct)->ct_net)
#define NET_INUM(net) ((net)->proc_inum)
#else
#define CT_NET(ct) ((ct)->ct_net.net)
#define NET_INUM(net) ((net)->ns.inum)
#endif
#if SYNTH_GEN >= 601
#define CT_USE(ct) ((ct)->ct_general.use.refs.counter)
#else
#define CT_USE(ct) ((ct)->ct_general.use.counter)
#endif

/* What was planted, and what the walk must say about it. */
struct plant {
	uint64_t ct;
	int ns;                   /* index of its netns */
	enum ct_found_in where;
	int cpu;                  /* -1: on no per-CPU list */
	enum ct_entry_state state;
	bool suspect;
	const char *hook;         /* expected last_hook, NULL: not checked */
	int timeout;              /* seconds left, NO_TIMEOUT: not checked */
	bool counted;             /* in the kernel's count (kABI fakes are not) */
	int lists;                /* -1, or the only ct_lists_kind that finds it */
	bool lost;                /* a hostile image hides it */
};

static struct img {
	struct ct_target *t;
	struct ct_symtab *syms;   /* the image's symbols */
	struct ct_program prog;   /* t and syms */
	uint64_t heap_next, data_next, hash_next, pcpu_next;
	uint64_t nsl;             /* &net_namespace_list */
	uint64_t cpu_base[NR_CPUS];
	uint64_t per_cpu_offset;  /* &__per_cpu_offset[0] */
	uint64_t hash, hsize_var; /* global hash and &nf_conntrack_htable_size */
	uint32_t hsize;
	unsigned nhashed;
	struct {
		uint64_t net, hash, pcpu, ctnet;
		uint32_t hsize;
		int64_t count, off_list;
	} ns[2];
	int nns;
	struct plant p[MAX_PLANT];
	int np;
	bool check_timeouts;
} im;

static const char *label = "";

/* Which time symbols the next image has (img_new). */
enum { T_TICK_NSEC = 1, T_NEXT_PERIOD = 2 };
#ifdef SYNTH_NO_TICK_NSEC
#define T_DEFAULT T_NEXT_PERIOD
#else
#define T_DEFAULT (T_TICK_NSEC | T_NEXT_PERIOD)
#endif
static unsigned img_time = T_DEFAULT;
/* jiffies_64 starts at INITIAL_JIFFIES, (u32)(-300 * HZ), and counts HZ a
 * second: the monotonic time of the next tick is one tick past uptime. */
#define INITIAL_JIFFIES ((u64)(u32)(-300 * HZ))
#define NEXT_PERIOD ((JIFFIES - INITIAL_JIFFIES + 1) * (1000000000ULL / HZ))

/* --- addresses and objects of the image ------------------------------- */

#include "image.h"

static void img_close(void)
{
	ct_target_close(im.t);
	ct_symtab_free(im.syms);
	im.syms = NULL;
}

static uint64_t kalloc(size_t size)
{
	uint64_t a = im.heap_next;
	im.heap_next += (size + 63) & ~(size_t)63;
	if (im.heap_next > KHEAP + HEAP_SIZE)
		abort();
	return a;
}

/* A kernel variable: a symbol in the data segment. */
static uint64_t global(const char *name, size_t size)
{
	struct ct_error err = { 0 };
	uint64_t a = im.data_next;
	im.data_next += (size + 7) & ~(size_t)7;
	if (ct_symtab_add(im.syms, name, a, &err))
		abort();
	return a;
}

/* --- the kernel ------------------------------------------------------- */

static void img_new(void)
{
	struct ct_error err = { 0 };
	memset(&im, 0, sizeof(im));
	im.t = ct_mem_target_new(SYNTH_NAME ".0-synthetic");
	im.syms = ct_symtab_new();
	ct_program_init(&im.prog, im.t);
	if (!im.syms || ct_program_add_symbols(&im.prog, "image", ct_symtab_find, im.syms, &err))
		abort();
	im.heap_next = KHEAP;
	im.data_next = KDATA;
	im.hash_next = KHASH;
	if (!im.t || ct_mem_map(im.t, KHEAP, NULL, HEAP_SIZE, &err) ||
	    ct_mem_map(im.t, KDATA, NULL, 4096, &err) ||
	    ct_mem_exclude(im.t, KEXCLUDED, 4096, &err))
		abort();
	im.nsl = global("net_namespace_list", sizeof(struct list_head));
	list_init(im.nsl);
	*K(u32, global("nf_conntrack_max", 4)) = 65536;
	*K(u64, global("jiffies_64", 8)) = JIFFIES;
	/* HZ: tick_nsec (gone by 7.x), or what tick_next_period says. */
	if (img_time & T_TICK_NSEC)
		*K(u64, global("tick_nsec", 8)) = TICK_NSEC;
	if (img_time & T_NEXT_PERIOD)
		*K(u64, global("tick_next_period", 8)) = NEXT_PERIOD;
	*K(u32, global("nr_cpu_ids", 4)) = NR_CPUS;
	*K(u64, global("__cpu_possible_mask", 8)) = POSSIBLE;
	im.per_cpu_offset = global("__per_cpu_offset", 8 * NR_CPUS);
	/* Per-CPU areas of the possible CPUs; the others point nowhere. */
	for (int c = 0; c < NR_CPUS; c++) {
		im.cpu_base[c] = POSSIBLE >> c & 1 ? kalloc(1024) : KNOWHERE + 0x10000ULL * c;
		K(u64, im.per_cpu_offset)[c] = im.cpu_base[c];
	}
	im.pcpu_next = 0x40;
#ifndef SYNTH_HAS_NETNS_HASH
	im.hsize = 16;
	im.hash = new_hash(im.hsize);
	*K(u64, global("nf_conntrack_hash", 8)) = im.hash;
	im.hsize_var = global("nf_conntrack_htable_size", 4);
	*K(u32, im.hsize_var) = im.hsize;
#endif
#ifdef SYNTH_COUNT_IN_CTNET
	*K(u32, global("nf_conntrack_net_id", 4)) = NET_ID;
#endif
}

#ifdef SYNTH_HAS_CT_PCPU
/* The per-CPU list heads of netns ns on cpu (member: offsetof ct_pcpu). */
static uint64_t pcpu_list(int ns, int cpu, size_t member)
{
	return im.cpu_base[cpu] + im.ns[ns].pcpu + member;
}
#endif

static int new_net(uint32_t inum, uint32_t hsize)
{
	int i = im.nns++;
	uint64_t a = kalloc(sizeof(struct net));
	struct net *net = K(struct net, a);
	im.ns[i].net = a;
	NET_INUM(net) = inum;
	list_add_tail(a + offsetof(struct net, list), im.nsl);
	list_init(a + offsetof(struct net, dev_base_head));
#ifdef SYNTH_HAS_NETNS_HASH
	im.ns[i].hash = new_hash(hsize);
	im.ns[i].hsize = hsize;
	net->ct.hash = KADDR(struct hlist_nulls_head, im.ns[i].hash);
	net->ct.htable_size = hsize;
#else
	(void)hsize;
#endif
#ifdef SYNTH_HAS_NETNS_LISTS
	net->ct.unconfirmed.first = NULLS(UNCONFIRMED_NULLS_VAL);
	net->ct.dying.first = NULLS(DYING_NULLS_VAL);
	net->ct.tmpl.first = NULLS(TEMPLATE_NULLS_VAL);
#endif
#ifdef SYNTH_HAS_CT_PCPU
	im.ns[i].pcpu = im.pcpu_next;
	im.pcpu_next += (sizeof(struct ct_pcpu) + 63) & ~(size_t)63;
	net->ct.pcpu_lists = KADDR(struct ct_pcpu, im.ns[i].pcpu);
	for (int c = 0; c < NR_CPUS; c++) {
		if (!(POSSIBLE >> c & 1))
			continue;
		struct ct_pcpu *pc = K(struct ct_pcpu, pcpu_list(i, c, 0));
		pc->unconfirmed.first = NULLS(UNCONFIRMED_NULLS_VAL);
		pc->dying.first = NULLS(DYING_NULLS_VAL);
#ifdef SYNTH_HAS_PCPU_TMPL
		pc->tmpl.first = NULLS(TEMPLATE_NULLS_VAL);
#endif
	}
#endif
#ifdef SYNTH_COUNT_IN_CTNET
	/* net->gen->ptr[nf_conntrack_net_id] is this netns's nf_conntrack_net. */
	im.ns[i].ctnet = kalloc(sizeof(struct nf_conntrack_net));
#ifdef SYNTH_HAS_ECACHE_DYING
	K(struct nf_conntrack_net, im.ns[i].ctnet)->ecache.dying_list.first = NULLS(0);
#endif
	uint64_t g = kalloc(GEN_LEN * sizeof(void *));
	struct net_generic *gen = kmem(g, GEN_LEN * sizeof(void *));
	gen->s.len = GEN_LEN;
	gen->ptr[NET_ID] = KADDR(void, im.ns[i].ctnet);
	net->gen = KADDR(struct net_generic, g);
#endif
	return i;
}

/* A device with up to two IPv4 addresses and one IPv6 address. */
static void add_device(int ns, const u8 *v4a, const u8 *v4b, const u8 *v6)
{
	uint64_t d = kalloc(sizeof(struct net_device));
	struct net_device *dev = K(struct net_device, d);
	list_add_tail(d + offsetof(struct net_device, dev_list),
		      im.ns[ns].net + offsetof(struct net, dev_base_head));
	if (v4a) {
		uint64_t idev = kalloc(sizeof(struct in_device)), next = 0;
		for (const u8 *v4 = v4b ? v4b : v4a; v4; v4 = v4 == v4b ? v4a : NULL) {
			uint64_t ifa = kalloc(sizeof(struct in_ifaddr));
			memcpy(&K(struct in_ifaddr, ifa)->ifa_local, v4, 4);
			K(struct in_ifaddr, ifa)->ifa_next = KADDR(struct in_ifaddr, next);
			K(struct in_ifaddr, ifa)->ifa_dev = KADDR(struct in_device, idev);
			next = ifa;
		}
		K(struct in_device, idev)->ifa_list = KADDR(struct in_ifaddr, next);
		K(struct in_device, idev)->dev = KADDR(struct net_device, d);
		dev->ip_ptr = KADDR(struct in_device, idev);
	}
	if (v6) {
		uint64_t idev = kalloc(sizeof(struct inet6_dev));
		uint64_t ifa = kalloc(sizeof(struct inet6_ifaddr));
		list_init(idev + offsetof(struct inet6_dev, addr_list));
		memcpy(&K(struct inet6_ifaddr, ifa)->addr, v6, 16);
		list_add_tail(ifa + offsetof(struct inet6_ifaddr, if_list),
			      idev + offsetof(struct inet6_dev, addr_list));
		dev->ip6_ptr = KADDR(struct inet6_dev, idev);
	}
}

/* --- conntrack entries -------------------------------------------------- */

struct flow {
	u16 l3;                   /* AF_INET 2, AF_INET6 10 */
	u8 proto;
	const u8 *src, *dst;
	u16 sport, dport;
};

static u16 be16(u16 v)
{
	u8 b[2] = { (u8)(v >> 8), (u8)v };
	u16 r;
	memcpy(&r, b, 2);
	return r;
}

static void fill_tuple(struct nf_conntrack_tuple *t, const struct flow *f, int dir)
{
	size_t alen = f->l3 == 2 ? 4 : 16;
	memcpy(&t->src.u3, dir ? f->dst : f->src, alen);
	memcpy(&t->dst.u3, dir ? f->src : f->dst, alen);
	t->src.u.all = be16(dir ? f->dport : f->sport);
	t->dst.u.all = be16(dir ? f->sport : f->dport);
	t->src.l3num = f->l3;
	t->dst.protonum = f->proto;
	t->dst.dir = (u8)dir;
}

/* An nf_conn of netns ns; f NULL leaves both tuples zero (a template). */
static struct plant *new_conn(int ns, const struct flow *f, unsigned long status, int use)
{
	uint64_t a = kalloc(sizeof(struct nf_conn));
	struct nf_conn *ct = K(struct nf_conn, a);
	CT_USE(ct) = use;
	if (f) {
		fill_tuple(&ct->tuplehash[0].tuple, f, 0);
		fill_tuple(&ct->tuplehash[1].tuple, f, 1);
	}
	ct->status = status;
	ct->mark = 0x100u + (u32)im.np;
	CT_NET(ct) = KADDR(struct net, im.ns[ns].net);
	if (im.np >= MAX_PLANT)
		abort();
	struct plant *p = &im.p[im.np++];
	*p = (struct plant){ .ct = a, .ns = ns, .cpu = -1, .timeout = NO_TIMEOUT,
			     .counted = true, .lists = -1 };
	return p;
}

static void set_timeout(struct plant *p, int secs)
{
	uint64_t deadline = JIFFIES + (uint64_t)secs * HZ;
#ifdef SYNTH_HAS_TIMER_TIMEOUT
	K(struct nf_conn, p->ct)->timeout.expires = deadline;
#else
	K(struct nf_conn, p->ct)->timeout = (u32)deadline;
#endif
	p->timeout = secs;
}

/* Confirm: link both directions into the hash (its own netns's table on
 * 3.10), in buckets that usually differ. */
static struct plant *hashed(int ns, const struct flow *f, int use, int secs)
{
	struct plant *p = new_conn(ns, f, ST_HASHED, use);
	uint64_t hash = im.hash;
	uint32_t size = im.hsize;
#ifdef SYNTH_HAS_NETNS_HASH
	hash = im.ns[ns].hash;
	size = im.ns[ns].hsize;
#endif
	unsigned k = im.nhashed++;
	nulls_push(hash + 8ULL * ((k * 5 + 1) % size), node_of(p->ct, 0));
	nulls_push(hash + 8ULL * ((k * 3 + 6) % size), node_of(p->ct, 1));
	set_timeout(p, secs);
	p->where = CT_FOUND_HASH;
	p->state = CT_STATE_CONFIRMED;
	p->suspect = use != 1;
	return p;
}

/* Lists link the ORIGINAL node only. */
static struct plant *listed(struct plant *p, uint64_t head, enum ct_found_in where, int cpu)
{
	nulls_push(head, node_of(p->ct, 0));
	p->where = where;
	p->cpu = cpu;
#ifdef SYNTH_HAS_NETNS_LISTS
	/* RHEL 7 has both list forms; each model finds only its own. */
	p->lists = cpu >= 0 ? CT_LISTS_PER_CPU : CT_LISTS_PER_NETNS;
#endif
#ifdef SYNTH_HAS_CT_PCPU
	K(struct nf_conn, p->ct)->cpu = (u16)(cpu < 0 ? 0 : cpu);
#endif
	return p;
}

#if defined(SYNTH_HAS_CT_PCPU) || defined(SYNTH_HAS_NETNS_LISTS)
static struct plant *unconfirmed(int ns, const struct flow *f, uint64_t head, int cpu,
				 const char *hook)
{
	struct plant *p = listed(new_conn(ns, f, 0, 1), head, CT_FOUND_UNCONFIRMED, cpu);
	p->state = CT_STATE_UNCONFIRMED;
	p->suspect = true;
	p->hook = hook;
	return p;
}
#endif

static struct plant *dying(int ns, const struct flow *f, uint64_t head,
			   enum ct_found_in where, int cpu)
{
	struct plant *p = listed(new_conn(ns, f, ST_HASHED | ST(DYING), 1), head, where, cpu);
	p->state = CT_STATE_DYING;
	p->suspect = true;
	return p;
}

/* Write each netns's count: what the kernel counted, plus entries on no list. */
static void img_finish(void)
{
	for (int i = 0; i < im.nns; i++) {
		int64_t c = im.ns[i].off_list;
		for (int k = 0; k < im.np; k++)
			c += im.p[k].ns == i && im.p[k].counted;
		im.ns[i].count = c;
#ifdef SYNTH_COUNT_IN_CTNET
		K(struct nf_conntrack_net, im.ns[i].ctnet)->count.counter = (int)c;
#else
		K(struct net, im.ns[i].net)->ct.count.counter = (int)c;
#endif
	}
}

/* --- the standard image ------------------------------------------------- */

static const u8 LO4[4] = { 127, 0, 0, 1 }, ETH0[4] = { 10, 0, 0, 1 },
		ETH0B[4] = { 10, 0, 0, 2 }, ETH_B[4] = { 10, 0, 1, 1 },
		REMOTE[4] = { 192, 0, 2, 7 }, PEER[4] = { 198, 51, 100, 9 },
		WEB[4] = { 93, 184, 216, 34 };
static const u8 LO6[16] = { [15] = 1 },
		ETH6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 },
		WEB6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, [15] = 0x99 };

enum { NS_A, NS_B };

enum {
	F_CLEAN = 1,      /* hashed entries only, none with an extra reference */
	F_TEMPLATE = 2,   /* RHEL 7's xt_CT template on a per-CPU template list */
	F_TIMEOUTS = 4,   /* check the timeouts */
};

/* Namespace A: 9 hashed (one with an extra reference), B: 5. Unless clean:
 * unconfirmed and dying entries on several CPUs (or 6.1's ecache dying
 * list), and RHEL 7's kABI per-netns heads holding entries that only a
 * per-netns model finds. */
static void build_standard(unsigned flags)
{
	bool clean = flags & F_CLEAN;
	img_new();
	im.check_timeouts = flags & F_TIMEOUTS;
	new_net(0xf0000098, 16);
	new_net(0xf00001b9, 8);
	add_device(NS_A, LO4, NULL, LO6);
	add_device(NS_A, ETH0, ETH0B, ETH6);
	add_device(NS_B, ETH_B, NULL, NULL);

	for (int k = 0; k < 9; k++) {
		struct flow f = { 2, k % 2 ? 17 : 6, ETH0, WEB, (u16)(40000 + k), 443 };
		if (k == 7)
			f = (struct flow){ 10, 6, ETH6, WEB6, 40007, 443 };
		hashed(NS_A, &f, !clean && k == 4 ? 2 : 1, 100 + k);
	}
	for (int k = 0; k < 5; k++) {
		struct flow f = { 2, 17, ETH_B, PEER, (u16)(50000 + k), 53 };
		hashed(NS_B, &f, 1, 30 + k);
	}
	if (clean) {
		img_finish();
		return;
	}
	struct flow lo = { 2, 17, LO4, LO4, 33000, 7001 };
	struct flow in = { 2, 17, REMOTE, ETH0, 33001, 7001 };
	struct flow out = { 2, 17, ETH0B, PEER, 33002, 7001 };
	struct flow out6 = { 10, 17, ETH6, WEB6, 33003, 7001 };
	struct flow fwd = { 2, 6, REMOTE, PEER, 33004, 80 };
	struct flow gone = { 2, 17, ETH0, PEER, 33005, 7003 };
#ifdef SYNTH_HAS_CT_PCPU
	const size_t U = offsetof(struct ct_pcpu, unconfirmed), D = offsetof(struct ct_pcpu, dying);
	unconfirmed(NS_A, &lo, pcpu_list(NS_A, 0, U), 0, "LOCAL_OUT");
	unconfirmed(NS_A, &in, pcpu_list(NS_A, 0, U), 0, "PRE_ROUTING");
	unconfirmed(NS_A, &out, pcpu_list(NS_A, 5, U), 5, "LOCAL_OUT");
	unconfirmed(NS_A, &out6, pcpu_list(NS_A, 5, U), 5, "LOCAL_OUT");
	unconfirmed(NS_B, &fwd, pcpu_list(NS_B, 2, U), 2, "PRE_ROUTING");
	dying(NS_A, &gone, pcpu_list(NS_A, 7, D), CT_FOUND_DYING, 7);
	dying(NS_B, &fwd, pcpu_list(NS_B, 0, D), CT_FOUND_DYING, 0);
	dying(NS_B, &gone, pcpu_list(NS_B, 0, D), CT_FOUND_DYING, 0);
#endif
#ifdef SYNTH_HAS_PCPU_TMPL
	if (flags & F_TEMPLATE) {
		/* xt_CT's template: zeroed tuples, TEMPLATE|CONFIRMED, counted
		 * (3.10 allocates it with nf_conntrack_alloc). Not a leak. */
		struct plant *t = new_conn(NS_A, NULL, ST(TEMPLATE) | ST(CONFIRMED), 1);
		listed(t, pcpu_list(NS_A, 0, offsetof(struct ct_pcpu, tmpl)), CT_FOUND_TEMPLATE_LIST, 0);
		t->state = CT_STATE_TEMPLATE;
	}
#endif
#ifdef SYNTH_HAS_NETNS_LISTS
	/* kABI heads: never used by RHEL 7; filled here to tell the models apart. */
	struct plant *k1 = unconfirmed(NS_A, &lo, im.ns[NS_A].net + offsetof(struct net, ct.unconfirmed),
				       -1, "LOCAL_OUT");
	struct plant *k2 = dying(NS_B, &fwd, im.ns[NS_B].net + offsetof(struct net, ct.dying),
				 CT_FOUND_DYING, -1);
	k1->counted = k2->counted = false;
#endif
#ifdef SYNTH_HAS_ECACHE_DYING
	uint64_t ed = offsetof(struct nf_conntrack_net, ecache.dying_list);
	dying(NS_A, &gone, im.ns[NS_A].ctnet + ed, CT_FOUND_ECACHE_DYING, -1);
	dying(NS_A, &fwd, im.ns[NS_A].ctnet + ed, CT_FOUND_ECACHE_DYING, -1);
	dying(NS_B, &gone, im.ns[NS_B].ctnet + ed, CT_FOUND_ECACHE_DYING, -1);
	/* Three unconfirmed entries on no list at all (5.19+ has none). */
	im.ns[NS_A].off_list = 3;
#endif
	(void)lo, (void)in, (void)out, (void)out6;
	img_finish();
}

/* --- walking and checking ----------------------------------------------- */

static bool visible(const struct plant *p, const struct ct_kmodel *m)
{
	return !p->lost && (p->lists < 0 || p->lists == (int)m->lists);
}

static struct plant *plant_of(uint64_t ct)
{
	for (int k = 0; k < im.np; k++)
		if (im.p[k].ct == ct)
			return &im.p[k];
	return NULL;
}

static void walk(const struct ct_kmodel *m, struct ct_report *r)
{
	struct ct_walk_opts o = { .filter = { .show = CT_SHOW_ALL | CT_SHOW_SUSPECTS } };
	struct ct_error err = { 0 };
	ct_report_init(r, 10000);
	ct_status st = ct_walk(&im.prog, m, &o, r, &err);
	CHECK(st == CT_OK, "%s: ct_walk: %s", label, err.text);
	flatten_kept(r);
}

static bool has_problem(const struct ct_report *r, const char *what)
{
	for (size_t i = 0; i < r->n_problems; i++)
		if (strstr(r->problems[i].what, what))
			return true;
	return false;
}

/* Namespaces, counts and every entry against the plan; problem: NULL for a
 * walk without problems, else a phrase one of them must contain. */
static void check_walk(const struct ct_kmodel *m, const struct ct_report *r, const char *problem)
{
	CHECK_EQ_U64(r->n_netns, im.nns, label);
	for (int i = 0; i < im.nns && (size_t)i < r->n_netns; i++) {
		const struct ct_netns *rn = &r->netns[i];
		uint64_t n[CT_FOUND_SLAB + 1] = { 0 }, suspects = 0, found = 0;
		for (int k = 0; k < im.np; k++)
			if (im.p[k].ns == i && visible(&im.p[k], m)) {
				n[im.p[k].where]++;
				suspects += im.p[k].suspect;
				found++;
			}
		CHECK(rn->net == im.ns[i].net && rn->inum == NET_INUM(K(struct net, im.ns[i].net)),
		      "%s: netns %d is %#llx inum %u", label, i, (unsigned long long)rn->net, rn->inum);
		CHECK(rn->count_known && rn->count == im.ns[i].count,
		      "%s: netns %d count %lld (known %d), want %lld", label, i,
		      (long long)rn->count, rn->count_known, (long long)im.ns[i].count);
		CHECK(rn->hashed == n[CT_FOUND_HASH] && rn->unconfirmed == n[CT_FOUND_UNCONFIRMED] &&
		      rn->dying == n[CT_FOUND_DYING] && rn->ecache_dying == n[CT_FOUND_ECACHE_DYING] &&
		      rn->templates == n[CT_FOUND_TEMPLATE_LIST] && rn->slab_only == 0,
		      "%s: netns %d hashed/unconf/dying/ecache/tmpl %llu/%llu/%llu/%llu/%llu, "
		      "want %llu/%llu/%llu/%llu/%llu", label, i,
		      (unsigned long long)rn->hashed, (unsigned long long)rn->unconfirmed,
		      (unsigned long long)rn->dying, (unsigned long long)rn->ecache_dying,
		      (unsigned long long)rn->templates, (unsigned long long)n[CT_FOUND_HASH],
		      (unsigned long long)n[CT_FOUND_UNCONFIRMED], (unsigned long long)n[CT_FOUND_DYING],
		      (unsigned long long)n[CT_FOUND_ECACHE_DYING],
		      (unsigned long long)n[CT_FOUND_TEMPLATE_LIST]);
		CHECK(ct_netns_unaccounted(rn) == im.ns[i].count - (int64_t)found,
		      "%s: netns %d unaccounted %lld, want %lld", label, i,
		      (long long)ct_netns_unaccounted(rn), (long long)(im.ns[i].count - (int64_t)found));
		CHECK(rn->suspects == suspects, "%s: netns %d suspects %llu, want %llu", label, i,
		      (unsigned long long)rn->suspects, (unsigned long long)suspects);
	}
	/* Every visible entry exactly once, as planted; nothing else. */
	const struct ct_entry *bad_timeout = NULL;
	for (int k = 0; k < im.np; k++) {
		const struct plant *p = &im.p[k];
		if (!visible(p, m))
			continue;
		const struct ct_entry *e = NULL;
		int times = 0;
		for (size_t i = 0; i < r->n_entries; i++)
			if (r->entries[i].addr == p->ct) {
				e = &r->entries[i];
				times++;
			}
		CHECK(times == 1, "%s: entry %#llx (%s) reported %d times", label,
		      (unsigned long long)p->ct, ct_found_in_name(p->where), times);
		if (!e)
			continue;
		CHECK(e->found_in == p->where && e->cpu == p->cpu && e->state == p->state &&
		      e->suspect == p->suspect && e->net == im.ns[p->ns].net,
		      "%s: entry %#llx: %s cpu %d %s suspect %d (%s), want %s cpu %d %s suspect %d",
		      label, (unsigned long long)p->ct, ct_found_in_name(e->found_in), e->cpu,
		      ct_entry_state_name(e->state), e->suspect, e->nreasons ? e->reasons[0] : "",
		      ct_found_in_name(p->where), p->cpu, ct_entry_state_name(p->state), p->suspect);
		if (p->hook)
			CHECK_STR(e->last_hook, p->hook, "last_hook");
		if (im.check_timeouts && p->timeout != NO_TIMEOUT && !bad_timeout &&
		    !(e->timeout_known && e->timeout_secs == p->timeout))
			bad_timeout = e;
		CHECK(e->mark == K(struct nf_conn, p->ct)->mark, "%s: mark", label);
	}
	if (im.check_timeouts)
		CHECK(!bad_timeout, "%s: timeouts: entry %#llx has %lld s left (known %d), want %d",
		      label, (unsigned long long)bad_timeout->addr, (long long)bad_timeout->timeout_secs,
		      bad_timeout->timeout_known, plant_of(bad_timeout->addr)->timeout);
	for (size_t i = 0; i < r->n_entries; i++) {
		const struct plant *p = plant_of(r->entries[i].addr);
		CHECK(p && visible(p, m), "%s: unexpected entry %#llx", label,
		      (unsigned long long)r->entries[i].addr);
	}
	if (!problem)
		CHECK(r->n_problems == 0, "%s: %zu problems, first: %s", label, r->n_problems,
		      r->n_problems ? r->problems[0].what : "");
	else
		CHECK(has_problem(r, problem), "%s: no problem says \"%s\" (%zu problems%s%s)",
		      label, problem, r->n_problems, r->n_problems ? ", first: " : "",
		      r->n_problems ? r->problems[0].what : "");
}

static void walk_and_check(const struct ct_kmodel *m, const char *problem)
{
	struct ct_report r;
	walk(m, &r);
	check_walk(m, &r, problem);
	ct_report_free(&r);
	img_close();
	im.t = NULL;
}

/* --- the tests ---------------------------------------------------------- */

/* The progress line's text, and a short walk with progress on: nothing on
 * stderr (a line appears only after a quarter of a second) and the same
 * report. */
static void test_progress(const struct ct_kmodel *m)
{
	char b[160];
	ct_progress_format(b, sizeof b, 412000, 1100000, "entries", 2.0);
	CHECK(!strcmp(b, "412000 of ~1100000 entries (37%), 206000 entries/s"), "progress: %s", b);
	ct_progress_format(b, sizeof b, 1200000, 1100000, "entries", 0);
	CHECK(!strcmp(b, "1200000 of ~1100000 entries (99%)"), "progress past the total: %s", b);
	ct_progress_format(b, sizeof b, 5000, 0, "pages", 0.5);
	CHECK(!strcmp(b, "5000 pages, 10000 pages/s"), "progress, no total: %s", b);
	ct_progress_format(b, 8, 412000, 1100000, "entries", 2.0);
	CHECK(strlen(b) == 7, "progress: cut to the buffer (%s)", b);

	label = "progress on";
	build_standard(F_TEMPLATE | F_TIMEOUTS);
	fflush(stderr);
	int saved = dup(2);
	FILE *tmp = tmpfile();
	CHECK(saved >= 0 && tmp, "progress: stderr redirected");
	if (saved < 0 || !tmp)
		return;
	dup2(fileno(tmp), 2);
	struct ct_walk_opts o = { .filter = { .show = CT_SHOW_ALL | CT_SHOW_SUSPECTS },
				  .progress = true };
	struct ct_error err = { 0 };
	struct ct_report r;
	ct_report_init(&r, 10000);
	ct_status st = ct_walk(&im.prog, m, &o, &r, &err);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	long len = ftell(tmp);
	fclose(tmp);
	CHECK(st == CT_OK, "progress on: ct_walk: %s", err.text);
	flatten_kept(&r);
	CHECK(len == 0, "progress on, a short walk: nothing on stderr (%ld bytes)", len);
	check_walk(m, &r, NULL);
	ct_report_free(&r);
	img_close();
}

static void test_clean(const struct ct_kmodel *m)
{
	struct ct_report r;
	label = "clean image";
	build_standard(F_CLEAN | F_TIMEOUTS);
	walk(m, &r);
	check_walk(m, &r, NULL);
	CHECK_EQ_U64(r.suspects, 0, "clean image: suspects");
	CHECK(r.max_known && r.nf_conntrack_max == 65536, "clean image: nf_conntrack_max");
	CHECK(r.buckets_known && r.buckets == 16, "clean image: buckets %llu",
	      (unsigned long long)r.buckets);
	CHECK(r.n_netns == 2 && r.netns[0].hashed == 9 && r.netns[1].hashed == 5,
	      "clean image: 9 and 5 hashed");
	CHECK(r.n_netns == 2 && ct_netns_unaccounted(&r.netns[0]) == 0 &&
	      ct_netns_unaccounted(&r.netns[1]) == 0, "clean image: all accounted for");
	ct_report_free(&r);
	img_close();
}

static void test_standard(const struct ct_kmodel *m)
{
	struct ct_report r;
	label = "standard image";
	build_standard(F_TEMPLATE | F_TIMEOUTS);
	walk(m, &r);
	check_walk(m, &r, NULL);
	if (r.n_netns == 2) {
#ifdef SYNTH_HAS_CT_PCPU
		CHECK(r.netns[0].unconfirmed == 4 && r.netns[0].dying == 1 &&
		      r.netns[1].unconfirmed == 1 && r.netns[1].dying == 2,
		      "per-CPU lists: 4+1 / 1+2");
		CHECK(ct_netns_unaccounted(&r.netns[0]) == 0 && ct_netns_unaccounted(&r.netns[1]) == 0,
		      "per-CPU lists: all accounted for");
#endif
#ifdef SYNTH_HAS_ECACHE_DYING
		CHECK(r.netns[0].ecache_dying == 2 && r.netns[1].ecache_dying == 1,
		      "ecache dying 2 / 1");
		CHECK(ct_netns_unaccounted(&r.netns[0]) == 3 && ct_netns_unaccounted(&r.netns[1]) == 0,
		      "6.1: 3 entries on no list are unaccounted");
#endif
	}
	/* Suspects say why. */
	int extra_ref = 0;
	for (size_t i = 0; i < r.n_entries; i++) {
		const struct ct_entry *e = &r.entries[i];
		const char *why = e->nreasons ? e->reasons[0] : "";
		if (e->state == CT_STATE_UNCONFIRMED)
			CHECK(strstr(why, "unconfirmed: created at ") && strstr(why, e->last_hook),
			      "unconfirmed reason: %s", why);
		if (e->state == CT_STATE_DYING)
			CHECK(strstr(why, "dying: deleted but still referenced"), "dying reason: %s", why);
		if (e->found_in == CT_FOUND_HASH && e->use == 2) {
			extra_ref++;
			CHECK(strstr(why, "refcount 2 above the 1 the table holds"), "use 2 reason: %s", why);
		}
	}
	CHECK(extra_ref == 1, "one hashed entry holds an extra reference, found %d", extra_ref);
	ct_report_free(&r);
	img_close();
}

#ifdef SYNTH_HAS_NETNS_LISTS
/* RHEL 7 without its per-CPU backport: the per-netns heads are walked. */
static void test_netns_lists(const struct ct_layout *l)
{
	struct ct_layout nl = *l;
	struct ct_kmodel m;
	struct ct_error err = { 0 };
	nl.e[CTL_NETNS_CT_PCPU_LISTS].state = CTL_ABSENT;
	CHECK(ct_kmodel_build(&nl, &m, &err) == CT_OK && m.lists == CT_LISTS_PER_NETNS,
	      "per-netns list model: %s", err.text);
	label = "per-netns lists";
	build_standard(0);
	struct ct_report r;
	walk(&m, &r);
	check_walk(&m, &r, NULL);
	CHECK(r.n_netns == 2 && r.netns[0].unconfirmed == 1 && r.netns[1].dying == 1 &&
	      r.netns[0].dying == 0 && r.netns[1].unconfirmed == 0,
	      "per-netns lists: 1 unconfirmed in A, 1 dying in B");
	ct_report_free(&r);
	img_close();
}
#endif

/* The nodes of the chain at head, as the image holds them. */
static int chain(uint64_t head, uint64_t *nodes, int max)
{
	int n = 0;
	for (uint64_t x = ADDR(K(struct hlist_nulls_head, head)->first); !(x & 1) && n < max;
	     x = ADDR(K(struct hlist_nulls_node, x)->next))
		nodes[n++] = x;
	return n;
}

/* Entries whose ORIGINAL node is nodes[from..n) are lost with them. */
static void lose(const uint64_t *nodes, int from, int n)
{
	for (int i = from; i < n; i++) {
		uint64_t tuple = nodes[i] + offsetof(struct nf_conntrack_tuple_hash, tuple);
		if (K(struct nf_conntrack_tuple, tuple)->dst.dir == 0)
			plant_of(nodes[i] - node_of(0, 0))->lost = true;
	}
}

/* The bucket of namespace A's table with the longest chain (at least 2). */
static uint64_t long_bucket(uint64_t *nodes, int *n)
{
	uint64_t hash = im.hash, best = 0;
	uint32_t size = im.hsize;
#ifdef SYNTH_HAS_NETNS_HASH
	hash = im.ns[NS_A].hash;
	size = im.ns[NS_A].hsize;
#endif
	*n = 0;
	for (uint32_t i = 0; i < size; i++) {
		uint64_t tmp[64];
		int k = chain(hash + 8ULL * i, tmp, 64);
		if (k > *n) {
			*n = k;
			best = hash + 8ULL * i;
			memcpy(nodes, tmp, sizeof(tmp));
		}
	}
	if (*n < 2)
		abort();
	return best;
}

/* The first ORIGINAL node of a chain (the walk counts entries there). */
static int first_orig(const uint64_t *nodes, int n)
{
	for (int i = 0; i < n; i++)
		if (K(struct nf_conntrack_tuple_hash, nodes[i])->tuple.dst.dir == 0)
			return i;
	abort();
}

/* Relink the chain at head into a cycle through all its nodes, starting
 * at an ORIGINAL node. */
static void make_cycle(uint64_t head, uint64_t *nodes, int n)
{
	int j = first_orig(nodes, n);
	uint64_t first = nodes[j];
	nodes[j] = nodes[0];
	nodes[0] = first;
	K(struct hlist_nulls_head, head)->first = KADDR(struct hlist_nulls_node, nodes[0]);
	for (int i = 0; i < n; i++)
		K(struct hlist_nulls_node, nodes[i])->next =
			KADDR(struct hlist_nulls_node, nodes[(i + 1) % n]);
}

#define LAST_NEXT(nodes, n) (K(struct hlist_nulls_node, (nodes)[(n) - 1])->next)

static void test_broken_hash(const struct ct_kmodel *m)
{
	uint64_t nodes[64], head;
	int n, i;

	label = "hash chain loop";
	build_standard(0);
	head = long_bucket(nodes, &n);
	make_cycle(head, nodes, n);
	walk_and_check(m, "loops back on itself");

	label = "hash chain self-loop";
	build_standard(0);
	long_bucket(nodes, &n);
	LAST_NEXT(nodes, n) = KADDR(struct hlist_nulls_node, nodes[n - 1]);
	walk_and_check(m, "loops back on itself");

	label = "another bucket's nulls marker";
	build_standard(0);
	long_bucket(nodes, &n);
	LAST_NEXT(nodes, n) = NULLS(((ADDR(LAST_NEXT(nodes, n)) >> 1) + 1) % 16);
	walk_and_check(m, "chain ends in the nulls marker of bucket");

	label = "pointer to unmapped memory";
	build_standard(0);
	long_bucket(nodes, &n);
	lose(nodes, 1, n);
	K(struct hlist_nulls_node, nodes[0])->next = KADDR(struct hlist_nulls_node, KNOWHERE + 0x40);
	walk_and_check(m, "bad address");

	label = "pointer into an excluded page";
	build_standard(0);
	head = long_bucket(nodes, &n);
	lose(nodes, 0, n);
	K(struct hlist_nulls_head, head)->first = KADDR(struct hlist_nulls_node, KEXCLUDED + 0x80);
	walk_and_check(m, "not in dump");

	label = "tuple direction 7";
	build_standard(0);
	long_bucket(nodes, &n);
	i = first_orig(nodes, n);
	lose(nodes, i, n);
	K(struct nf_conntrack_tuple_hash, nodes[i])->tuple.dst.dir = 7;
	walk_and_check(m, "tuple direction 7");
}

static void test_broken_lists(const struct ct_kmodel *m)
{
	/* Counted where ct_net says, not where it was found. */
	label = "entry on another netns's list";
	build_standard(0);
	struct flow f = { 2, 17, REMOTE, ETH_B, 33100, 7001 };
#ifdef SYNTH_HAS_CT_PCPU
	unconfirmed(NS_B, &f, pcpu_list(NS_A, 1, offsetof(struct ct_pcpu, unconfirmed)), 1,
		    "PRE_ROUTING");
#else
	dying(NS_B, &f, im.ns[NS_A].ctnet + offsetof(struct nf_conntrack_net, ecache.dying_list),
	      CT_FOUND_ECACHE_DYING, -1);
#endif
	img_finish();
	walk_and_check(m, NULL);

	label = "net_namespace_list loop";
	build_standard(0);
	K(struct net, im.ns[NS_B].net)->list.next =
		KADDR(struct list_head, im.ns[NS_A].net + offsetof(struct net, list));
	walk_and_check(m, "loops back to a namespace");

#if defined(SYNTH_HAS_CT_PCPU) || defined(SYNTH_HAS_ECACHE_DYING)
	uint64_t nodes[64];
	label = "list that never ends";
	build_standard(0);
#ifdef SYNTH_HAS_CT_PCPU
	int n = chain(pcpu_list(NS_A, 0, offsetof(struct ct_pcpu, unconfirmed)), nodes, 64);
#else
	int n = chain(im.ns[NS_A].ctnet + offsetof(struct nf_conntrack_net, ecache.dying_list),
		      nodes, 64);
#endif
	LAST_NEXT(nodes, n) = KADDR(struct hlist_nulls_node, nodes[0]);
	walk_and_check(m, "loops back on itself");
#endif
#ifdef SYNTH_HAS_CT_PCPU
	label = "per-CPU area not in the dump";
	build_standard(0);
	K(u64, im.per_cpu_offset)[5] = KEXCLUDED;
	for (int k = 0; k < im.np; k++)
		im.p[k].lost |= im.p[k].cpu == 5;
	walk_and_check(m, "unconfirmed_list head unreadable (not in dump)");
#endif
}

/* Set the table size of the global hash, or of namespace B's on 3.10. */
static void set_htable_size(uint32_t size)
{
#ifdef SYNTH_HAS_NETNS_HASH
	K(struct net, im.ns[NS_B].net)->ct.htable_size = size;
#else
	*K(u32, im.hsize_var) = size;
#endif
}

static void test_table_size(const struct ct_kmodel *m)
{
	/* Absurd: refused, the rest still walked. */
	label = "absurd htable_size";
	build_standard(0);
	set_htable_size(0x7fffffff);
	for (int k = 0; k < im.np; k++)
#ifdef SYNTH_HAS_NETNS_HASH
		im.p[k].lost |= im.p[k].where == CT_FOUND_HASH && im.p[k].ns == NS_B;
#else
		im.p[k].lost |= im.p[k].where == CT_FOUND_HASH;
#endif
	walk_and_check(m, "is not plausible");

	/* Plausible in size, with nothing behind the first buckets: the
	 * sampled bucket heads show the table is not that large. Refused in
	 * one problem, not read bucket by bucket (a huge count took minutes);
	 * the rest still walked. (With the slab scan, its entries are found
	 * there: tests/system/test_corrupt_dumps.c.) */
	label = "hash larger than its memory";
	build_standard(0);
	set_htable_size(1u << 18);
	for (int k = 0; k < im.np; k++)
#ifdef SYNTH_HAS_NETNS_HASH
		im.p[k].lost |= im.p[k].where == CT_FOUND_HASH && im.p[k].ns == NS_B;
#else
		im.p[k].lost |= im.p[k].where == CT_FOUND_HASH;
#endif
	struct ct_report r;
	walk(m, &r);
	check_walk(m, &r, "does not fit the hash at");
	CHECK(r.n_problems == 1 && r.dropped_problems == 0, "%s: one problem (%zu kept, %llu dropped)",
	      label, r.n_problems, (unsigned long long)r.dropped_problems);
	ct_report_free(&r);
	img_close();
}

#ifdef SYNTH_COUNT_IN_CTNET
/* The count out of reach: net_generic's slot, the nf_conntrack_net it
 * names, or net->gen itself. The counts are unknown, the rest is walked:
 * the hash, and the per-CPU lists (5.13-5.18), which hang off net->ct and
 * not off nf_conntrack_net; the ecache dying list (5.19+) does hang off
 * it, so it is not walked. */
static void test_bad_net_id(const struct ct_kmodel *m)
{
	static const char *const labels[] = { "nf_conntrack_net_id outside net_generic",
					      "nf_conntrack_net unreadable",
					      "net->gen unreadable" };
	static const char *const problems[] = { "outside net_generic", "nf_conntrack_net unreadable",
						"net_generic unreadable" };
	for (int v = 0; v < 3; v++) {
		struct ct_report r;
		label = labels[v];
		build_standard(0);
		uint64_t id;
		CHECK(ct_program_symbol(&im.prog, "nf_conntrack_net_id", &id, NULL) == CT_OK, "symbol");
		for (int i = 0; i < im.nns; i++) {
			struct net *net = K(struct net, im.ns[i].net);
			if (v == 1)
				((u64 *)kmem(ADDR(net->gen), GEN_LEN * 8))[NET_ID] = KNOWHERE + 0x100;
			else if (v == 2)
				net->gen = KADDR(struct net_generic, KNOWHERE + 0x200);
		}
		if (v == 0)
			*K(u32, id) = 99;
		walk(m, &r);
		CHECK(has_problem(&r, problems[v]), "%s: problem", label);
		CHECK(r.n_netns == 2 && !r.netns[0].count_known && !r.netns[1].count_known &&
		      r.netns[0].hashed == 9 && r.netns[1].hashed == 5 && r.netns[0].ecache_dying == 0 &&
		      r.netns[1].ecache_dying == 0,
		      "%s: counts unknown, hash still walked, no ecache list", label);
#ifdef SYNTH_HAS_CT_PCPU
		CHECK(r.n_netns == 2 && r.netns[0].unconfirmed == 4 && r.netns[0].dying == 1 &&
		      r.netns[1].unconfirmed == 1 && r.netns[1].dying == 2 && r.suspects == 9,
		      "%s: per-CPU lists still walked: 4+1 / 1+2, 9 suspects (%llu)", label,
		      (unsigned long long)r.suspects);
#endif
		ct_report_free(&r);
		img_close();
	}
}
#endif

/* --- a running kernel ---------------------------------------------------- */

/* The image as a running kernel: target->live, and the memory target's ops
 * with .read wrapped so that reads of watched addresses are counted and
 * may change the image just before or just after they happen. */
struct watch {
	uint64_t addr;
	size_t len;               /* reads of exactly this length */
	unsigned n;               /* how many so far */
	void (*before)(unsigned nth), (*after)(unsigned nth);
};

static struct {
	const struct ct_target_ops *inner;
	struct ct_target_ops ops;
	struct watch w[2];
} lv;

static ct_status live_read(struct ct_target *t, uint64_t addr, void *buf, size_t len,
			   size_t *done, struct ct_error *err)
{
	struct watch *hit = NULL;
	for (int i = 0; i < 2; i++)
		if (lv.w[i].len && addr == lv.w[i].addr && len == lv.w[i].len)
			hit = &lv.w[i];
	if (hit && ++hit->n && hit->before)
		hit->before(hit->n);
	ct_status st = lv.inner->read(t, addr, buf, len, done, err);
	if (hit && hit->after)
		hit->after(hit->n);
	return st;
}

static void go_live(void)
{
	memset(&lv, 0, sizeof(lv));
	lv.inner = im.t->ops;
	lv.ops = *im.t->ops;
	lv.ops.read = live_read;
	im.t->ops = &lv.ops;
	im.t->live = true;
}

static void check_live_counts(const struct ct_report *r, bool live, uint64_t rewalked,
			      uint64_t unsettled, uint64_t met_twice, uint64_t in_flight)
{
	CHECK(r->live == live && r->rewalked == rewalked && r->unsettled == unsettled &&
	      r->met_twice == met_twice && r->in_flight == in_flight,
	      "%s: live %d rewalked %llu unsettled %llu met_twice %llu in_flight %llu, want "
	      "%d %llu %llu %llu %llu", label, r->live, (unsigned long long)r->rewalked,
	      (unsigned long long)r->unsettled, (unsigned long long)r->met_twice,
	      (unsigned long long)r->in_flight, live, (unsigned long long)rewalked,
	      (unsigned long long)unsettled, (unsigned long long)met_twice,
	      (unsigned long long)in_flight);
}

static void walk_free(struct ct_report *r)
{
	ct_report_free(r);
	img_close();
	im.t = NULL;
}

/* The ORIGINAL nodes among nodes[0..n): the entries a walk counts there. */
static int originals(const uint64_t *nodes, int n)
{
	int k = 0;
	for (int i = 0; i < n; i++)
		k += K(struct nf_conntrack_tuple_hash, nodes[i])->tuple.dst.dir == 0;
	return k;
}

static uint64_t hash_of_a(uint32_t *size)
{
#ifdef SYNTH_HAS_NETNS_HASH
	*size = im.ns[NS_A].hsize;
	return im.ns[NS_A].hash;
#else
	*size = im.hsize;
	return im.hash;
#endif
}

/* a. A chain that ends in another bucket's nulls marker and stays so: a
 * dump reports it at once; a running kernel walks it again CT_LIVE_REWALKS
 * times, then reports it as still changing. */
static uint64_t fixed_marker, last_node;

static void test_live_unsettled(const struct ct_kmodel *m)
{
	uint64_t nodes[64], head;
	int n;
	struct ct_report r;

	label = "another bucket's nulls marker, dump";
	build_standard(F_CLEAN);
	long_bucket(nodes, &n);
	LAST_NEXT(nodes, n) = NULLS(((ADDR(LAST_NEXT(nodes, n)) >> 1) + 1) % 16);
	walk(m, &r);
	check_walk(m, &r, "chain ends in the nulls marker of bucket");
	check_live_counts(&r, false, 0, 0, 0, 0);
	CHECK(has_problem(&r, "while the dump was taken") && !has_problem(&r, "re-walks"),
	      "%s: reported once, as a dump's", label);
	walk_free(&r);

	label = "another bucket's nulls marker, live, never settles";
	build_standard(F_CLEAN);
	head = long_bucket(nodes, &n);
	LAST_NEXT(nodes, n) = NULLS(((ADDR(LAST_NEXT(nodes, n)) >> 1) + 1) % 16);
	go_live();
	lv.w[0] = (struct watch){ .addr = nodes[n - 1], .len = m->tuple_hash_size };
	lv.w[1] = (struct watch){ .addr = head, .len = 8 };
	walk(m, &r);
	char why[64];
	snprintf(why, sizeof(why), "(still changing after %d re-walks)", CT_LIVE_REWALKS);
	check_walk(m, &r, why);
	check_live_counts(&r, true, CT_LIVE_REWALKS, 1, 0, 0);
	CHECK(r.n_problems == 1 && has_problem(&r, "while it was read"),
	      "%s: one problem, a live one (%zu: %s)", label, r.n_problems,
	      r.n_problems ? r.problems[0].what : "");
	CHECK(lv.w[0].n == 1 + CT_LIVE_REWALKS && lv.w[1].n == CT_LIVE_REWALKS,
	      "%s: the chain walked %u times, its head read again %u times", label, lv.w[0].n,
	      lv.w[1].n);
	walk_free(&r);
}

/* b. A chain that moves under the walk, then settles. */
static void settle(unsigned nth)
{
	if (nth == 1)
		K(struct hlist_nulls_node, last_node)->next =
			KADDR(struct hlist_nulls_node, fixed_marker);
}

/* The moved entry: off chain X onto the head of chain Y. */
static uint64_t moved_node, moved_from, moved_to;

static void move_entry(unsigned nth)
{
	if (nth != 1)
		return;
	struct hlist_nulls_node *b = K(struct hlist_nulls_node, moved_node);
	struct hlist_nulls_head *x = K(struct hlist_nulls_head, moved_from);
	/* hlist_nulls_del_rcu: off X (it is X's first node) ... */
	x->first = b->next;
	if (!(ADDR(b->next) & 1))
		K(struct hlist_nulls_node, ADDR(b->next))->pprev =
			KADDR(struct hlist_nulls_node *, moved_from);
	/* ... and hlist_nulls_add_head_rcu onto Y. */
	nulls_push(moved_to, moved_node);
}

static void test_live_moving(const struct ct_kmodel *m)
{
	uint64_t nodes[64], head;
	int n;
	struct ct_report r;

	label = "a chain that settles after one re-walk";
	build_standard(F_CLEAN);
	head = long_bucket(nodes, &n);
	last_node = nodes[n - 1];
	fixed_marker = ADDR(LAST_NEXT(nodes, n));
	LAST_NEXT(nodes, n) = NULLS(((fixed_marker >> 1) + 1) % 16);
	go_live();
	lv.w[0] = (struct watch){ .addr = last_node, .len = m->tuple_hash_size, .after = settle };
	lv.w[1] = (struct watch){ .addr = head, .len = 8 };
	walk(m, &r);
	check_walk(m, &r, NULL);   /* each entry once, in its netns, no problem */
	check_live_counts(&r, true, 1, 0, 0, 0);
	CHECK(lv.w[0].n == 2 && lv.w[1].n == 1, "%s: chain walked %u times, head re-read %u",
	      label, lv.w[0].n, lv.w[1].n);
	walk_free(&r);

	/* An entry moves to another bucket just as the walk reaches it: the
	 * walk follows it into that bucket's chain, ends in the wrong nulls
	 * marker, walks its own chain again, and finds the entries it had
	 * not met yet. Counted once each; met twice are the ones met through
	 * the stray path and again in their own bucket (not those the re-walk
	 * met again). Both orders of the two buckets. */
	for (int later = 0; later < 2; later++) {
		label = later ? "an entry moves to a later bucket while read"
			      : "an entry moves to an earlier bucket while read";
		build_standard(F_CLEAN);
		uint32_t size;
		uint64_t hash = hash_of_a(&size);
		head = long_bucket(nodes, &n);
		uint32_t x = (uint32_t)((head - hash) / 8), y = x;
		uint64_t ynodes[64];
		int yn = 0;
		/* The nearest non-empty bucket after (or before) X. */
		for (uint32_t k = 1; k < size && !yn; k++) {
			y = later ? x + k : x - k;
			if (y >= size)
				break;
			yn = chain(hash + 8ULL * y, ynodes, 64);
		}
		if (!yn) {
			printf("note: %s: no non-empty bucket %s bucket %u: not tested\n", label,
			       later ? "after" : "before", x);
			img_close();
			continue;
		}
		moved_node = nodes[0];
		moved_from = head;
		moved_to = hash + 8ULL * y;
		bool b_orig = K(struct nf_conntrack_tuple_hash, moved_node)->tuple.dst.dir == 0;
		uint64_t want = (uint64_t)originals(ynodes, yn) + (later && b_orig);
		go_live();
		lv.w[0] = (struct watch){ .addr = moved_node, .len = m->tuple_hash_size,
					  .before = move_entry };
		lv.w[1] = (struct watch){ .addr = head, .len = 8 };
		walk(m, &r);
		check_walk(m, &r, NULL);
		check_live_counts(&r, true, 1, 0, want, 0);
		CHECK(lv.w[1].n == 1, "%s: head re-read %u times", label, lv.w[1].n);
		walk_free(&r);
	}
}

/* c. The same nf_conn met twice (here: a list whose head points into a
 * hash chain): a problem in a dump; on a running kernel, normal (freed and
 * reused, or moved), counted in met_twice. Counted once either way. */
static void link_list_into_hash(void)
{
	uint64_t nodes[64];
	int n;
	long_bucket(nodes, &n);
#ifdef SYNTH_HAS_CT_PCPU
	uint64_t list = pcpu_list(NS_A, 1, offsetof(struct ct_pcpu, unconfirmed));
#else
	uint64_t list = im.ns[NS_A].ctnet + offsetof(struct nf_conntrack_net, ecache.dying_list);
#endif
	K(struct hlist_nulls_head, list)->first = KADDR(struct hlist_nulls_node, nodes[n - 1]);
}

static void test_live_met_twice(const struct ct_kmodel *m)
{
	struct ct_report r;
	label = "an entry met twice, dump";
	build_standard(F_CLEAN);
	link_list_into_hash();
	walk(m, &r);
	check_walk(m, &r, "met again on the");
	check_live_counts(&r, false, 0, 0, 0, 0);
	walk_free(&r);

	label = "an entry met twice, live";
	build_standard(F_CLEAN);
	link_list_into_hash();
	go_live();
	walk(m, &r);
	check_walk(m, &r, NULL);
	check_live_counts(&r, true, 0, 0, 1, 0);
	walk_free(&r);
}

/* d. The second look: a suspect that changed since the walk read it was
 * in flight, not leaked: dropped. One that held still stays. */
static uint64_t changing;
static int change_kind;

static void change_suspect(unsigned nth)
{
	if (nth != 2) /* 1: the walk; 2: the second look */
		return;
	struct nf_conn *ct = K(struct nf_conn, changing);
	if (change_kind == 0)
		CT_USE(ct) += 1;
	else /* hlist_nulls_del_rcu poisons pprev */
		ct->tuplehash[0].hnnode.pprev =
			KADDR(struct hlist_nulls_node *, 0xdead000000000122ULL);
}

static void test_live_second_look(const struct ct_kmodel *m)
{
	struct ct_report r;
	label = "live walk of an image that holds still";
	build_standard(F_TIMEOUTS);
	go_live();
	walk(m, &r);
	check_walk(m, &r, NULL);
	check_live_counts(&r, true, 0, 0, 0, 0);
	walk_free(&r);

	static const char *const kinds[] = { "second look: a suspect's refcount changed",
					     "second look: a suspect left its chain" };
	for (change_kind = 0; change_kind < 2; change_kind++) {
		label = kinds[change_kind];
		build_standard(0);
		struct plant *p = NULL;
		uint64_t suspects = 0, suspects_a = 0;
		for (int k = 0; k < im.np; k++) {
			if (!visible(&im.p[k], m) || !im.p[k].suspect)
				continue;
			suspects++;
			suspects_a += im.p[k].ns == NS_A;
			if (im.p[k].where == CT_FOUND_HASH)
				p = &im.p[k];
		}
		if (!p || suspects < 2)
			abort();
		changing = p->ct;
		go_live();
		lv.w[0] = (struct watch){ .addr = p->ct, .len = m->nf_conn_size,
					  .before = change_suspect };
		walk(m, &r);
		check_live_counts(&r, true, 0, 0, 0, 1);
		CHECK(lv.w[0].n == 2, "%s: the nf_conn read %u times", label, lv.w[0].n);
		CHECK(r.suspects == suspects - 1, "%s: %llu suspects, want %llu", label,
		      (unsigned long long)r.suspects, (unsigned long long)(suspects - 1));
		CHECK(r.n_netns == 2 && r.netns[NS_A].suspects == suspects_a - 1 &&
		      r.netns[NS_A].hashed == 9 && r.netns[NS_B].hashed == 5,
		      "%s: netns A %llu suspects (want %llu), still 9 and 5 hashed", label,
		      r.n_netns ? (unsigned long long)r.netns[NS_A].suspects : 0ULL,
		      (unsigned long long)(suspects_a - 1));
		/* The changed one is gone; every other suspect is still listed. */
		uint64_t listed = 0;
		bool gone = true;
		for (size_t i = 0; i < r.n_entries; i++) {
			gone &= r.entries[i].addr != p->ct;
			listed += r.entries[i].suspect;
		}
		CHECK(gone, "%s: the changed suspect is dropped", label);
		CHECK(listed == suspects - 1, "%s: %llu suspects listed, want %llu", label,
		      (unsigned long long)listed, (unsigned long long)(suspects - 1));
		CHECK(r.n_problems == 0, "%s: %zu problems", label, r.n_problems);
		walk_free(&r);
	}
}

/* --- HZ, the wall clock, module build-ids -------------------------------- */

static uint64_t symbol_addr(const char *name)
{
	uint64_t a;
	if (ct_program_symbol(&im.prog, name, &a, NULL) != CT_OK)
		abort();
	return a;
}

/* HZ: from tick_nsec (1e9/HZ, NTP-adjusted) or, without it (7.x), from
 * the uptime that tick_next_period and jiffies_64 both give; the timeouts
 * of the clean image say whether it was right. */
static void test_hz(const struct ct_kmodel *m)
{
	struct ct_report r;
	label = "HZ from tick_next_period (no tick_nsec)";
	img_time = T_NEXT_PERIOD;
	build_standard(F_CLEAN | F_TIMEOUTS);
	walk_and_check(m, NULL);

	/* tick_nsec, where there is one, decides: a tick_next_period that
	 * would say 1000 is not read. */
	label = "tick_nsec before tick_next_period";
	img_time = T_TICK_NSEC | T_NEXT_PERIOD;
	build_standard(F_CLEAN | F_TIMEOUTS);
	*K(u64, symbol_addr("tick_next_period")) =
		(JIFFIES - (u64)(u32)(-300 * 1000)) * 1000000ULL;
	walk_and_check(m, NULL);

	/* 300 s after boot every HZ gives the same uptime: HZ unknown. */
	label = "uptime 300 s: every HZ agrees";
	img_time = T_NEXT_PERIOD;
	build_standard(F_CLEAN);
	*K(u64, symbol_addr("jiffies_64")) = INITIAL_JIFFIES + 300ULL * HZ;
	*K(u64, symbol_addr("tick_next_period")) = 300000000000ULL + 4000000ULL;
	walk(m, &r);
	check_walk(m, &r, "jiffies or HZ unknown: timeouts not shown");
	bool any_timeout = false;
	for (size_t i = 0; i < r.n_entries; i++)
		any_timeout |= r.entries[i].timeout_known;
	CHECK(!any_timeout && r.n_problems == 1, "%s: no timeouts, one problem (%zu)", label,
	      r.n_problems);
	ct_report_free(&r);
	img_close();

	label = "tick_next_period of no known HZ";
	img_time = T_NEXT_PERIOD;
	build_standard(F_CLEAN);
	*K(u64, symbol_addr("tick_next_period")) = 5000000000ULL;
	walk_and_check(m, "jiffies or HZ unknown: timeouts not shown");

	label = "neither tick_nsec nor tick_next_period";
	img_time = 0;
	build_standard(F_CLEAN);
	walk_and_check(m, "jiffies or HZ unknown: timeouts not shown");
	img_time = T_DEFAULT;
}

#define WALL_NOW 1765000000ULL           /* the dump's wall clock, seconds */

/* The timestamp extension (struct nf_conn_tstamp at ext->offset[TSTAMP]). */
static void add_tstamp(uint64_t ct, uint64_t start_sec)
{
	uint64_t ext = kalloc(16 + sizeof(struct nf_conn_tstamp));
	K(struct nf_ct_ext, ext)->offset[NF_CT_EXT_TSTAMP] = 16;
	K(struct nf_conn_tstamp, ext + 16)->start = start_sec * 1000000000ULL;
	K(struct nf_conn, ct)->ext = KADDR(struct nf_ct_ext, ext);
}

/* Where the walk finds the wall clock: shadow_timekeeper until 6.12; from
 * 6.13 (7.3 measured) timekeeper_data[0].timekeeper (its shadow there is not it). */
static void set_wall_clock(uint64_t sec)
{
#ifdef SYNTH_TK_DATA
	uint64_t tk = global("timekeeper_data", sizeof(struct tk_data));
	*K(u64, tk + offsetof(struct tk_data, timekeeper.xtime_sec)) = sec;
	*K(u64, tk + offsetof(struct tk_data, shadow_timekeeper.xtime_sec)) = sec - 7777;
#else
	uint64_t tk = global("shadow_timekeeper", sizeof(struct timekeeper));
	*K(u64, tk + offsetof(struct timekeeper, xtime_sec)) = sec;
#endif
}

static void test_ages(const struct ct_kmodel *m)
{
	struct ct_report r;
	label = "ages from the timestamp extension";
	CHECK(m->tstamp.usable, "%s: timestamps in the model", label);
	build_standard(0);
	set_wall_clock(WALL_NOW);
	uint64_t aged[2] = { 0, 0 };
	for (int k = 0, n = 0; k < im.np && n < 2; k++)
		if (im.p[k].suspect)
			aged[n++] = im.p[k].ct;
	CHECK(aged[1] != 0, "%s: two suspects to age", label);
	add_tstamp(aged[0], WALL_NOW - 90);
	add_tstamp(aged[1], WALL_NOW - 4000);
	walk(m, &r);
	check_walk(m, &r, NULL);
	int ok = 0, others = 0;
	for (size_t i = 0; i < r.n_entries; i++) {
		const struct ct_entry *e = &r.entries[i];
		if (e->addr == aged[0])
			ok += e->age_known && e->age_secs == 90;
		else if (e->addr == aged[1])
			ok += e->age_known && e->age_secs == 4000;
		else
			others += e->age_known;
	}
	CHECK(ok == 2 && others == 0, "%s: ages 90 and 4000 s, no others (%d, %d)", label, ok,
	      others);
	ct_report_free(&r);
	img_close();

	/* No wall clock: no ages, and nothing to complain about. */
	label = "timestamps without a wall clock";
	build_standard(0);
	for (int k = 0; k < im.np; k++)
		if (im.p[k].suspect)
			add_tstamp(im.p[k].ct, WALL_NOW - 90);
	walk(m, &r);
	check_walk(m, &r, NULL);
	int known = 0;
	for (size_t i = 0; i < r.n_entries; i++)
		known += r.entries[i].age_known;
	CHECK(known == 0, "%s: %d ages", label, known);
	ct_report_free(&r);
	img_close();
}

static uint64_t kstr(const char *str)
{
	size_t n = strlen(str) + 1;
	uint64_t a = kalloc(n);
	memcpy(kmem(a, n), str, n);
	return a;
}

/* /sys/module/M/notes: note sections, the build-id the last of them.
 * 6.12 module_notes_attrs counts its attrs[]; 7.3 has no count: the
 * group's bin_attrs, a NULL-terminated array of pointers to attrs[i], is
 * the only way to know how many. */
static const unsigned char BUILD_ID_NOTE[36] = {
	4, 0, 0, 0, 20, 0, 0, 0, 3, 0, 0, 0, 'G', 'N', 'U', 0,
	0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
};
#define BUILD_ID_HEX "deadbeef0102030405060708090a0b0c0d0e0f10"
#define MAX_TEST_NOTES 70

static struct {
	uint64_t mod, notes, bin_attrs;
	int n;
} nm;

static uint64_t note_attr(int i)
{
	return nm.notes + offsetof(struct module_notes_attrs, attrs) +
	       (uint64_t)i * sizeof(struct bin_attribute);
}

/* A module with n notes; the build-id note at index id (-1: none). */
static void module_with_notes(int n, int id)
{
	img_new();
	nm.n = n;
	nm.mod = kalloc(sizeof(struct module));
	snprintf(K(struct module, nm.mod)->name, MODULE_NAME_LEN, "nf_conntrack");
	size_t size = sizeof(struct module_notes_attrs) + (size_t)n * sizeof(struct bin_attribute);
	nm.notes = kalloc(size);
	K(struct module, nm.mod)->notes_attrs = KADDR(struct module_notes_attrs, nm.notes);
	uint64_t note = kalloc(sizeof(BUILD_ID_NOTE)), other = kalloc(24);
	memcpy(kmem(note, sizeof(BUILD_ID_NOTE)), BUILD_ID_NOTE, sizeof(BUILD_ID_NOTE));
	/* NT_GNU_ABI_TAG-like: a note of another type, named GNU too. */
	static const unsigned char abi[24] = { 4, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 'G', 'N', 'U', 0,
					       0, 0, 0, 0 };
	memcpy(kmem(other, 24), abi, 24);
	uint64_t build_id_name = kstr(".note.gnu.build-id"), other_name = kstr(".note.Linux");
	for (int i = 0; i < n; i++) {
		struct bin_attribute *a = K(struct bin_attribute, note_attr(i));
		a->attr.name = KADDR(const char, i == id ? build_id_name : other_name);
		a->size = i == id ? sizeof(BUILD_ID_NOTE) : 24;
		a->private = KADDR(void, i == id ? note : other);
	}
#ifdef SYNTH_NOTES_BIN_ATTRS
	nm.bin_attrs = kalloc((size_t)(n + 1) * 8);
	for (int i = 0; i < n; i++)
		K(u64, nm.bin_attrs)[i] = note_attr(i);
	K(u64, nm.bin_attrs)[n] = 0;
	K(struct module_notes_attrs, nm.notes)->grp.bin_attrs =
		KADDR(const struct bin_attribute *const, nm.bin_attrs);
#else
	K(struct module_notes_attrs, nm.notes)->notes = (unsigned)n;
#endif
}

static void build_id_is(const struct ct_layout *l, ct_status want, const char *hex_or_phrase)
{
	char hex[129] = "";
	struct ct_error err = { 0 };
	ct_status st = ct_module_build_id(im.t, l, nm.mod, hex, sizeof(hex), &err);
	if (want == CT_OK)
		CHECK(st == CT_OK && strcmp(hex, hex_or_phrase) == 0, "%s: build-id %s (%s), want %s",
		      label, hex, err.text, hex_or_phrase);
	else
		CHECK(st == want && strstr(err.text, hex_or_phrase), "%s: %s: \"%s\", want %s \"%s\"",
		      label, ct_status_name(st), err.text, ct_status_name(want), hex_or_phrase);
	img_close();
	im.t = NULL;
}

static void test_module_build_id(const struct ct_layout *l)
{
#ifdef SYNTH_NOTES_BIN_ATTRS
	CHECK(!ct_layout_has(l, CTL_NOTES_ATTRS_NOTES) && ct_layout_has(l, CTL_NOTES_ATTRS_BIN_ATTRS),
	      "module notes: the bin_attrs form");
#else
	CHECK(ct_layout_has(l, CTL_NOTES_ATTRS_NOTES) && !ct_layout_has(l, CTL_NOTES_ATTRS_BIN_ATTRS),
	      "module notes: the counted form");
#endif
	label = "module build-id, the last of three notes";
	module_with_notes(3, 2);
	build_id_is(l, CT_OK, BUILD_ID_HEX);

	label = "module build-id, the only note";
	module_with_notes(1, 0);
	build_id_is(l, CT_OK, BUILD_ID_HEX);

	label = "module without a build-id note";
	module_with_notes(2, -1);
	build_id_is(l, CT_ERR_NOTFOUND, "no build-id note");

	label = "module without notes";
	module_with_notes(1, 0);
	K(struct module, nm.mod)->notes_attrs = NULL;
	build_id_is(l, CT_ERR_NOTFOUND, "keeps no notes");

	label = "build-id note malformed";
	module_with_notes(2, 1);
	*K(u32, ADDR(K(struct bin_attribute, note_attr(1))->private) + 4) = 4000;
	build_id_is(l, CT_ERR_CORRUPT, "malformed");

	label = "build-id note of an absurd size";
	module_with_notes(2, 1);
	K(struct bin_attribute, note_attr(1))->size = 1u << 20;
	build_id_is(l, CT_ERR_CORRUPT, "a build-id note of 1048576 bytes");

	label = "note name unreadable";
	module_with_notes(2, 1);
	K(struct bin_attribute, note_attr(0))->attr.name = KADDR(const char, KNOWHERE);
	build_id_is(l, CT_ERR_BADADDR, "");
#ifdef SYNTH_NOTES_BIN_ATTRS
	/* bin_attrs points at the attributes: their order, not attrs[]'s. */
	label = "bin_attrs in another order than attrs[]";
	module_with_notes(3, 0);
	K(u64, nm.bin_attrs)[0] = note_attr(2);
	K(u64, nm.bin_attrs)[2] = note_attr(0);
	K(u64, nm.bin_attrs)[1] = 0;              /* ends after the first: attrs[0] unseen */
	build_id_is(l, CT_ERR_NOTFOUND, "no build-id note");

	label = "bin_attrs without its NULL";
	module_with_notes(MAX_TEST_NOTES, -1);
	K(u64, nm.bin_attrs)[MAX_TEST_NOTES] = note_attr(0);
	build_id_is(l, CT_ERR_CORRUPT, "more than 64 note sections");

	label = "bin_attrs unreadable";
	module_with_notes(2, 1);
	K(struct module_notes_attrs, nm.notes)->grp.bin_attrs =
		KADDR(const struct bin_attribute *const, KNOWHERE);
	build_id_is(l, CT_ERR_BADADDR, "");
#else
	label = "note count absurd";
	module_with_notes(2, 1);
	K(struct module_notes_attrs, nm.notes)->notes = 1000;
	build_id_is(l, CT_ERR_CORRUPT, "1000 note sections");
#endif
}

/* --- filters and --format proc ------------------------------------------ */

/* The planted values a filter is checked against: straight from the image. */
static const struct nf_conntrack_tuple *orig_of(const struct plant *p)
{
	return &K(struct nf_conn, p->ct)->tuplehash[0].tuple;
}

static unsigned port_of(const u16 *be)
{
	const u8 *b = (const u8 *)be;
	return (unsigned)b[0] << 8 | b[1];
}

static bool with_ports(const struct nf_conntrack_tuple *t)
{
	return t->dst.protonum == 6 || t->dst.protonum == 17;
}

struct filter_case {
	const char *what;
	const char *args[6];     /* option, value pairs as the command line has them */
	bool (*want)(const struct plant *p); /* is p to be kept? */
};

static bool want_all(const struct plant *p) { (void)p; return true; }
static bool want_none(const struct plant *p) { (void)p; return false; }
static bool want_dport_443(const struct plant *p)
{
	return with_ports(orig_of(p)) && port_of(&orig_of(p)->dst.u.all) == 443;
}
static bool want_dport_443_53(const struct plant *p)
{
	return want_dport_443(p) ||
	       (with_ports(orig_of(p)) && port_of(&orig_of(p)->dst.u.all) == 53);
}
static bool want_udp_7001(const struct plant *p)
{
	return orig_of(p)->dst.protonum == 17 && port_of(&orig_of(p)->dst.u.all) == 7001;
}
static bool want_sport_33004(const struct plant *p)
{
	return with_ports(orig_of(p)) && port_of(&orig_of(p)->src.u.all) == 33004;
}
static bool want_src_10_8(const struct plant *p)
{
	return orig_of(p)->src.l3num == 2 && ((const u8 *)&orig_of(p)->src.u3)[0] == 10;
}
static bool want_dst_v6(const struct plant *p)
{
	const u8 *a = (const u8 *)&orig_of(p)->dst.u3;
	return orig_of(p)->src.l3num == 10 && memcmp(a, WEB6, 16) == 0;
}
static bool want_ns_b(const struct plant *p) { return p->ns == NS_B; }
static bool want_established(const struct plant *p)
{
	return orig_of(p)->dst.protonum == 6 && K(struct nf_conn, p->ct)->proto.tcp.state == 3;
}
static bool want_mark_105(const struct plant *p)
{
	return K(struct nf_conn, p->ct)->mark == 0x105;
}
static bool want_tcp_or_icmp_in_b(const struct plant *p)
{
	return p->ns == NS_B && (orig_of(p)->dst.protonum == 6 || orig_of(p)->dst.protonum == 1);
}

/* Parse the case's options as ctleak does, into a walk filter. */
static struct ct_filter case_filter(const struct filter_case *c, char inum[2][16])
{
	char *argv[8] = { "ctleak" };
	int argc = 1;
	for (int i = 0; i < 6 && c->args[i]; i++) {
		const char *a = c->args[i];
		argv[argc++] = strcmp(a, "NS_A") == 0 ? inum[0] : strcmp(a, "NS_B") == 0 ? inum[1] :
			       (char *)a;
	}
	struct ct_options o;
	struct ct_error err = { 0 };
	CHECK(ct_cli_parse(argc, argv, &o, &err) == CT_OK, "%s: parse: %s", c->what, err.text);
	struct ct_filter f = o.filter;
	f.show = CT_SHOW_ALL | CT_SHOW_SUSPECTS;
	return f;
}

static void check_filter_case(const struct ct_kmodel *m, const struct ct_report *all,
			      const struct filter_case *c, char inum[2][16])
{
	struct ct_walk_opts o = { .filter = case_filter(c, inum) };
	struct ct_report r;
	struct ct_error err = { 0 };
	ct_report_init(&r, 10000);
	CHECK(ct_walk(&im.prog, m, &o, &r, &err) == CT_OK, "%s: walk: %s", c->what, err.text);
	CHECK_EQ_U64(ct_filter_count(&o.filter, &r), ct_report_kept(&r), c->what);
	flatten_kept(&r);
	/* The whole table is never filtered. */
	bool same = r.n_netns == all->n_netns && r.suspects == all->suspects;
	for (size_t i = 0; same && i < r.n_netns; i++)
		same = memcmp(&r.netns[i], &all->netns[i], sizeof(r.netns[i])) == 0;
	CHECK(same, "%s: the counts are those of the unfiltered walk", c->what);
	unsigned want = 0;
	for (int k = 0; k < im.np; k++) {
		const struct plant *p = &im.p[k];
		if (!visible(p, m) || !c->want(p))
			continue;
		want++;
		bool kept = false;
		for (size_t i = 0; i < r.n_entries; i++)
			kept = kept || r.entries[i].addr == p->ct;
		CHECK(kept, "%s: entry %#llx is kept", c->what, (unsigned long long)p->ct);
	}
	CHECK_EQ_U64(r.n_entries, want, c->what);
	CHECK_EQ_U64(ct_filter_count(&o.filter, &r), want, c->what);
	ct_report_free(&r);
}

/* One --format proc line against the entry planted at its address. */
static void check_proc_line(const char *line)
{
	char buf[1024], *tok[64];
	int n = 0;
	snprintf(buf, sizeof(buf), "%s", line);
	char *save = NULL;
	for (char *t = strtok_r(buf, " ", &save); t && n < 64; t = strtok_r(NULL, " ", &save))
		tok[n++] = t;
	CHECK(n >= 4, "proc line: %s", line);
	if (n < 4)
		return;
	const struct plant *p = plant_of(strtoull(tok[0], NULL, 16));
	CHECK(p != NULL, "proc line names a planted entry: %s", line);
	if (!p)
		return;
	const struct nf_conn *ct = K(struct nf_conn, p->ct);
	const struct nf_conntrack_tuple *t = &ct->tuplehash[0].tuple, *rt = &ct->tuplehash[1].tuple;
	char want[256], addr[2][48];
	snprintf(want, sizeof(want), "%u", NET_INUM(K(struct net, im.ns[p->ns].net)));
	CHECK_STR(tok[1], want, "proc line: netns");
	snprintf(want, sizeof(want), "%s", ct_found_in_name(p->where));
	if (p->cpu >= 0)
		snprintf(want + strlen(want), sizeof(want) - strlen(want), ":%d", p->cpu);
	CHECK_STR(tok[2], want, "proc line: found_in");
	CHECK_STR(tok[3], ct_entry_state_name(p->state), "proc line: state");
	if (p->state == CT_STATE_TEMPLATE)
		return; /* zeroed tuples */
	CHECK(n >= 14, "proc line: %s", line);
	if (n < 14)
		return;
	CHECK_STR(tok[4], t->src.l3num == 2 ? "ipv4" : "ipv6", "proc line: l3");
	snprintf(want, sizeof(want), "%u", t->src.l3num);
	CHECK_STR(tok[5], want, "proc line: l3num");
	CHECK_STR(tok[6], t->dst.protonum == 6 ? "tcp" : "udp", "proc line: proto");
	snprintf(want, sizeof(want), "%u", t->dst.protonum);
	CHECK_STR(tok[7], want, "proc line: protonum");
	int i = 9; /* past the timeout */
	if (t->dst.protonum == 6)
		CHECK_STR(tok[i++], ct_tcp_state_name(ct->proto.tcp.state), "proc line: TCP state");
	for (int dir = 0; dir < 2 && i + 4 <= n; dir++) {
		const struct nf_conntrack_tuple *d = dir ? rt : t;
		ct_format_addr(d->src.l3num, (const uint8_t *)&d->src.u3, addr[0], sizeof(addr[0]));
		ct_format_addr(d->src.l3num, (const uint8_t *)&d->dst.u3, addr[1], sizeof(addr[1]));
		snprintf(want, sizeof(want), "src=%s dst=%s sport=%u dport=%u", addr[0], addr[1],
			 port_of(&d->src.u.all), port_of(&d->dst.u.all));
		char got[256];
		snprintf(got, sizeof(got), "%s %s %s %s", tok[i], tok[i + 1], tok[i + 2], tok[i + 3]);
		CHECK_STR(got, want, "proc line: tuple");
		i += 4;
		if (!dir && i < n && strcmp(tok[i], "[UNREPLIED]") == 0)
			i++;
	}
	snprintf(want, sizeof(want), "mark=%u", ct->mark);
	bool mark = false, use = false;
	for (int k = i; k < n; k++) {
		mark = mark || strcmp(tok[k], want) == 0;
		use = use || strncmp(tok[k], "use=", 4) == 0;
	}
	CHECK(mark && use, "proc line: %s, use=: %s", want, line);
	CHECK(!p->suspect || strstr(line, " why: "), "proc line: a suspect's reasons: %s", line);
}

static void check_proc_lines(const struct ct_report *r)
{
	char *txt = NULL, *com = NULL;
	size_t len = 0, clen = 0;
	struct ct_filter all = { .show = CT_SHOW_ALL | CT_SHOW_SUSPECTS };
	FILE *f = open_memstream(&txt, &len), *c = open_memstream(&com, &clen);
	ct_render_report_lines(f, c, r, &all, CT_FORMAT_PROC);
	fclose(f);
	fclose(c);
	unsigned lines = 0;
	char *save = NULL;
	for (char *l = strtok_r(txt, "\n", &save); l; l = strtok_r(NULL, "\n", &save), lines++)
		check_proc_line(l);
	CHECK_EQ_U64(lines, r->n_entries, "--format proc: one line per entry");
	CHECK(com && (strncmp(com, "# kernel ", 9) == 0 || strstr(com, "\n# kernel ")) &&
	      !strstr(com, "\n0x"),
	      "--format proc: the report's head as comments:\n%s", com);
	free(txt);
	free(com);
}

static void test_filters(const struct ct_kmodel *m)
{
	static const struct filter_case cases[] = {
		{ "--dport 443", { "--dport", "443" }, want_dport_443 },
		{ "--dport 443 --dport 53", { "--dport", "443", "--dport", "53" }, want_dport_443_53 },
		{ "-p udp --dport 7001", { "-p", "udp", "--dport", "7001" }, want_udp_7001 },
		{ "--sport 33004", { "--sport", "33004" }, want_sport_33004 },
		{ "--src 10.0.0.0/8", { "--src", "10.0.0.0/8" }, want_src_10_8 },
		{ "--dst 2001:db8:ff00::99", { "--dst", "2001:db8:ff00::99" }, want_dst_v6 },
		{ "--dst ::ffff:93.184.216.34", { "--dst", "::ffff:93.184.216.34" }, want_none },
		{ "-n B", { "-n", "NS_B" }, want_ns_b },
		{ "-n A -n B", { "-n", "NS_A", "-n", "NS_B" }, want_all },
		{ "--state established", { "--state", "established" }, want_established },
		{ "--state TIME_WAIT", { "--state", "TIME_WAIT" }, want_none },
		{ "--mark 0x105", { "--mark", "0x105" }, want_mark_105 },
		{ "--mark 0x100/0xff00", { "--mark", "0x100/0xff00" }, want_all },
		{ "--zone 0", { "--zone", "0" }, want_all },
		{ "--zone 7", { "--zone", "7" }, want_none },
		{ "-n B -p tcp -p icmp", { "-n", "NS_B", "-p", "tcp", "-p", "icmp" },
		  want_tcp_or_icmp_in_b },
	};
	label = "filters";
	build_standard(F_TEMPLATE);
	/* One TCP entry ESTABLISHED (3); the others stay NONE (0). */
	for (int k = 0; k < im.np; k++)
		if (orig_of(&im.p[k])->dst.protonum == 6 && im.p[k].ns == NS_A) {
			K(struct nf_conn, im.p[k].ct)->proto.tcp.state = 3;
			break;
		}
	char inum[2][16];
	for (int i = 0; i < 2; i++)
		snprintf(inum[i], sizeof(inum[i]), "%u", NET_INUM(K(struct net, im.ns[i].net)));
	struct ct_report all;
	walk(m, &all);
	check_proc_lines(&all);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		check_filter_case(m, &all, &cases[i], inum);
	char missing[64];
	struct ct_filter f = case_filter(&cases[7], inum);
	CHECK(ct_filter_unknown_netns(&f, &all, missing, sizeof(missing)) == 0,
	      "-n of a namespace of the image names no unknown one");
	f.netns[f.n_netns++] = 12345;
	CHECK(ct_filter_unknown_netns(&f, &all, missing, sizeof(missing)) == 1 &&
	      strcmp(missing, "12345") == 0, "-n 12345 names no namespace: %s", missing);
	ct_report_free(&all);
	img_close();
}

int main(int argc, char **argv)
{
	char name[64];
	snprintf(name, sizeof(name), "walk on synthetic %s", SYNTH_NAME);
	if (argc != 2) {
		fprintf(stderr, "usage: %s GEN.o\n", argv[0]);
		return 2;
	}
	struct ct_types *types;
	struct ct_layout layout;
	struct ct_kmodel m;
	struct ct_error err = { 0 };
	if (ct_types_new(&types, &err) || ct_types_add_file(types, argv[1], &err) ||
	    ct_layout_resolve(types, &layout, &err) || ct_kmodel_build(&layout, &m, &err)) {
		printf("FAIL %s: %s\n", argv[1], err.text);
		return harness_done(name) | 1;
	}
	ct_types_free(types);
	CHECK_EQ_U64(m.nf_conn_size, sizeof(struct nf_conn), "model from DWARF: sizeof nf_conn");
	CHECK(m.netdev.v4 && m.netdev.v6, "model reads device addresses");

	test_clean(&m);
	test_progress(&m);
	test_standard(&m);
#ifdef SYNTH_HAS_NETNS_LISTS
	test_netns_lists(&layout);
#endif
	test_broken_hash(&m);
	test_broken_lists(&m);
	test_table_size(&m);
#ifdef SYNTH_COUNT_IN_CTNET
	test_bad_net_id(&m);
#endif
	test_live_unsettled(&m);
	test_live_moving(&m);
	test_live_met_twice(&m);
	test_live_second_look(&m);
	test_hz(&m);
	test_ages(&m);
	test_module_build_id(&layout);
	test_filters(&m);
	return harness_done(name);
}
