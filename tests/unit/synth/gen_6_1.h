/* gen_6_1.h — Debian 12's 6.1: no unconfirmed/dying lists (5.19), the count
 * in nf_conntrack_net via net_generic (5.13), refcount_t use (5.17), the
 * event-redelivery dying list in nf_conntrack_net.ecache, no nf_conn.cpu. */
#include "kernel_base.h"

#define SYNTH_GEN 601
#define SYNTH_NAME "6.1"
#define SYNTH_HAS_BTF_MODULES 1  /* struct btf_module, btf_modules (5.11+) */
#define SYNTH_HAS_CTNET 1
#define SYNTH_COUNT_IN_CTNET 1     /* nf_conntrack_net.count via net_generic */
#define SYNTH_HAS_ECACHE_DYING 1   /* nf_conntrack_net.ecache.dying_list */
#define SYNTH_HAS_STRUCT_SLAB 1    /* struct slab (5.17+) */

typedef struct refcount_struct { atomic_t refs; } refcount_t;
struct nf_conntrack { refcount_t use; };

enum ip_conntrack_status {
	IPS_EXPECTED_BIT = 0, IPS_SEEN_REPLY_BIT = 1, IPS_ASSURED_BIT = 2,
	IPS_CONFIRMED_BIT = 3, IPS_SRC_NAT_BIT = 4, IPS_DST_NAT_BIT = 5,
	IPS_SEQ_ADJUST_BIT = 6, IPS_SRC_NAT_DONE_BIT = 7, IPS_DST_NAT_DONE_BIT = 8,
	IPS_DYING_BIT = 9, IPS_FIXED_TIMEOUT_BIT = 10, IPS_TEMPLATE_BIT = 11,
	IPS_UNTRACKED_BIT = 12, IPS_NAT_CLASH_BIT = IPS_UNTRACKED_BIT,
	IPS_HELPER_BIT = 13, IPS_OFFLOAD_BIT = 14, IPS_HW_OFFLOAD_BIT = 15,
	__IPS_MAX_BIT = 16,
};

struct delayed_work { char pad[88]; };

struct nf_conntrack_net_ecache {
	struct delayed_work dwork;
	spinlock_t dying_lock;
	struct hlist_nulls_head dying_list;
};

struct nf_conntrack_net {
	atomic_t count;
	unsigned int expect_count;
	unsigned int users4;
	unsigned int users6;
	unsigned int users_bridge;
	struct ctl_table_header *sysctl_header;
	struct nf_conntrack_net_ecache ecache;
};

struct netns_ct {
	u8 ctnetlink_has_listener;
	_Bool ecache_dwork_pending;
	u8 sysctl_log_invalid;
	u8 sysctl_events;
	u8 sysctl_acct;
	u8 sysctl_tstamp;
	u8 sysctl_checksum;
	void *stat;
	void *nf_conntrack_event_cb;
	char nf_ct_proto[176];
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

struct net {
	refcount_t passive;
	spinlock_t rules_mod_lock;
	unsigned int dev_unreg_count;
	unsigned int dev_base_seq;
	u32 ifindex;
	spinlock_t nsid_lock;
	atomic_t fnhe_genid;
	struct list_head list;
	struct list_head exit_list;
	void *cleanup_list_llist;
	void *key_domain;
	struct user_namespace *user_ns;
	void *ucounts;
	void *netns_ids[2];
	struct ns_common ns;
	char refcnt_tracker[32];         /* struct ref_tracker_dir */
	struct list_head dev_base_head;
	void *proc_net;
	void *proc_net_stat;
	char pad_netns[2640];
	struct netns_ct ct;
	char pad_more[120];
	struct net_generic *gen;
};

struct nf_conn {
	struct nf_conntrack ct_general;
	spinlock_t lock;
	u32 timeout;
	struct nf_conntrack_zone zone;
	struct nf_conntrack_tuple_hash tuplehash[IP_CT_DIR_MAX];
	unsigned long status;
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
		struct { struct sk_buff *next, *prev; };
		struct { int rbnode_pad[6]; };
	};
	union { struct net_device *dev; unsigned long dev_scratch; };
	union { struct sock *sk; int ip_defrag_offset; };
	union { u64 tstamp; u64 skb_mstamp_ns; };
	char cb[48];
	union {
		struct { unsigned long _skb_refdst; void (*destructor)(struct sk_buff *skb); };
		struct list_head tcp_tsorted_anchor;
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
	char pad_exports_extable[96];
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
	char pad_tracepoints_ftrace[120];
	struct list_head source_list;
	struct list_head target_list;
	void (*exit)(void);
	atomic_t refcnt;
};

/* SLUB (slub_def.h), struct slab (mm/slab.h, 5.17+) and the memmap
 * (mm_types.h, page-flags.h) of 6.1: slabs are described by struct slab,
 * which overlays struct page; struct page has no slab fields any more. */
typedef unsigned int slab_flags_t;
typedef struct { } local_lock_t;   /* no CONFIG_DEBUG_LOCK_ALLOC: empty */

struct reciprocal_value { u32 m; u8 sh1, sh2; };

struct kmem_cache_cpu {
	void **freelist;
	unsigned long tid;
	struct slab *slab;
	struct slab *partial;            /* CONFIG_SLUB_CPU_PARTIAL */
	local_lock_t lock;
};

struct kmem_cache_order_objects { unsigned int x; };

/* No kmem_cache.max any more (5.19). */
struct kmem_cache {
	struct kmem_cache_cpu *cpu_slab; /* __percpu */
	slab_flags_t flags;
	unsigned long min_partial;
	unsigned int size;
	unsigned int object_size;
	struct reciprocal_value reciprocal_size;
	unsigned int offset;
	unsigned int cpu_partial;
	unsigned int cpu_partial_slabs;
	struct kmem_cache_order_objects oo;
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

struct slab {
	unsigned long __page_flags;
	union {
		struct list_head slab_list;
		struct rcu_head rcu_head;
		struct {                 /* CONFIG_SLUB_CPU_PARTIAL */
			struct slab *next;
			int slabs;
		};
	};
	struct kmem_cache *slab_cache;
	void *freelist;
	union {
		unsigned long counters;
		struct {
			unsigned inuse:16;
			unsigned objects:15;
			unsigned frozen:1;
		};
	};
	unsigned int __unused;
	atomic_t __page_refcount;
	unsigned long memcg_data;
};

struct page {
	unsigned long flags;
	union {
		struct {                 /* page cache and anonymous pages */
			union {
				struct list_head lru;
				struct {
					void *__filler;
					unsigned int mlock_count;
				};
				struct list_head buddy_list;
				struct list_head pcp_list;
			};
			struct address_space *mapping;
			pgoff_t index;
			unsigned long private;
		};
		struct {                 /* page_pool */
			unsigned long pp_magic;
			void *pp;
			unsigned long _pp_mapping_pad;
			unsigned long dma_addr;
			union {
				unsigned long dma_addr_upper;
				atomic64_t pp_frag_count;
			};
		};
		struct {                 /* tail pages of compound page */
			unsigned long compound_head;
			unsigned char compound_dtor;
			unsigned char compound_order;
			atomic_t compound_mapcount;
			atomic_t compound_pincount;
			unsigned int compound_nr;
		};
		struct {                 /* second tail page of compound page */
			unsigned long _compound_pad_1;
			unsigned long _compound_pad_2;
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
	};
	atomic_t _refcount;
	unsigned long memcg_data;
} _struct_page_alignment;

enum pageflags {
	PG_locked, PG_referenced, PG_uptodate, PG_dirty, PG_lru, PG_active,
	PG_workingset, PG_waiters, PG_error, PG_slab, PG_owner_priv_1,
	PG_arch_1, PG_reserved, PG_private, PG_private_2, PG_writeback,
	PG_head, PG_mappedtodisk, PG_reclaim, PG_swapbacked, PG_unevictable,
	PG_mlocked, PG_uncached, PG_hwpoison, PG_young, PG_idle,
	__NR_PAGEFLAGS,
	PG_readahead = PG_reclaim, PG_checked = PG_owner_priv_1,
	PG_swapcache = PG_owner_priv_1, PG_fscache = PG_private_2,
	PG_pinned = PG_owner_priv_1, PG_savepinned = PG_dirty,
	PG_foreign = PG_owner_priv_1, PG_xen_remapped = PG_owner_priv_1,
	PG_slob_free = PG_private, PG_double_map = PG_workingset,
	PG_has_hwpoisoned = PG_error, PG_isolated = PG_reclaim,
	PG_reported = PG_uptodate,
};
