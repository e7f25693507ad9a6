/* kmodel.h — this kernel's conntrack layout, decided from the layout table.
 *
 * Every choice here is a feature check on DWARF answers ("does netns_ct have
 * pcpu_lists?"), never a version check: distribution kernels backport
 * (RHEL 7's 3.10 has per-CPU lists from 3.15, for one). Walkers read offsets
 * from here and nothing else.
 */
#ifndef CTLEAK_KMODEL_H
#define CTLEAK_KMODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/ct_error.h"
#include "kernel/layout.h"

enum ct_count_where {
	CT_COUNT_NETNS_CT,        /* net->ct.count (up to 5.12) */
	CT_COUNT_NET_GENERIC,     /* nf_conntrack_net.count via net_generic (5.13+, c53bd0e96662) */
};

enum ct_hash_scope {
	CT_HASH_PER_NETNS,        /* net->ct.hash, net->ct.htable_size (before 4.7) */
	CT_HASH_GLOBAL,           /* nf_conntrack_hash, nf_conntrack_htable_size (4.7+) */
};

enum ct_lists_kind {
	CT_LISTS_NONE,            /* 5.19+: no unconfirmed/dying lists (8a75a2c17410, 1397af5bfd7d) */
	CT_LISTS_PER_NETNS,       /* 3.10: net->ct.unconfirmed / net->ct.dying */
	CT_LISTS_PER_CPU,         /* 3.15–5.18, RHEL 7: net->ct.pcpu_lists (b7779d06f940) */
};

enum ct_refcount_kind {
	CT_REF_ATOMIC,            /* atomic_t use */
	CT_REF_REFCOUNT,          /* refcount_t use (5.17, 719774377622) */
};

enum ct_timeout_kind {
	CT_TIMEOUT_TIMER,         /* struct timer_list timeout, jiffies in .expires (before 4.10) */
	CT_TIMEOUT_U32,           /* u32 timeout in nfct_time_stamp units (4.10+, f330a7fdbe16) */
};

enum ct_skb_link {
	CT_SKB_NONE,              /* sk_buff not described by the debug files */
	CT_SKB_NFCT_PTR,          /* skb->nfct pointer + skb->nfctinfo:3 (before 4.11) */
	CT_SKB_NFCT_WORD,         /* skb->_nfct: pointer | ctinfo in the low 3 bits (4.11+) */
};

enum ct_netgen_kind {
	CT_NETGEN_NONE,
	CT_NETGEN_PTR_ID_MINUS_1, /* {len; rcu; ptr[]}, net_generic() is ptr[id - 1] */
	CT_NETGEN_PTR_ID,         /* union {s{len; rcu}; ptr[]}, ptr[id] (ids start past the header) */
};

struct ct_tuple_offsets {
	uint32_t src_u3, src_port, src_l3num;
	uint32_t dst_u3, dst_port, dst_protonum, dst_dir;
};

struct ct_status_bits {
	int expected, seen_reply, assured, confirmed, dying, template_, untracked,
		offload; /* -1: the kernel has no such bit */
};

struct ct_kmodel {
	enum ct_count_where count_where;
	enum ct_hash_scope hash_scope;
	enum ct_lists_kind lists;
	enum ct_refcount_kind refcount;
	enum ct_timeout_kind timeout;
	enum ct_skb_link skb_link;
	enum ct_netgen_kind netgen;
	bool has_template_list;   /* ct_pcpu.tmpl or netns_ct.tmpl */
	bool has_ecache_dying;    /* nf_conntrack_net.ecache.dying_list (5.19+) */
	bool has_cpu_field;       /* nf_conn.cpu names the per-CPU list (3.15–5.18) */
	bool has_zone;            /* nf_conn.zone inside the object (4.6+) */
	bool has_ct_net;          /* CONFIG_NET_NS: nf_conn.ct_net */
	bool per_netns_slab;      /* netns_ct.nf_conntrack_cachep (before 4.7) */
	bool has_ns_inum;         /* net.ns.inum (3.19+), else net.proc_inum */

	uint32_t nf_conn_size;
	uint32_t tuple_hash_size;
	struct {
		uint32_t use, timeout, timeout_expires, zone_id, tuplehash[2],
			status, ct_net, cpu, master, mark, ext;
		uint32_t tcp_state; /* proto.tcp.state (enum tcp_conntrack); 0: unknown */
	} nf_conn;
	uint32_t hnnode;          /* nf_conntrack_tuple_hash.hnnode */
	uint32_t tuple;           /* nf_conntrack_tuple_hash.tuple */
	struct ct_tuple_offsets t;
	uint32_t nulls_next;      /* hlist_nulls_node.next */
	uint32_t nulls_pprev;     /* hlist_nulls_node.pprev */
	struct {
		uint32_t list, inum, gen, ct;
	} net;
	struct {
		uint32_t count, pcpu_lists, unconfirmed, dying, tmpl, hash,
			htable_size, cachep;
	} netns_ct;
	struct {
		uint32_t size, unconfirmed, dying, tmpl;
	} ct_pcpu;
	struct {
		uint32_t count, ecache_dying;
	} ctnet;
	struct {
		uint32_t len, ptr;
	} net_generic;
	struct {
		uint32_t nfct;
		uint32_t nfctinfo_byte, nfctinfo_bit, nfctinfo_bits;
	} skb;
	/* A netns's own addresses, for inferring the hook of an entry:
	 * net->dev_base_head -> net_device -> in_device / inet6_dev. */
	struct {
		bool v4, v6;
		uint32_t dev_base_head, dev_list, ip_ptr, ip6_ptr;
		uint32_t ifa_list, ifa_next, ifa_local;
		uint32_t addr_list6, if_list6, addr6;
	} netdev;
	/* SLUB: the nf_conntrack cache and the slab descriptors in the memmap
	 * (struct page; from 5.17 struct slab overlaying it, 1ab3a7cfb2ee).
	 * Free objects sit on slab freelists and, per CPU, on the CPU slab's
	 * lockless freelist (kmem_cache_cpu, gone in 7.0) and/or in sheaves
	 * (6.18+: per-CPU main/spare/rcu_free, and the full sheaves of each
	 * node's barn). */
	struct ct_slub_model {
		bool usable;            /* everything needed below is known */
		const char *why;        /* if not usable: one phrase saying why */
		bool struct_slab;       /* descriptors are struct slab (5.17+) */
		bool has_random;        /* CONFIG_SLAB_FREELIST_HARDENED */
		bool has_cpu_slab;      /* kmem_cache.cpu_slab (before 7.0) */
		uint32_t cpu_slab, size, object_size, offset, oo, red_left_pad, random;
		uint32_t cpu_freelist, cpu_desc;
		uint32_t desc_size, flags, compound_head, slab_cache, freelist;
		uint32_t objects_byte, objects_bit, objects_bits;
		int pg_slab, pg_head;
		bool has_compound_head; /* 4.4+ (7.x: compound_info); before, PG_tail */
		bool by_page_type;      /* 6.12: page_type >> 24 == PGTY_slab, no PG_slab */
		uint32_t page_type;
		int pgty_slab;
		int pg_tail;
		bool has_cache_list;    /* slab_caches walkable by name */
		uint32_t cache_name, cache_list;
		struct {
			bool usable;        /* kmem_cache.cpu_sheaves and the sheaf layout */
			uint32_t cpu_sheaves, pcs[3], size, objects;
			bool has_capacity;  /* kmem_cache.sheaf_capacity bounds a sheaf */
			uint32_t capacity;
			/* barns: kmem_cache.per_node[n].barn (7.1+) or
			 * kmem_cache.node[n]->barn (6.18-7.0); 0 size: none */
			bool barn_per_node, barn_in_node;
			uint32_t nodes, node_stride, barn, sheaves_full, barn_list;
			uint32_t max_nodes;
		} sheaves;
	} slub;
	/* skbs, to name the holders of an entry (skb->_nfct / skb->nfct). */
	struct {
		bool usable;
		uint32_t size, dev, len, devname, sk;
		bool has_sk;
	} skbinfo;
	uint32_t expect_master;   /* nf_conntrack_expect.master, 0 if unknown */
	/* The timestamp extension (nf_conntrack_timestamp=1) gives an entry's
	 * age against the wall clock the dump's timekeeper holds. */
	struct {
		bool usable;
		uint32_t ext_offset, id, start, xtime_sec;
		bool has_tk_data;             /* 6.13+: timekeeper_data[] */
		uint32_t tk_data_timekeeper;
	} tstamp;
	uint32_t net_ns_ops;      /* net.ns.ops, 0 if unknown */
	/* nfnetlink_queue: per-netns instances and their queued packets. */
	struct {
		bool usable;
		uint32_t table, inst_hlist, inst_list, num, portid, total;
		uint32_t e_list, e_skb, e_id, e_hook;
	} nfq;
	struct ct_status_bits bits;
	int ip_ct_dir_reply;
	bool bits_from_uapi;      /* status bits not in DWARF: uapi values used */
};

ct_status ct_kmodel_build(const struct ct_layout *l, struct ct_kmodel *m,
			  struct ct_error *err);

const char *ct_count_where_name(enum ct_count_where v);
const char *ct_hash_scope_name(enum ct_hash_scope v);
const char *ct_lists_kind_name(enum ct_lists_kind v);
const char *ct_refcount_kind_name(enum ct_refcount_kind v);
const char *ct_timeout_kind_name(enum ct_timeout_kind v);
const char *ct_skb_link_name(enum ct_skb_link v);
const char *ct_netgen_kind_name(enum ct_netgen_kind v);

#endif
