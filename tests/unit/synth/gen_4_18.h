/* gen_4_18.h — RHEL 8's 4.18: global hash and slab (4.7), u32 timeout
 * (4.10), skb->_nfct (4.11), per-CPU unconfirmed/dying lists without the
 * template list, net->ct.count, union-style net_generic. */
#include "kernel_base.h"

#define SYNTH_GEN 418
#define SYNTH_NAME "4.18"
#define SYNTH_HAS_CT_PCPU 1

struct nf_conntrack { atomic_t use; };

enum ip_conntrack_status {
	IPS_EXPECTED_BIT = 0, IPS_SEEN_REPLY_BIT = 1, IPS_ASSURED_BIT = 2,
	IPS_CONFIRMED_BIT = 3, IPS_SRC_NAT_BIT = 4, IPS_DST_NAT_BIT = 5,
	IPS_SEQ_ADJUST_BIT = 6, IPS_SRC_NAT_DONE_BIT = 7, IPS_DST_NAT_DONE_BIT = 8,
	IPS_DYING_BIT = 9, IPS_FIXED_TIMEOUT_BIT = 10, IPS_TEMPLATE_BIT = 11,
	IPS_UNTRACKED_BIT = 12, IPS_HELPER_BIT = 13, IPS_OFFLOAD_BIT = 14,
};

struct ct_pcpu {
	spinlock_t lock;
	struct hlist_nulls_head unconfirmed;
	struct hlist_nulls_head dying;
};

struct netns_ct {
	atomic_t count;
	unsigned int expect_count;
	void *ecache_dwork[12];
	int ecache_dwork_pending;
	struct ctl_table_header *sysctl_header;
	unsigned int sysctl_log_invalid;
	int sysctl_events;
	int sysctl_acct;
	int sysctl_auto_assign_helper;
	int sysctl_tstamp;
	int sysctl_checksum;
	struct ct_pcpu *pcpu_lists;
	void *stat;
	void *nf_conntrack_event_cb;
	void *nf_expect_event_cb;
	char nf_ct_proto[400];
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

struct ns_common { atomic64_t stashed; const void *ops; unsigned int inum; };

struct net {
	atomic_t passive;
	atomic_t count;
	spinlock_t rules_mod_lock;
	u32 hash_mix;
	void *core_sysctl_dummy;
	struct list_head list;
	struct list_head exit_list;
	void *cleanup_list_llist;
	struct user_namespace *user_ns;
	void *ucounts;
	spinlock_t nsid_lock;
	void *netns_ids[2];
	struct ns_common ns;
	void *proc_net;
	void *proc_net_stat;
	char sysctls[56];
	struct sock *rtnl;
	struct sock *genl_sock;
	void *uevent_sock;
	struct list_head dev_base_head;
	struct hlist_head *dev_name_head;
	struct hlist_head *dev_index_head;
	unsigned int dev_base_seq;
	int ifindex;
	unsigned int dev_unreg_count;
	struct list_head rules_ops;
	struct net_device *loopback_dev;
	char pad_netns[1640];
	struct netns_ct ct;
	struct net_generic *gen;
};

struct nf_conn {
	struct nf_conntrack ct_general;
	spinlock_t lock;
	u16 cpu;
	struct nf_conntrack_zone zone;
	struct nf_conntrack_tuple_hash tuplehash[IP_CT_DIR_MAX];
	unsigned long status;
	u32 timeout;
	struct { struct net *net; } ct_net;
	struct hlist_node nat_bysource;
	u8 __nfct_init_offset[0];
	struct nf_conn *master;
	u32 mark;
	u32 secmark;
	struct nf_ct_ext *ext;
	union { char pad[60]; struct ip_ct_tcp tcp; } proto;
};

struct sk_buff {
	union {
		struct { struct sk_buff *next, *prev; };
		struct { int rbnode_pad[6]; };
	};
	union { struct net_device *dev; unsigned long dev_scratch; };
	union { struct sock *sk; int ip_defrag_offset; };
	union { u64 tstamp; u64 skb_mstamp; };
	char cb[48];
	unsigned long _skb_refdst;
	void (*destructor)(struct sk_buff *skb);
	void *sp;
	unsigned long _nfct;
	void *nf_bridge;
	unsigned int len, data_len;
	u16 mac_len, hdr_len;
};

struct mod_kallsyms {
	Elf64_Sym *symtab;
	unsigned int num_symtab;
	char *strtab;
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

/* SLUB (slub_def.h) and the memmap (mm_types.h, page-flags.h) of 4.18:
 * struct page as reorganised in 4.18 (the slab fields together at 8), no
 * reciprocal_size yet, memcg_params in the cache, PG_workingset not yet. */
typedef unsigned int slab_flags_t;

struct work_struct { atomic64_t data; struct list_head entry; void (*func)(struct work_struct *); };

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
	struct work_struct kobj_remove_work;
	char memcg_params[80];           /* struct memcg_cache_params */
	unsigned int max_attr_size;
	struct kset *memcg_kset;
	unsigned long random;            /* CONFIG_SLAB_FREELIST_HARDENED */
	unsigned int remote_node_defrag_ratio;
	unsigned int *random_seq;
	unsigned int useroffset;
	unsigned int usersize;
	struct kmem_cache_node *node[MAX_NUMNODES];
};

struct page {
	unsigned long flags;
	union {
		struct {                 /* page cache and anonymous pages */
			struct list_head lru;
			struct address_space *mapping;
			pgoff_t index;
			unsigned long private;
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
			unsigned long hmm_data;
			unsigned long _zd_pad_1;
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
	void *mem_cgroup;                /* struct mem_cgroup * */
} _struct_page_alignment;

enum pageflags {
	PG_locked, PG_error, PG_referenced, PG_uptodate, PG_dirty, PG_lru,
	PG_active, PG_waiters, PG_slab, PG_owner_priv_1, PG_arch_1,
	PG_reserved, PG_private, PG_private_2, PG_writeback, PG_head,
	PG_mappedtodisk, PG_reclaim, PG_swapbacked, PG_unevictable,
	PG_mlocked, PG_uncached, PG_hwpoison, PG_young, PG_idle,
	__NR_PAGEFLAGS,
	PG_checked = PG_owner_priv_1, PG_swapcache = PG_owner_priv_1,
	PG_fscache = PG_private_2, PG_pinned = PG_owner_priv_1,
	PG_savepinned = PG_dirty, PG_foreign = PG_owner_priv_1,
	PG_slob_free = PG_private, PG_double_map = PG_private_2,
	PG_isolated = PG_reclaim,
};
