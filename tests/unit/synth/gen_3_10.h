/* gen_3_10.h — RHEL 7's 3.10: per-netns hash, count and slab cache;
 * struct timer_list timeout; skb->nfct + nfctinfo:3; old net_generic
 * {len; rcu; ptr[]}; and both the kABI-only per-netns list heads and the
 * per-CPU lists backported from 3.15, which are the ones in use. */
#include "kernel_base.h"

#define SYNTH_GEN 310
#define SYNTH_NAME "3.10"
#define SYNTH_HAS_CT_PCPU 1
#define SYNTH_HAS_PCPU_TMPL 1      /* ct_pcpu.tmpl */
#define SYNTH_HAS_NETNS_LISTS 1    /* netns_ct.unconfirmed/dying/tmpl (kABI) */
#define SYNTH_HAS_NETNS_HASH 1     /* netns_ct.hash, htable_size */
#define SYNTH_HAS_TIMER_TIMEOUT 1  /* nf_conn.timeout is a timer_list */

struct nf_conntrack { atomic_t use; };

struct timer_list {
	struct list_head entry;
	unsigned long expires;
	struct tvec_base *base;
	void (*function)(unsigned long);
	unsigned long data;
	int slack;
};

enum ip_conntrack_status {
	IPS_EXPECTED_BIT = 0, IPS_SEEN_REPLY_BIT = 1, IPS_ASSURED_BIT = 2,
	IPS_CONFIRMED_BIT = 3, IPS_SRC_NAT_BIT = 4, IPS_DST_NAT_BIT = 5,
	IPS_SEQ_ADJUST_BIT = 6, IPS_SRC_NAT_DONE_BIT = 7, IPS_DST_NAT_DONE_BIT = 8,
	IPS_DYING_BIT = 9, IPS_FIXED_TIMEOUT_BIT = 10, IPS_TEMPLATE_BIT = 11,
	IPS_UNTRACKED_BIT = 12, IPS_HELPER_BIT = 13,
};

struct ct_pcpu {
	spinlock_t lock;
	struct hlist_nulls_head unconfirmed;
	struct hlist_nulls_head dying;
	struct hlist_nulls_head tmpl;
};

struct netns_ct {
	atomic_t count;
	unsigned int expect_count;
	unsigned int htable_size;
	struct kmem_cache *nf_conntrack_cachep;
	struct hlist_nulls_head *hash;
	struct hlist_head *expect_hash;
	struct hlist_nulls_head unconfirmed; /* kABI only */
	struct hlist_nulls_head dying;       /* kABI only */
	struct hlist_nulls_head tmpl;        /* kABI only */
	void *stat;
	int sysctl_events;
	int sysctl_acct;
	char *slabname;
	unsigned int max;                    /* RHEL-only */
	struct ct_pcpu *pcpu_lists;          /* __percpu, backported */
};

struct net_generic {
	unsigned int len;
	struct rcu_head rcu;
	void *ptr[0];
};

struct net {
	atomic_t passive;
	atomic_t count;
	spinlock_t rules_mod_lock;
	struct list_head list;
	struct list_head cleanup_list;
	struct list_head exit_list;
	struct user_namespace *user_ns;
	unsigned int proc_inum;
	void *proc_net;
	void *proc_net_stat;
	char sysctls[56];
	struct sock *rtnl;
	struct sock *genl_sock;
	struct list_head dev_base_head;
	struct hlist_head *dev_name_head;
	struct hlist_head *dev_index_head;
	unsigned int dev_base_seq;
	int ifindex;
	unsigned int dev_unreg_count;
	struct list_head rules_ops;
	struct net_device *loopback_dev;
	char pad_netns_ipv4[480];
	struct net_generic *gen;
	struct netns_ct ct;
};

struct nf_conn {
	struct nf_conntrack ct_general;
	spinlock_t lock;
	struct nf_conntrack_tuple_hash tuplehash[IP_CT_DIR_MAX];
	unsigned long status;
	struct nf_conn *master;
	struct timer_list timeout;
	u32 mark;
	u32 secmark;
	struct nf_ct_ext *ext;
	struct net *ct_net;
	u16 cpu;
	union { char pad[28]; struct ip_ct_tcp tcp; } proto;
};

struct sk_buff {
	struct sk_buff *next, *prev;
	void *tstamp;
	struct sock *sk;
	struct net_device *dev;
	char cb[48];
	unsigned long _skb_refdst;
	unsigned int len, data_len;
	u16 mac_len, hdr_len;
	u32 csum;
	u32 priority;
	u8 local_df:1, cloned:1, ip_summed:2, nohdr:1, nfctinfo:3;
	u8 pkt_type:3, fclone:2, ipvs_property:1, peeked:1, nf_trace:1;
	__be16 protocol;
	void (*destructor)(struct sk_buff *skb);
	struct nf_conntrack *nfct;
	void *nf_bridge;
};

/* No struct mod_kallsyms yet (4.5): the symbol table hangs off the module. */
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
	const unsigned long *crcs;
	unsigned int num_syms;
	void *kp;
	unsigned int num_kp;
	unsigned int num_gpl_syms;
	const void *gpl_syms;
	const unsigned long *gpl_crcs;
	char pad_exports_extable[80];
	int (*init)(void);
	void *module_init;
	void *module_core;
	unsigned int init_size, core_size;
	unsigned int init_text_size, core_text_size;
	unsigned int init_ro_size, core_ro_size;
	char arch[24];                   /* struct mod_arch_specific */
	unsigned int taints;
	unsigned int num_bugs;
	struct list_head bug_list;
	void *bug_table;
	Elf64_Sym *symtab, *core_symtab;
	unsigned int num_symtab, core_num_syms;
	char *strtab, *core_strtab;
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

/* SLUB (slub_def.h) and the memmap (mm_types.h, page-flags.h) of 3.10:
 * int sizes, an unsigned long order word, no freelist hardening (4.14) and
 * so no kmem_cache.random; struct page of before the 4.18 reorganisation
 * (freelist at 16, the SLUB counters at 24, slab_cache at 48) and of before
 * compound_head (4.4): a tail page points to its head through first_page.
 * struct slab is only declared (the SLAB allocator's; page.slab_page). */
struct kmem_cache_cpu {
	void **freelist;
	unsigned long tid;
	struct page *page;
	struct page *partial;            /* CONFIG_SLUB_CPU_PARTIAL */
};

struct kmem_cache_order_objects { unsigned long x; };

struct kmem_cache {
	struct kmem_cache_cpu *cpu_slab; /* __percpu */
	unsigned long flags;
	unsigned long min_partial;
	int size;
	int object_size;
	int offset;
	int cpu_partial;
	struct kmem_cache_order_objects oo;
	struct kmem_cache_order_objects max;
	struct kmem_cache_order_objects min;
	gfp_t allocflags;
	int refcount;
	void (*ctor)(void *);
	int inuse;
	int align;
	int reserved;
	const char *name;
	struct list_head list;
	int red_left_pad;                /* assumed backported (upstream: 4.6) */
	struct kobject kobj;
	void *memcg_params;              /* struct memcg_cache_params * */
	int max_attr_size;
	int remote_node_defrag_ratio;
	struct kmem_cache_node *node[MAX_NUMNODES];
};

struct slab;

struct page {
	unsigned long flags;
	struct address_space *mapping;
	struct {
		union {
			pgoff_t index;
			void *freelist;          /* slub first free object */
			_Bool pfmemalloc;
		};
		union {
			unsigned long counters;  /* CONFIG_HAVE_CMPXCHG_DOUBLE */
			struct {
				union {
					atomic_t _mapcount;
					struct { /* SLUB */
						unsigned inuse:16;
						unsigned objects:15;
						unsigned frozen:1;
					};
					int units;
				};
				atomic_t _count;
			};
		};
	};
	union {
		struct list_head lru;
		struct {                 /* slub per cpu partial pages */
			struct page *next;
			int pages;
			int pobjects;
		};
		struct list_head list;
		struct slab *slab_page;
	};
	union {
		unsigned long private;
		spinlock_t ptl;
		struct kmem_cache *slab_cache;
		struct page *first_page; /* compound tail pages */
	};
} _struct_page_alignment;

enum pageflags {
	PG_locked, PG_error, PG_referenced, PG_uptodate, PG_dirty, PG_lru,
	PG_active, PG_slab, PG_owner_priv_1, PG_arch_1, PG_reserved,
	PG_private, PG_private_2, PG_writeback,
	PG_head, PG_tail,                /* CONFIG_PAGEFLAGS_EXTENDED */
	PG_swapcache, PG_mappedtodisk, PG_reclaim, PG_swapbacked,
	PG_unevictable, PG_mlocked, PG_uncached, PG_hwpoison,
	PG_compound_lock,
	__NR_PAGEFLAGS,
	PG_checked = PG_owner_priv_1, PG_fscache = PG_private_2,
	PG_pinned = PG_owner_priv_1, PG_savepinned = PG_dirty,
	PG_slob_free = PG_private,
};
