#include "kernel/kmodel.h"

#include <string.h>

#define HAS(id) ct_layout_has(l, CTL_##id)
#define OFF(id) ((uint32_t)ct_layout_val(l, CTL_##id))

/* Values of enum ip_conntrack_status from include/uapi/linux/netfilter/
 * nf_conntrack_common.h. They are user ABI and never renumbered; they are
 * used only when the debug files carry no DWARF for the enum (gcc drops
 * enums whose type no declaration uses). */
static const struct ct_status_bits uapi_bits = {
	.expected = 0, .seen_reply = 1, .assured = 2, .confirmed = 3,
	.dying = 9, .template_ = 11, .untracked = 12, .offload = 14,
};

static int bit_or_none(const struct ct_layout *l, enum ct_layout_id id)
{
	return ct_layout_has(l, id) ? (int)ct_layout_val(l, id) : -1;
}

static ct_status require(const struct ct_layout *l, enum ct_layout_id id,
			 struct ct_error *err)
{
	if (ct_layout_has(l, id))
		return CT_OK;
	return ct_fail(err, CT_ERR_UNSUPPORTED,
		       "the debug files do not describe %s, which ctleak needs "
		       "(is nf_conntrack's debug file among them?)",
		       ct_layout_defs[id].question);
}

/* 6.18 sheaves ("slab: add opt-in caching layer of percpu sheaves"):
 * per-CPU arrays of free objects, and each node's barn of full and empty
 * sheaves; kmem_cache.node became per_node[] {node, barn} in 7.1. */
static void sheaves_model(const struct ct_layout *l, struct ct_slub_model *s)
{
	if (!HAS(KMEM_CACHE_CPU_SHEAVES) || !HAS(PCS_MAIN) || !HAS(PCS_SPARE) ||
	    !HAS(SHEAF_SIZE) || !HAS(SHEAF_OBJECTS))
		return;
	s->sheaves.usable = true;
	s->sheaves.cpu_sheaves = OFF(KMEM_CACHE_CPU_SHEAVES);
	s->sheaves.pcs[0] = OFF(PCS_MAIN);
	s->sheaves.pcs[1] = OFF(PCS_SPARE);
	s->sheaves.pcs[2] = HAS(PCS_RCU_FREE) ? OFF(PCS_RCU_FREE) : OFF(PCS_SPARE);
	s->sheaves.size = OFF(SHEAF_SIZE);
	s->sheaves.objects = OFF(SHEAF_OBJECTS);
	s->sheaves.has_capacity = HAS(KMEM_CACHE_SHEAF_CAPACITY);
	s->sheaves.capacity = s->sheaves.has_capacity ? OFF(KMEM_CACHE_SHEAF_CAPACITY) : 0;
	if (!HAS(BARN_SHEAVES_FULL) || !HAS(SHEAF_BARN_LIST))
		return;
	s->sheaves.sheaves_full = OFF(BARN_SHEAVES_FULL);
	s->sheaves.barn_list = OFF(SHEAF_BARN_LIST);
	const struct ct_layout_entry *arr = NULL;
	if (HAS(KMEM_CACHE_PER_NODE) && HAS(PER_NODE_PTRS) && HAS(PER_NODE_BARN) &&
	    OFF(PER_NODE_PTRS) > 0) {
		arr = &l->e[CTL_KMEM_CACHE_PER_NODE];
		s->sheaves.barn_per_node = true;
		s->sheaves.nodes = OFF(KMEM_CACHE_PER_NODE);
		s->sheaves.node_stride = OFF(PER_NODE_PTRS);
		s->sheaves.barn = OFF(PER_NODE_BARN);
	} else if (HAS(KMEM_CACHE_NODE) && HAS(KMEM_CACHE_NODE_BARN)) {
		arr = &l->e[CTL_KMEM_CACHE_NODE];
		s->sheaves.barn_in_node = true;
		s->sheaves.nodes = OFF(KMEM_CACHE_NODE);
		s->sheaves.node_stride = 8;
		s->sheaves.barn = OFF(KMEM_CACHE_NODE_BARN);
	}
	if (arr)
		s->sheaves.max_nodes = (uint32_t)(arr->size / s->sheaves.node_stride);
}

/* The layout ids describing a slab: on struct slab (5.17+) or on struct
 * page before. */
struct slab_desc_ids {
	enum ct_layout_id cache, freelist, objects, cpu_desc;
};

/* Whether this SLUB is one ctleak reads; if not, s->why says why. */
static bool slub_readable(const struct ct_layout *l, struct ct_slub_model *s,
			  const struct slab_desc_ids *d)
{
	static const enum ct_layout_id needed[] = {
		CTL_KMEM_CACHE_SIZE, CTL_KMEM_CACHE_OBJECT_SIZE, CTL_KMEM_CACHE_OFFSET,
		CTL_KMEM_CACHE_OO, CTL_STRUCT_PAGE, CTL_PAGE_FLAGS,
	};
	/* Whether SLUB is there at all, for the message when it is not usable. */
	if ((HAS(KMEM_CACHE_CPU_SLAB) || HAS(KMEM_CACHE_CPU_SHEAVES)) && HAS(KMEM_CACHE_SIZE)) {
		s->cpu_slab = HAS(KMEM_CACHE_CPU_SLAB) ? OFF(KMEM_CACHE_CPU_SLAB) : 0;
		s->size = OFF(KMEM_CACHE_SIZE);
	}
	s->why = "the debug files describe no SLUB allocator (a SLAB or SLOB kernel?)";
	for (size_t i = 0; i < sizeof(needed) / sizeof(*needed); i++)
		if (!ct_layout_has(l, needed[i]))
			return false;
	s->why = "tail pages are marked in a way ctleak does not read (no compound_head, no PG_tail)";
	if (!HAS(PAGE_COMPOUND_HEAD) && !HAS(PAGE_COMPOUND_INFO) && !HAS(PG_TAIL))
		return false;
	/* How a slab page is marked: the PG_slab page flag until 6.9; from
	 * 6.12 a page type, page_type's top byte == PGTY_slab (6.10 and 6.11
	 * used an inverted bit there, which ctleak does not read). */
	s->why = "slab pages are marked in a way ctleak does not read (no PG_slab page flag, "
		 "no PGTY_slab page type: 6.10-6.11?)";
	if (!HAS(PG_SLAB) && !(HAS(PAGE_TYPE) && HAS(PGTY_SLAB)))
		return false;
	s->why = "the slab descriptor (struct slab or struct page) lacks its cache, freelist "
		 "or object count";
	if (!ct_layout_has(l, d->cache) || !ct_layout_has(l, d->freelist) ||
	    !ct_layout_has(l, d->objects))
		return false;
	/* Where CPUs keep free objects: a CPU slab's freelist and/or sheaves.
	 * Neither known: free objects would be counted as allocated. */
	s->has_cpu_slab = HAS(KMEM_CACHE_CPU_SLAB) && HAS(KMEM_CACHE_CPU_FREELIST) &&
			  ct_layout_has(l, d->cpu_desc);
	sheaves_model(l, s);
	s->why = "CPUs keep free objects in a way ctleak does not read (no kmem_cache_cpu "
		 "freelist, no sheaves)";
	return s->has_cpu_slab || s->sheaves.usable;
}

/* kmem_cache and its per-CPU part. */
static void slub_cache_offsets(const struct ct_layout *l, struct ct_slub_model *s,
			       const struct slab_desc_ids *d)
{
	s->cpu_slab = s->has_cpu_slab ? OFF(KMEM_CACHE_CPU_SLAB) : 0;
	s->size = OFF(KMEM_CACHE_SIZE);
	s->object_size = OFF(KMEM_CACHE_OBJECT_SIZE);
	s->offset = OFF(KMEM_CACHE_OFFSET);
	s->oo = OFF(KMEM_CACHE_OO);
	s->red_left_pad = HAS(KMEM_CACHE_RED_LEFT_PAD) ? OFF(KMEM_CACHE_RED_LEFT_PAD) : 0;
	s->has_random = HAS(KMEM_CACHE_RANDOM);
	s->random = s->has_random ? OFF(KMEM_CACHE_RANDOM) : 0;
	s->cpu_freelist = s->has_cpu_slab ? OFF(KMEM_CACHE_CPU_FREELIST) : 0;
	s->cpu_desc = s->has_cpu_slab ? (uint32_t)ct_layout_val(l, d->cpu_desc) : 0;
}

/* The slab descriptor and how a page says it is a slab (or a tail). */
static void slub_page_offsets(const struct ct_layout *l, struct ct_slub_model *s,
			      const struct slab_desc_ids *d)
{
	s->desc_size = OFF(STRUCT_PAGE);
	s->flags = OFF(PAGE_FLAGS);
	/* 7.x renamed compound_head to compound_info; bit 0 still marks a
	 * tail page (the rest is no longer the head's address). */
	s->has_compound_head = HAS(PAGE_COMPOUND_HEAD) || HAS(PAGE_COMPOUND_INFO);
	s->compound_head = HAS(PAGE_COMPOUND_HEAD) ? OFF(PAGE_COMPOUND_HEAD) :
			   HAS(PAGE_COMPOUND_INFO) ? OFF(PAGE_COMPOUND_INFO) : 0;
	s->pg_tail = HAS(PG_TAIL) ? (int)OFF(PG_TAIL) : -1;
	s->slab_cache = (uint32_t)ct_layout_val(l, d->cache);
	s->freelist = (uint32_t)ct_layout_val(l, d->freelist);
	s->objects_byte = (uint32_t)ct_layout_val(l, d->objects);
	s->objects_bit = l->e[d->objects].bit_offset;
	s->objects_bits = l->e[d->objects].bit_size;
	s->pg_slab = HAS(PG_SLAB) ? (int)OFF(PG_SLAB) : -1;
	s->by_page_type = !HAS(PG_SLAB);
	s->page_type = s->by_page_type ? OFF(PAGE_TYPE) : 0;
	s->pgty_slab = s->by_page_type ? (int)OFF(PGTY_SLAB) : -1;
	s->pg_head = HAS(PG_HEAD) ? (int)OFF(PG_HEAD) : -1;
}

static bool slub_plausible(const struct ct_slub_model *s)
{
	return s->desc_size >= 32 &&
	       (s->by_page_type ? s->pgty_slab > 0 && s->pgty_slab < 256 &&
					  s->page_type + 4 <= s->desc_size
				: s->pg_slab >= 0 && s->pg_slab < 64) &&
	       (s->has_compound_head || (s->pg_tail >= 0 && s->pg_tail < 64)) &&
	       s->objects_bits > 0 && s->objects_bits <= 16;
}

static void slub_model(const struct ct_layout *l, struct ct_kmodel *m)
{
	struct ct_slub_model *s = &m->slub;
	bool slab = HAS(STRUCT_SLAB);
	const struct slab_desc_ids d = slab ?
		(struct slab_desc_ids){ CTL_SLAB_SLAB_CACHE, CTL_SLAB_FREELIST,
					CTL_SLAB_OBJECTS, CTL_KMEM_CACHE_CPU_SLAB_PTR } :
		(struct slab_desc_ids){ CTL_PAGE_SLAB_CACHE, CTL_PAGE_FREELIST,
					CTL_PAGE_OBJECTS, CTL_KMEM_CACHE_CPU_PAGE };
	if (!slub_readable(l, s, &d))
		return;
	s->struct_slab = slab;
	slub_cache_offsets(l, s, &d);
	slub_page_offsets(l, s, &d);
	s->usable = slub_plausible(s);
	s->why = s->usable ? "" : "the slab layout is not plausible";
	s->has_cache_list = HAS(KMEM_CACHE_NAME) && HAS(KMEM_CACHE_LIST);
	s->cache_name = s->has_cache_list ? OFF(KMEM_CACHE_NAME) : 0;
	s->cache_list = s->has_cache_list ? OFF(KMEM_CACHE_LIST) : 0;
}

static void holder_model(const struct ct_layout *l, struct ct_kmodel *m)
{
	m->expect_master = HAS(EXPECT_MASTER) ? OFF(EXPECT_MASTER) : 0;
	m->tstamp.usable = HAS(CT_EXT_OFFSET) && HAS(CT_EXT_TSTAMP) && HAS(TSTAMP_START) &&
			   HAS(TK_XTIME_SEC) && HAS(NF_CONN_EXT) &&
			   ct_layout_val(l, CTL_CT_EXT_TSTAMP) >= 0 &&
			   (uint64_t)ct_layout_val(l, CTL_CT_EXT_TSTAMP) < l->e[CTL_CT_EXT_OFFSET].size;
	if (m->tstamp.usable) {
		m->tstamp.ext_offset = OFF(CT_EXT_OFFSET);
		m->tstamp.id = OFF(CT_EXT_TSTAMP);
		m->tstamp.start = OFF(TSTAMP_START);
		m->tstamp.xtime_sec = OFF(TK_XTIME_SEC);
		m->tstamp.has_tk_data = HAS(TK_DATA_TIMEKEEPER);
		m->tstamp.tk_data_timekeeper = m->tstamp.has_tk_data ? OFF(TK_DATA_TIMEKEEPER) : 0;
	}
	m->net_ns_ops = HAS(NET_NS_OPS) ? OFF(NET_NS_OPS) : 0;
	if (m->skb_link != CT_SKB_NONE && HAS(SK_BUFF) && HAS(SKB_DEV) && HAS(SKB_LEN) &&
	    HAS(NETDEV_NAME)) {
		m->skbinfo.usable = true;
		m->skbinfo.size = OFF(SK_BUFF);
		m->skbinfo.dev = OFF(SKB_DEV);
		m->skbinfo.len = OFF(SKB_LEN);
		m->skbinfo.devname = OFF(NETDEV_NAME);
		m->skbinfo.has_sk = HAS(SKB_SK);
		m->skbinfo.sk = m->skbinfo.has_sk ? OFF(SKB_SK) : 0;
	}
	enum ct_layout_id hook = HAS(NFQ_ENTRY_HOOK) ? CTL_NFQ_ENTRY_HOOK : CTL_NFQ_ENTRY_HOOK_OLD;
	if (m->skbinfo.usable && HAS(NFQ_NET_TABLE) && HAS(NFQ_INST_HLIST) && HAS(NFQ_INST_LIST) &&
	    HAS(NFQ_INST_NUM) && HAS(NFQ_INST_PORTID) && HAS(NFQ_INST_TOTAL) &&
	    HAS(NFQ_ENTRY_LIST) && HAS(NFQ_ENTRY_SKB) && HAS(NFQ_ENTRY_ID) &&
	    ct_layout_has(l, hook) && m->netgen != CT_NETGEN_NONE) {
		m->nfq.usable = true;
		m->nfq.table = OFF(NFQ_NET_TABLE);
		m->nfq.inst_hlist = OFF(NFQ_INST_HLIST);
		m->nfq.inst_list = OFF(NFQ_INST_LIST);
		m->nfq.num = OFF(NFQ_INST_NUM);
		m->nfq.portid = OFF(NFQ_INST_PORTID);
		m->nfq.total = OFF(NFQ_INST_TOTAL);
		m->nfq.e_list = OFF(NFQ_ENTRY_LIST);
		m->nfq.e_skb = OFF(NFQ_ENTRY_SKB);
		m->nfq.e_id = OFF(NFQ_ENTRY_ID);
		m->nfq.e_hook = (uint32_t)ct_layout_val(l, hook);
	}
}

/* nf_conn, its tuples and the nulls list nodes they hang on. */
static ct_status conn_model(const struct ct_layout *l, struct ct_kmodel *m,
			    struct ct_error *err)
{
	m->nf_conn_size = OFF(NF_CONN);
	m->tuple_hash_size = OFF(TUPLE_HASH);
	m->nf_conn.use = OFF(NF_CONN_USE);
	m->nf_conn.timeout = OFF(NF_CONN_TIMEOUT);
	m->nf_conn.tuplehash[0] = OFF(NF_CONN_TUPLEHASH0);
	m->nf_conn.tuplehash[1] = OFF(NF_CONN_TUPLEHASH1);
	m->nf_conn.status = OFF(NF_CONN_STATUS);
	m->nf_conn.master = HAS(NF_CONN_MASTER) ? OFF(NF_CONN_MASTER) : 0;
	m->nf_conn.mark = HAS(NF_CONN_MARK) ? OFF(NF_CONN_MARK) : 0;
	m->nf_conn.ext = HAS(NF_CONN_EXT) ? OFF(NF_CONN_EXT) : 0;
	m->nf_conn.tcp_state = HAS(NF_CONN_TCP_STATE) &&
			       OFF(NF_CONN_TCP_STATE) < m->nf_conn_size ? OFF(NF_CONN_TCP_STATE) : 0;
	if (m->nf_conn.tuplehash[1] - m->nf_conn.tuplehash[0] != m->tuple_hash_size)
		return ct_fail(err, CT_ERR_CORRUPT,
			       "nf_conn.tuplehash[] stride %u differs from "
			       "sizeof(nf_conntrack_tuple_hash) %u: inconsistent debug files",
			       m->nf_conn.tuplehash[1] - m->nf_conn.tuplehash[0],
			       m->tuple_hash_size);
	m->hnnode = OFF(TUPLE_HASH_NODE);
	m->tuple = OFF(TUPLE_HASH_TUPLE);
	m->t = (struct ct_tuple_offsets){
		OFF(TUPLE_SRC_U3), OFF(TUPLE_SRC_PORT), OFF(TUPLE_SRC_L3NUM),
		OFF(TUPLE_DST_U3), OFF(TUPLE_DST_PORT), OFF(TUPLE_DST_PROTONUM),
		OFF(TUPLE_DST_DIR),
	};
	m->nulls_next = OFF(NULLS_NODE_NEXT);
	m->nulls_pprev = OFF(NULLS_NODE_PPREV);
	return CT_OK;
}

/* The nf_conn fields whose type or presence changed over the versions. */
static void conn_variants(const struct ct_layout *l, struct ct_kmodel *m)
{
	/* The reference count: refcount_t from 5.17; both are one int. */
	m->refcount = strcmp(l->e[CTL_NF_CONN_USE].type_name, "refcount_t") == 0
			      ? CT_REF_REFCOUNT : CT_REF_ATOMIC;
	/* A timer_list timeout has .expires; the 4.10+ one is a plain u32. */
	if (HAS(NF_CONN_TIMEOUT_EXPIRES)) {
		m->timeout = CT_TIMEOUT_TIMER;
		m->nf_conn.timeout_expires = OFF(NF_CONN_TIMEOUT_EXPIRES);
	} else {
		m->timeout = CT_TIMEOUT_U32;
	}
	m->has_zone = HAS(NF_CONN_ZONE_ID);
	m->nf_conn.zone_id = m->has_zone ? OFF(NF_CONN_ZONE_ID) : 0;
	m->has_ct_net = HAS(NF_CONN_CT_NET);
	m->nf_conn.ct_net = m->has_ct_net ? OFF(NF_CONN_CT_NET) : 0;
	m->has_cpu_field = HAS(NF_CONN_CPU);
	m->nf_conn.cpu = m->has_cpu_field ? OFF(NF_CONN_CPU) : 0;
}

/* struct net, its inode number and how net_generic indexes its pointers. */
static void net_model(const struct ct_layout *l, struct ct_kmodel *m)
{
	m->net.list = OFF(NET_LIST);
	m->net.ct = OFF(NET_CT);
	m->net.gen = HAS(NET_GEN) ? OFF(NET_GEN) : 0;
	m->has_ns_inum = HAS(NET_NS_INUM);
	if (m->has_ns_inum)
		m->net.inum = OFF(NET_NS_INUM);
	else if (HAS(NET_PROC_INUM))
		m->net.inum = OFF(NET_PROC_INUM);

	if (HAS(NET_GENERIC_S)) {
		m->netgen = CT_NETGEN_PTR_ID;
		m->net_generic.len = OFF(NET_GENERIC_S_LEN);
	} else if (HAS(NET_GENERIC_LEN)) {
		m->netgen = CT_NETGEN_PTR_ID_MINUS_1;
		m->net_generic.len = OFF(NET_GENERIC_LEN);
	}
	if (m->netgen != CT_NETGEN_NONE && HAS(NET_GENERIC_PTR))
		m->net_generic.ptr = OFF(NET_GENERIC_PTR);
	else
		m->netgen = CT_NETGEN_NONE;
}

/* Where the per-netns count lives. */
static ct_status count_model(const struct ct_layout *l, struct ct_kmodel *m,
			     struct ct_error *err)
{
	if (HAS(NETNS_CT_COUNT)) {
		m->count_where = CT_COUNT_NETNS_CT;
		m->netns_ct.count = OFF(NETNS_CT_COUNT);
	} else if (HAS(CTNET_COUNT)) {
		if (m->netgen == CT_NETGEN_NONE || !HAS(NET_GEN))
			return ct_fail(err, CT_ERR_UNSUPPORTED,
				       "the count is in nf_conntrack_net but "
				       "struct net_generic is not described");
		m->count_where = CT_COUNT_NET_GENERIC;
		m->ctnet.count = OFF(CTNET_COUNT);
	} else {
		return ct_fail(err, CT_ERR_UNSUPPORTED,
			       "neither netns_ct.count nor nf_conntrack_net.count "
			       "exists: unknown conntrack counter layout");
	}
	m->has_ecache_dying = HAS(CTNET_ECACHE_DYING);
	m->ctnet.ecache_dying = m->has_ecache_dying ? OFF(CTNET_ECACHE_DYING) : 0;
	return CT_OK;
}

/* The hash table and the slab cache entries come from. */
static ct_status hash_model(const struct ct_layout *l, struct ct_kmodel *m,
			    struct ct_error *err)
{
	/* Per-netns hash before 4.7 (and on RHEL 7); one global table after. */
	if (HAS(NETNS_CT_HASH)) {
		m->hash_scope = CT_HASH_PER_NETNS;
		m->netns_ct.hash = OFF(NETNS_CT_HASH);
		if (!HAS(NETNS_CT_HTABLE_SIZE))
			return ct_fail(err, CT_ERR_UNSUPPORTED,
				       "netns_ct.hash without netns_ct.htable_size");
		m->netns_ct.htable_size = OFF(NETNS_CT_HTABLE_SIZE);
	} else {
		m->hash_scope = CT_HASH_GLOBAL;
	}
	m->per_netns_slab = HAS(NETNS_CT_CACHEP);
	m->netns_ct.cachep = m->per_netns_slab ? OFF(NETNS_CT_CACHEP) : 0;
	return CT_OK;
}

/* The unconfirmed, dying and template lists, if the kernel has them. */
static ct_status lists_model(const struct ct_layout *l, struct ct_kmodel *m,
			     struct ct_error *err)
{
	/* RHEL 7 keeps the old per-netns heads for kABI but uses the per-CPU
	 * lists it backported, so per-CPU wins when both exist. */
	if (HAS(NETNS_CT_PCPU_LISTS)) {
		if (!HAS(CT_PCPU) || !HAS(CT_PCPU_UNCONFIRMED) || !HAS(CT_PCPU_DYING))
			return ct_fail(err, CT_ERR_UNSUPPORTED,
				       "netns_ct.pcpu_lists without a usable struct ct_pcpu");
		m->lists = CT_LISTS_PER_CPU;
		m->netns_ct.pcpu_lists = OFF(NETNS_CT_PCPU_LISTS);
		m->ct_pcpu.size = OFF(CT_PCPU);
		m->ct_pcpu.unconfirmed = OFF(CT_PCPU_UNCONFIRMED);
		m->ct_pcpu.dying = OFF(CT_PCPU_DYING);
		m->has_template_list = HAS(CT_PCPU_TMPL);
		m->ct_pcpu.tmpl = m->has_template_list ? OFF(CT_PCPU_TMPL) : 0;
	} else if (HAS(NETNS_CT_UNCONFIRMED) && HAS(NETNS_CT_DYING)) {
		m->lists = CT_LISTS_PER_NETNS;
		m->netns_ct.unconfirmed = OFF(NETNS_CT_UNCONFIRMED);
		m->netns_ct.dying = OFF(NETNS_CT_DYING);
		m->has_template_list = HAS(NETNS_CT_TMPL);
		m->netns_ct.tmpl = m->has_template_list ? OFF(NETNS_CT_TMPL) : 0;
	} else {
		m->lists = CT_LISTS_NONE;
	}
	return CT_OK;
}

/* How an skb points at its conntrack entry. */
static void skb_model(const struct ct_layout *l, struct ct_kmodel *m)
{
	if (HAS(SKB_NFCT_WORD)) {
		m->skb_link = CT_SKB_NFCT_WORD;
		m->skb.nfct = OFF(SKB_NFCT_WORD);
	} else if (HAS(SKB_NFCT_PTR) && HAS(SKB_NFCTINFO)) {
		const struct ct_layout_entry *e = &l->e[CTL_SKB_NFCTINFO];
		m->skb_link = CT_SKB_NFCT_PTR;
		m->skb.nfct = OFF(SKB_NFCT_PTR);
		m->skb.nfctinfo_byte = (uint32_t)e->value;
		m->skb.nfctinfo_bit = e->bit_offset;
		m->skb.nfctinfo_bits = e->bit_size;
	}
}

/* The status bits and the reply direction, from DWARF or the uapi. */
static void bits_model(const struct ct_layout *l, struct ct_kmodel *m)
{
	if (HAS(IPS_CONFIRMED_BIT) && HAS(IPS_DYING_BIT)) {
		m->bits = (struct ct_status_bits){
			bit_or_none(l, CTL_IPS_EXPECTED_BIT),
			bit_or_none(l, CTL_IPS_SEEN_REPLY_BIT),
			bit_or_none(l, CTL_IPS_ASSURED_BIT),
			bit_or_none(l, CTL_IPS_CONFIRMED_BIT),
			bit_or_none(l, CTL_IPS_DYING_BIT),
			bit_or_none(l, CTL_IPS_TEMPLATE_BIT),
			bit_or_none(l, CTL_IPS_UNTRACKED_BIT),
			bit_or_none(l, CTL_IPS_OFFLOAD_BIT),
		};
	} else {
		m->bits = uapi_bits;
		m->bits_from_uapi = true;
	}
	m->ip_ct_dir_reply = HAS(IP_CT_DIR_REPLY) ? (int)OFF(IP_CT_DIR_REPLY) : 1;
}

/* Network devices and their IPv4/IPv6 addresses. */
static void netdev_model(const struct ct_layout *l, struct ct_kmodel *m)
{
	if (!HAS(NET_DEV_BASE_HEAD) || !HAS(NETDEV_DEV_LIST))
		return;
	m->netdev.dev_base_head = OFF(NET_DEV_BASE_HEAD);
	m->netdev.dev_list = OFF(NETDEV_DEV_LIST);
	m->netdev.v4 = HAS(NETDEV_IP_PTR) && HAS(IN_DEVICE_IFA_LIST) &&
		       HAS(IN_IFADDR_NEXT) && HAS(IN_IFADDR_LOCAL);
	if (m->netdev.v4) {
		m->netdev.ip_ptr = OFF(NETDEV_IP_PTR);
		m->netdev.ifa_list = OFF(IN_DEVICE_IFA_LIST);
		m->netdev.ifa_next = OFF(IN_IFADDR_NEXT);
		m->netdev.ifa_local = OFF(IN_IFADDR_LOCAL);
	}
	m->netdev.v6 = HAS(NETDEV_IP6_PTR) && HAS(INET6_DEV_ADDR_LIST) &&
		       HAS(INET6_IFADDR_IF_LIST) && HAS(INET6_IFADDR_ADDR);
	if (m->netdev.v6) {
		m->netdev.ip6_ptr = OFF(NETDEV_IP6_PTR);
		m->netdev.addr_list6 = OFF(INET6_DEV_ADDR_LIST);
		m->netdev.if_list6 = OFF(INET6_IFADDR_IF_LIST);
		m->netdev.addr6 = OFF(INET6_IFADDR_ADDR);
	}
}

ct_status ct_kmodel_build(const struct ct_layout *l, struct ct_kmodel *m,
			  struct ct_error *err)
{
	static const enum ct_layout_id needed[] = {
		CTL_NF_CONN, CTL_NF_CONN_USE, CTL_NF_CONN_TIMEOUT,
		CTL_NF_CONN_TUPLEHASH0, CTL_NF_CONN_TUPLEHASH1, CTL_NF_CONN_STATUS,
		CTL_TUPLE_HASH, CTL_TUPLE_HASH_NODE, CTL_TUPLE_HASH_TUPLE,
		CTL_TUPLE_SRC_U3, CTL_TUPLE_SRC_PORT, CTL_TUPLE_SRC_L3NUM,
		CTL_TUPLE_DST_U3, CTL_TUPLE_DST_PORT, CTL_TUPLE_DST_PROTONUM,
		CTL_TUPLE_DST_DIR, CTL_NULLS_NODE_NEXT, CTL_NULLS_NODE_PPREV, CTL_NET_LIST,
		CTL_NET_CT,
	};
	ct_status st;
	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
		if ((st = require(l, needed[i], err)))
			return st;
	if ((st = conn_model(l, m, err)))
		return st;
	conn_variants(l, m);
	net_model(l, m);
	/* The count may live behind net_generic: after net_model. */
	if ((st = count_model(l, m, err)) || (st = hash_model(l, m, err)) ||
	    (st = lists_model(l, m, err)))
		return st;
	skb_model(l, m);
	bits_model(l, m);
	holder_model(l, m); /* needs skb_link and netgen */
	slub_model(l, m);
	netdev_model(l, m);
	return CT_OK;
}

const char *ct_count_where_name(enum ct_count_where v)
{
	return v == CT_COUNT_NETNS_CT ? "net.ct.count" : "nf_conntrack_net.count";
}

const char *ct_hash_scope_name(enum ct_hash_scope v)
{
	return v == CT_HASH_PER_NETNS ? "per-netns" : "global";
}

const char *ct_lists_kind_name(enum ct_lists_kind v)
{
	switch (v) {
	case CT_LISTS_NONE: return "none";
	case CT_LISTS_PER_NETNS: return "per-netns";
	case CT_LISTS_PER_CPU: return "per-cpu";
	}
	return "?";
}

const char *ct_refcount_kind_name(enum ct_refcount_kind v)
{
	return v == CT_REF_REFCOUNT ? "refcount_t" : "atomic_t";
}

const char *ct_timeout_kind_name(enum ct_timeout_kind v)
{
	return v == CT_TIMEOUT_TIMER ? "timer_list" : "u32";
}

const char *ct_skb_link_name(enum ct_skb_link v)
{
	switch (v) {
	case CT_SKB_NONE: return "unknown";
	case CT_SKB_NFCT_PTR: return "skb->nfct";
	case CT_SKB_NFCT_WORD: return "skb->_nfct";
	}
	return "?";
}

const char *ct_netgen_kind_name(enum ct_netgen_kind v)
{
	switch (v) {
	case CT_NETGEN_NONE: return "unknown";
	case CT_NETGEN_PTR_ID_MINUS_1: return "ptr[id-1]";
	case CT_NETGEN_PTR_ID: return "ptr[id]";
	}
	return "?";
}
