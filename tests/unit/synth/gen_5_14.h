/* gen_5_14.h — upstream 5.14, the generation RHEL 9 was branched from: the
 * per-netns count already in nf_conntrack_net, reached through net_generic
 * (5.13, c53bd0e96662), while the per-CPU unconfirmed/dying lists are still
 * there (removed in 5.19: 8a75a2c17410, 1397af5bfd7d). atomic_t use (refcount_t
 * is 5.17, 719774377622), u16 nf_conn.cpu, slabs described by struct page
 * (struct slab is 5.17), hardened freelists with the byte-swapped slot (5.7).
 *
 * Sources: Ubuntu's 5.13 and 5.15 BTF as DepSurf lists it (netns_ct, ct_pcpu,
 * nf_conn, net, ns_common, kmem_cache, kmem_cache_cpu, page, net_generic,
 * nf_conntrack; 5.14 lies between them and equals both where they agree);
 * nf_conntrack_net from the netfilter patches that built it (c53bd0e96662 put
 * count first, before expect_count and the helper sysctl; the ecache dwork
 * moved in beside it in 5.13; nf_conntrack_net_ecache and its dying_list came
 * only in 5.19). Where the two Ubuntu kernels differ, 5.14 is taken as 5.13
 * (netns_ct.nf_expect_event_cb, dropped by the 5.15 ecache rework) or as the
 * 5.14 patch says (struct page's page_pool words: pp_magic, pp, then
 * dma_addr[2]); kmem_cache_cpu's local_lock is 5.15's, so not here.
 *
 * This is upstream 5.14, not RHEL 9 as shipped: RHEL 9's own BTF (a 5.14.0
 * ppc64le kernel of late 2022, bcc's libbpf-tools/powerpc/vmlinux_514.h)
 * already has the 6.1 shapes — no netns_ct.pcpu_lists, no nf_conn.cpu,
 * refcount_t use, struct slab (kmem_cache.max still there) — so for
 * ctleak's model RHEL 9 from then on is gen_6_1's case. This generation is
 * the combination itself, as upstream 5.13–5.16 have it (and Ubuntu 22.04's
 * 5.15 in DepSurf's BTF: pcpu_lists, nf_conn.cpu, atomic_t, no count in
 * netns_ct). */
#include "kernel_base.h"

#define SYNTH_GEN 514
#define SYNTH_NAME "5.14"
#define SYNTH_HAS_BTF_MODULES 1  /* struct btf_module, btf_modules (5.11+) */
#define SYNTH_HAS_CT_PCPU 1
#define SYNTH_HAS_CTNET 1
#define SYNTH_COUNT_IN_CTNET 1     /* nf_conntrack_net.count via net_generic */

typedef struct refcount_struct { atomic_t refs; } refcount_t;  /* struct net's, not nf_conn's */
struct nf_conntrack { atomic_t use; };

enum ip_conntrack_status {
	IPS_EXPECTED_BIT = 0, IPS_SEEN_REPLY_BIT = 1, IPS_ASSURED_BIT = 2,
	IPS_CONFIRMED_BIT = 3, IPS_SRC_NAT_BIT = 4, IPS_DST_NAT_BIT = 5,
	IPS_SEQ_ADJUST_BIT = 6, IPS_SRC_NAT_DONE_BIT = 7, IPS_DST_NAT_DONE_BIT = 8,
	IPS_DYING_BIT = 9, IPS_FIXED_TIMEOUT_BIT = 10, IPS_TEMPLATE_BIT = 11,
	IPS_UNTRACKED_BIT = 12, IPS_NAT_CLASH_BIT = IPS_UNTRACKED_BIT,
	IPS_HELPER_BIT = 13, IPS_OFFLOAD_BIT = 14, IPS_HW_OFFLOAD_BIT = 15,
	__IPS_MAX_BIT = 16,
};

struct ct_pcpu {
	spinlock_t lock;
	struct hlist_nulls_head unconfirmed;
	struct hlist_nulls_head dying;
};

struct delayed_work { char pad[88]; };
struct netns_ct;

/* include/net/netfilter/nf_conntrack.h, in nf_conntrack.ko only. */
struct nf_conntrack_net {
	/* only used when new connection is allocated: */
	atomic_t count;
	unsigned int expect_count;
	u8 sysctl_auto_assign_helper;
	_Bool auto_assign_helper_warned;
	/* only used from work queues, configuration plane, and so on: */
	unsigned int users4;
	unsigned int users6;
	unsigned int users_bridge;
	struct ctl_table_header *sysctl_header;  /* CONFIG_SYSCTL */
	struct delayed_work ecache_dwork;        /* CONFIG_NF_CONNTRACK_EVENTS */
	struct netns_ct *ct_net;
};

/* The count, expect_count, the ecache work and the sysctl header have
 * left netns_ct (5.13); pcpu_lists has not. */
struct netns_ct {
	_Bool ecache_dwork_pending;
	u8 sysctl_log_invalid;
	u8 sysctl_events;
	u8 sysctl_acct;
	u8 sysctl_auto_assign_helper;
	u8 sysctl_tstamp;
	u8 sysctl_checksum;
	struct ct_pcpu *pcpu_lists;      /* __percpu */
	void *stat;
	void *nf_conntrack_event_cb;
	void *nf_expect_event_cb;
	char nf_ct_proto[456];           /* struct nf_ip_net */
	unsigned int labels_used;
};

struct net_generic {
	union {
		struct {
			unsigned int len;
			struct rcu_head rcu;
		} s;
		void *ptr[0];
	};
};

struct ns_common { atomic64_t stashed; const void *ops; unsigned int inum; refcount_t count; };

/* From 5.13 (as in 6.1) net->ct lies before net->gen, unlike 5.10. */
struct net {
	refcount_t passive;
	spinlock_t rules_mod_lock;
	unsigned int dev_unreg_count;
	unsigned int dev_base_seq;
	int ifindex;
	spinlock_t nsid_lock;
	atomic_t fnhe_genid;
	struct list_head list;
	struct list_head exit_list;
	void *cleanup_list_llist;
	void *key_domain;
	struct user_namespace *user_ns;
	void *ucounts;
	char netns_ids[24];              /* struct idr */
	struct ns_common ns;
	struct list_head dev_base_head;
	void *proc_net;
	void *proc_net_stat;
	char pad_netns[2560];            /* sysctls … netns_xt */
	struct netns_ct ct;
	char pad_nft_wext[48];           /* netns_nftables, wext_nlevents */
	struct net_generic *gen;
	char pad_more[256];              /* netns_bpf, netns_xfrm, … */
};

struct nf_conn {
	struct nf_conntrack ct_general;
	spinlock_t lock;
	u32 timeout;
	struct nf_conntrack_zone zone;
	struct nf_conntrack_tuple_hash tuplehash[IP_CT_DIR_MAX];
	unsigned long status;
	u16 cpu;
	struct { struct net *net; } ct_net;
	struct hlist_node nat_bysource;
	u8 __nfct_init_offset[0];
	struct nf_conn *master;
	u32 mark;
	u32 secmark;
	struct nf_ct_ext *ext;
	union { char pad[64]; struct ip_ct_tcp tcp; } proto;
};

struct sk_buff {
	union {
		struct {
			struct sk_buff *next, *prev;
			union { struct net_device *dev; unsigned long dev_scratch; };
		};
		struct { int rbnode_pad[6]; };   /* struct rb_node */
		struct list_head list;
	};
	union { struct sock *sk; int ip_defrag_offset; };
	union { u64 tstamp; u64 skb_mstamp_ns; };
	char cb[48];
	union {
		struct { unsigned long _skb_refdst; void (*destructor)(struct sk_buff *skb); };
		struct list_head tcp_tsorted_anchor;
		unsigned long _sk_redir;         /* CONFIG_NET_SOCK_MSG (5.12) */
	};
	unsigned long _nfct;
	unsigned int len, data_len;
	u16 mac_len, hdr_len;
};

struct mod_kallsyms {
	Elf64_Sym *symtab;
	unsigned int num_symtab;
	char *strtab;
	char *typetab;
};

struct module_layout {
	void *base;
	unsigned int size, text_size, ro_size, ro_after_init_size;
	char mtn[56];                    /* struct mod_tree_node */
};

struct module {
	enum module_state state;
	struct list_head list;
	char name[MODULE_NAME_LEN];
	char mkobj[96];                  /* struct module_kobject */
	void *modinfo_attrs;
	const char *version;
	const char *srcversion;
	void *holders_dir;
	const void *syms;
	const int *crcs;
	unsigned int num_syms;
	char param_lock[32];             /* struct mutex */
	void *kp;
	unsigned int num_kp;
	unsigned int num_gpl_syms;
	const void *gpl_syms;
	const int *gpl_crcs;
	_Bool using_gplonly_symbols;
	_Bool sig_ok;
	_Bool async_probe_requested;
	unsigned int num_exentries;
	void *extable;
	int (*init)(void);
	struct module_layout core_layout __attribute__((aligned(64)));
	struct module_layout init_layout;
	char arch[24];                   /* struct mod_arch_specific */
	unsigned long taints;
	unsigned int num_bugs;
	struct list_head bug_list;
	void *bug_table;
	struct mod_kallsyms *kallsyms;   /* __rcu: core_kallsyms once init is done */
	struct mod_kallsyms core_kallsyms;
	void *sect_attrs;
	struct module_notes_attrs *notes_attrs;
	char *args;
	void *percpu;
	unsigned int percpu_size;
	char pad_tracepoints_ftrace[200];
	struct list_head source_list;
	struct list_head target_list;
	void (*exit)(void);
	atomic_t refcnt;
};

/* SLUB (slub_def.h) and the memmap (mm_types.h, page-flags.h) of 5.14:
 * slabs are still described by struct page itself. */
typedef unsigned int slab_flags_t;

struct reciprocal_value { u32 m; u8 sh1, sh2; };

struct kmem_cache_cpu {
	void **freelist;
	unsigned long tid;
	struct page *page;
	struct page *partial;            /* CONFIG_SLUB_CPU_PARTIAL */
};

struct kmem_cache_order_objects { unsigned int x; };

struct kmem_cache {
	struct kmem_cache_cpu *cpu_slab; /* __percpu */
	slab_flags_t flags;
	unsigned long min_partial;
	unsigned int size;
	unsigned int object_size;
	struct reciprocal_value reciprocal_size;
	unsigned int offset;
	unsigned int cpu_partial;
	struct kmem_cache_order_objects oo;
	struct kmem_cache_order_objects max;
	struct kmem_cache_order_objects min;
	gfp_t allocflags;
	int refcount;
	void (*ctor)(void *);
	unsigned int inuse;
	unsigned int align;
	unsigned int red_left_pad;
	const char *name;
	struct list_head list;
	struct kobject kobj;
	unsigned long random;            /* CONFIG_SLAB_FREELIST_HARDENED */
	unsigned int remote_node_defrag_ratio;
	unsigned int *random_seq;
	unsigned int useroffset;
	unsigned int usersize;
	struct kmem_cache_node *node[MAX_NUMNODES];
};

struct page_pool;

struct page {
	unsigned long flags;
	union {
		struct {                 /* page cache and anonymous pages */
			struct list_head lru;
			struct address_space *mapping;
			pgoff_t index;
			unsigned long private;
		};
		struct {                 /* page_pool used by netstack (5.14) */
			unsigned long pp_magic;
			struct page_pool *pp;
			unsigned long _pp_mapping_pad;
			unsigned long dma_addr[2];
		};
		struct {                 /* slab, slob and slub */
			union {
				struct list_head slab_list;
				struct {         /* partial pages */
					struct page *next;
					int pages;
					int pobjects;
				};
			};
			struct kmem_cache *slab_cache;
			void *freelist;
			union {
				void *s_mem;
				unsigned long counters;
				struct {
					unsigned inuse:16;
					unsigned objects:15;
					unsigned frozen:1;
				};
			};
		};
		struct {                 /* tail pages of compound page */
			unsigned long compound_head;
			unsigned char compound_dtor;
			unsigned char compound_order;
			atomic_t compound_mapcount;
			unsigned int compound_nr;
		};
		struct {                 /* second tail page of compound page */
			unsigned long _compound_pad_1;
			atomic_t hpage_pinned_refcount;
			struct list_head deferred_list;
		};
		struct {                 /* page table pages */
			unsigned long _pt_pad_1;
			void *pmd_huge_pte;
			unsigned long _pt_pad_2;
			union {
				struct mm_struct *pt_mm;
				atomic_t pt_frag_refcount;
			};
			spinlock_t ptl;
		};
		struct {                 /* ZONE_DEVICE pages */
			struct dev_pagemap *pgmap;
			void *zone_device_data;
		};
		struct rcu_head rcu_head;
	};
	union {
		atomic_t _mapcount;
		unsigned int page_type;
		unsigned int active;
		int units;
	};
	atomic_t _refcount;
	unsigned long memcg_data;
} _struct_page_alignment;

enum pageflags {
	PG_locked, PG_referenced, PG_uptodate, PG_dirty, PG_lru, PG_active,
	PG_workingset, PG_waiters, PG_error, PG_slab, PG_owner_priv_1,
	PG_arch_1, PG_reserved, PG_private, PG_private_2, PG_writeback,
	PG_head, PG_mappedtodisk, PG_reclaim, PG_swapbacked, PG_unevictable,
	PG_mlocked, PG_uncached, PG_hwpoison, PG_young, PG_idle, PG_arch_2,
	__NR_PAGEFLAGS,
	PG_readahead = PG_reclaim, PG_checked = PG_owner_priv_1,
	PG_swapcache = PG_owner_priv_1, PG_fscache = PG_private_2,
	PG_pinned = PG_owner_priv_1, PG_savepinned = PG_dirty,
	PG_foreign = PG_owner_priv_1, PG_xen_remapped = PG_owner_priv_1,
	PG_slob_free = PG_private, PG_double_map = PG_workingset,
	PG_isolated = PG_reclaim, PG_reported = PG_uptodate,
};
