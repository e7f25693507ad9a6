/* gen_7_3.h — Debian's 7.3 (7.3.4+deb13-cloud-amd64, trixie-backports).
 *
 * Conntrack as 6.1: no unconfirmed/dying lists, the count in
 * nf_conntrack_net via net_generic, refcount_t use, the ecache dying list,
 * the global hash. What changed around it:
 * - SLUB: no kmem_cache.cpu_slab, no struct kmem_cache_cpu (7.0). Free
 *   objects are cached in per-CPU sheaves (kmem_cache.cpu_sheaves → main,
 *   spare, rcu_free) and in the full sheaves of each node's barn (6.18);
 *   kmem_cache.node[] became per_node[] {barn, node} (7.1).
 * - struct slab: freelist/counters inside struct freelist_counters, no
 *   CPU-partial next/slabs; the flags word is memdesc_flags_t (a struct).
 * - struct page: memdesc_flags_t flags; compound_info instead of
 *   compound_head (bit 0 still marks a tail page, the rest is a mask, not
 *   head + 1: 0xffffffffffffff81 seen); slab pages marked by page_type ==
 *   PGTY_slab (0xf5) in the top byte, no PG_slab (as 6.12).
 * - module_notes_attrs: the attribute group and attrs[], no count.
 * - ns_common: the refcount is __ns_ref in an anonymous struct; stashed,
 *   ops, inum moved behind it.
 * - timekeeping: struct tk_data timekeeper_data[] {seq, timekeeper,
 *   shadow_timekeeper, lock}; no shadow_timekeeper symbol, no tick_nsec
 *   (tick_next_period is still there).
 *
 * Sources: gdb `ptype /o` and ctleak's own resolver (tests/typeq) on the
 * debug vmlinux of Debian's 7.3.4+deb13-cloud-amd64: struct page, slab,
 * kmem_cache, slub_percpu_sheaves, slab_sheaf, node_barn, kmem_cache_node,
 * kmem_cache_per_node_ptrs, module, module_memory, module_notes_attrs,
 * attribute_group, bin_attribute, ns_common, tk_data, timekeeper, nf_conn,
 * mod_kallsyms, kobject, enum pagetype; symbols timekeeper_data[1],
 * tick_next_period, nr_node_ids. The offsets of those structures below
 * are the real ones (checked by the _Static_asserts at the end); padding
 * arrays stand in for what ctleak does not read. Every question of
 * lib/kernel/layout.h was also put to ctleak's resolver (tests/typeq) on the real
 * vmlinux + nf_conntrack.ko and on this generation's gen_7_3.o: the same
 * presence for all, the same offsets for all of SLUB, the sheaves, the
 * memmap, modules, timekeeping, nf_conn and nf_conntrack_net; only the
 * padded stand-ins shared with older generations (net but for ns,
 * net_device, sk_buff, the expectation) sit elsewhere. Not measured, taken
 * as 6.1/6.12: netns_ct, net_generic, enum pageflags (PG_head = 6 checked).
 * One liberty: 7.3 declares freelist_counters
 * as a tagged anonymous member (-fms-extensions); here it is an untagged
 * anonymous struct, which gives the same members at the same offsets. */
#define SYNTH_GEN 703
#define SYNTH_NAME "7.3"
#define SYNTH_HAS_BTF_MODULES 1  /* struct btf_module, btf_modules (5.11+) */
#define SYNTH_HAS_CTNET 1
#define SYNTH_COUNT_IN_CTNET 1     /* nf_conntrack_net.count via net_generic */
#define SYNTH_HAS_ECACHE_DYING 1   /* nf_conntrack_net.ecache.dying_list */
#define SYNTH_HAS_STRUCT_SLAB 1    /* struct slab (5.17+) */
#define SYNTH_PAGE_TYPE 1          /* PGTY_slab page type, no PG_slab (6.12+) */
#define SYNTH_NO_CPU_SLAB 1        /* no kmem_cache_cpu (7.0+) */
#define SYNTH_HAS_SHEAVES 1        /* per-CPU sheaves and node barns (6.18+) */
#define SYNTH_HAS_PER_NODE 1       /* kmem_cache.per_node[] {barn, node} (7.1+) */
#define SYNTH_COMPOUND_INFO 1      /* page.compound_info */
#define SYNTH_MEMDESC_FLAGS 1      /* page/slab flags are memdesc_flags_t */
#define SYNTH_NOTES_BIN_ATTRS 1    /* module_notes_attrs without a count */
#define SYNTH_TK_DATA 1            /* timekeeper_data[], no shadow_timekeeper */
#define SYNTH_NO_TICK_NSEC 1       /* HZ from tick_next_period */
#define SYNTH_BIN_ATTR_LLSEEK 1
#include "kernel_base.h"

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

/* 7.x: the refcount first, on a cache line of its own; then the rest. */
struct ns_common {
	struct {
		refcount_t __ns_ref;
		char __ns_ref_pad[60];
	};
	u32 ns_type;
	void *stashed;                   /* struct dentry * */
	const void *ops;                 /* struct proc_ns_operations * */
	unsigned int inum;
	char ns_tree[160];               /* struct ns_tree */
	struct callback_head ns_rcu;
	char __cacheline_pad[48];        /* 320 bytes, as cache-line aligned */
};

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
	char pad_ns[80];
	struct ns_common ns;             /* at 192: net.ns.ops 272, net.ns.inum 280 */
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

/* 6.4+: one module_memory per enum mod_mem_type (7 of them); 7.3 has is_rox, 6.12 not. */
struct module_memory {
	void *base;
	_Bool is_rox;
	unsigned int size;
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
	const char *imported_namespaces;
	void *holders_dir;
	const void *syms;
	const u32 *crcs;
	const u8 *flagstab;
	unsigned int num_syms;
	char param_lock[24];             /* struct mutex */
	void *kp;
	unsigned int num_kp;
	_Bool using_gplonly_symbols;
	_Bool sig_ok;
	_Bool async_probe_requested;
	unsigned int num_exentries;
	void *extable;
	char pad_mem_align[16];          /* mem[] is cache-line aligned: at 320 */
	struct module_memory mem[7];
	char arch[40];                   /* struct mod_arch_specific */
	unsigned long taints;
	unsigned int num_bugs;
	struct list_head bug_list;
	void *bug_table;
	struct mod_kallsyms *kallsyms;   /* __rcu: core_kallsyms once init is done */
	struct mod_kallsyms core_kallsyms;
	void *sect_attrs;
	struct module_notes_attrs *notes_attrs;
	void *percpu;
	unsigned int percpu_size;
	char pad_tracepoints_ftrace_klp[200];
	struct list_head source_list;
	struct list_head target_list;
	void (*exit)(void);
	atomic_t refcnt;
	char dyndbg_info[24];
	char pad_end[32];
};

/* SLUB (mm/slub.c, mm/slab.h) and the memmap (mm_types.h, page-flags.h). */
typedef unsigned int slab_flags_t;
typedef struct { unsigned long f; } memdesc_flags_t;
typedef struct local_trylock { u8 acquired; } local_trylock_t;
typedef unsigned __int128 freelist_full_t;

struct reciprocal_value { u32 m; u8 sh1, sh2; };
struct kmem_cache_order_objects { unsigned int x; };
typedef struct { long counter; } atomic_long_t;
struct llist_node { struct llist_node *next; };

struct slab_sheaf {
	union {
		struct rcu_head rcu_head;
		struct list_head barn_list;  /* on a barn's sheaves_full / sheaves_empty */
		struct llist_node llnode;
		struct {                     /* prefilled (oversize) sheaves */
			unsigned int capacity;
			_Bool pfmemalloc;
		};
	};
	struct kmem_cache *cache;
	unsigned int size;               /* objects[0..size) are free objects */
	int node;
	void *objects[];
};

struct slub_percpu_sheaves {
	local_trylock_t lock;
	struct slab_sheaf *main;         /* never NULL once the cache has sheaves */
	struct slab_sheaf *spare;        /* empty or full, may be NULL */
	struct slab_sheaf *rcu_free;     /* for kfree_rcu() batching */
};

struct node_barn {
	spinlock_t lock;
	struct list_head sheaves_full;
	struct list_head sheaves_empty;
	unsigned int nr_full;
	unsigned int nr_empty;
};

struct kmem_cache_node {
	spinlock_t list_lock;
	unsigned long nr_partial;
	struct list_head partial;
	atomic_long_t nr_slabs;          /* CONFIG_SLUB_DEBUG */
	atomic_long_t total_objects;
	struct list_head full;
};

struct kmem_cache_per_node_ptrs {
	struct node_barn *barn;
	struct kmem_cache_node *node;
};

struct kmem_cache {
	struct slub_percpu_sheaves *cpu_sheaves; /* __percpu */
	slab_flags_t flags;
	unsigned long min_partial;
	unsigned int size;
	unsigned int object_size;
	struct reciprocal_value reciprocal_size;
	unsigned int offset;
	unsigned int sheaf_capacity;
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
	struct kmem_cache_per_node_ptrs per_node[MAX_NUMNODES];
};

struct slab {
	memdesc_flags_t flags;
	struct kmem_cache *slab_cache;
	union {
		struct {
			struct list_head slab_list;
			struct {                 /* struct freelist_counters */
				union {
					struct {
						void *freelist;
						union {
							unsigned long counters;
							struct {
								unsigned inuse:16;
								unsigned objects:15;
								unsigned frozen:1;
								unsigned obj_exts_in_object:1;
								unsigned obj_exts_needs_objcg:1;
							};
						};
					};
					freelist_full_t freelist_counters;
				};
			};
		};
		struct rcu_head callback_head;
	};
	unsigned int __page_type;
	atomic_t __page_refcount;
	unsigned long obj_exts;
};

struct page {
	memdesc_flags_t flags;
	union {
		struct {                 /* page cache and anonymous pages */
			union {
				struct list_head lru;
				struct list_head buddy_list;
				struct list_head pcp_list;
				struct llist_node pcp_llist;
			};
			struct address_space *mapping;
			union {
				pgoff_t __folio_index;
				unsigned long share;
			};
			unsigned long private;
		};
		struct {                 /* page_pool */
			unsigned long pp_magic;
			void *pp;
			unsigned long _pp_mapping_pad;
			unsigned long dma_addr;
			atomic_long_t pp_ref_count;
		};
		struct {                 /* tail pages of a compound page */
			unsigned long compound_info;  /* bit 0: tail */
		};
		struct {                 /* ZONE_DEVICE pages */
			void *_unused_pgmap_compound_info;
			void *zone_device_data;
		};
		struct rcu_head callback_head;
	};
	union {
		unsigned int page_type;  /* top byte: enum pagetype */
		atomic_t _mapcount;
	};
	atomic_t _refcount;
	unsigned long memcg_data;
} _struct_page_alignment;

enum pagetype {
	PGTY_buddy = 0xf0, PGTY_offline = 0xf1, PGTY_table = 0xf2, PGTY_guard = 0xf3,
	PGTY_hugetlb = 0xf4, PGTY_slab = 0xf5, PGTY_zsmalloc = 0xf6, PGTY_unaccepted = 0xf7,
	PGTY_large_kmalloc = 0xf8, PGTY_mapcount_underflow = 0xff,
};

/* As 6.12 (PG_slab left the page flags in 6.10). */
enum pageflags {
	PG_locked, PG_writeback, PG_referenced, PG_uptodate, PG_dirty, PG_lru, PG_head,
	PG_waiters, PG_active, PG_workingset, PG_owner_priv_1, PG_owner_2, PG_arch_1,
	PG_reserved, PG_private, PG_private_2, PG_reclaim, PG_swapbacked, PG_unevictable,
	PG_mlocked, PG_hwpoison, PG_young, PG_idle, PG_arch_2,
	__NR_PAGEFLAGS,
	PG_readahead = PG_reclaim, PG_swapcache = PG_owner_priv_1,
	PG_checked = PG_owner_priv_1, PG_anon_exclusive = PG_owner_2,
	PG_mappedtodisk = PG_owner_2, PG_fscache = PG_private_2, PG_pinned = PG_owner_priv_1,
	PG_savepinned = PG_dirty, PG_foreign = PG_owner_priv_1, PG_xen_remapped = PG_owner_priv_1,
	PG_isolated = PG_reclaim, PG_reported = PG_uptodate,
	PG_vmemmap_self_hosted = PG_owner_priv_1, PG_has_hwpoisoned = PG_active,
	PG_large_rmappable = PG_workingset, PG_partially_mapped = PG_reclaim,
};

/* The real 7.3 offsets (gdb ptype /o on Debian's debug vmlinux). */
#define SYNTH_AT(T, m, off) _Static_assert(__builtin_offsetof(T, m) == (off), #T "." #m)
SYNTH_AT(struct kmem_cache, cpu_sheaves, 0);
SYNTH_AT(struct kmem_cache, size, 24);
SYNTH_AT(struct kmem_cache, offset, 40);
SYNTH_AT(struct kmem_cache, oo, 48);
SYNTH_AT(struct kmem_cache, red_left_pad, 80);
SYNTH_AT(struct kmem_cache, name, 88);
SYNTH_AT(struct kmem_cache, list, 96);
SYNTH_AT(struct kmem_cache, random, 176);
SYNTH_AT(struct kmem_cache, per_node, 208);
_Static_assert(sizeof(struct kmem_cache) == 16592, "sizeof kmem_cache");
SYNTH_AT(struct slub_percpu_sheaves, main, 8);
SYNTH_AT(struct slub_percpu_sheaves, rcu_free, 24);
SYNTH_AT(struct slab_sheaf, cache, 16);
SYNTH_AT(struct slab_sheaf, size, 24);
SYNTH_AT(struct slab_sheaf, objects, 32);
SYNTH_AT(struct node_barn, sheaves_full, 8);
SYNTH_AT(struct node_barn, nr_empty, 44);
_Static_assert(sizeof(struct node_barn) == 48, "sizeof node_barn");
_Static_assert(sizeof(struct kmem_cache_per_node_ptrs) == 16, "sizeof per_node_ptrs");
SYNTH_AT(struct slab, slab_cache, 8);
SYNTH_AT(struct slab, slab_list, 16);
SYNTH_AT(struct slab, freelist, 32);
SYNTH_AT(struct slab, counters, 40);
SYNTH_AT(struct slab, __page_type, 48);
_Static_assert(sizeof(struct slab) == 64 && sizeof(struct page) == 64, "sizeof slab, page");
SYNTH_AT(struct page, compound_info, 8);
SYNTH_AT(struct page, page_type, 48);
SYNTH_AT(struct module, list, 8);
SYNTH_AT(struct module, name, 24);
SYNTH_AT(struct module, mem, 320);
SYNTH_AT(struct module, kallsyms, 904);
SYNTH_AT(struct module, core_kallsyms, 912);
SYNTH_AT(struct module, notes_attrs, 952);
SYNTH_AT(struct module, source_list, 1176);
_Static_assert(sizeof(struct module) == 1280, "sizeof module");
SYNTH_AT(struct module_notes_attrs, grp.bin_attrs, 40);
SYNTH_AT(struct module_notes_attrs, attrs, 48);
_Static_assert(sizeof(struct bin_attribute) == 72, "sizeof bin_attribute");
SYNTH_AT(struct ns_common, ops, 80);
SYNTH_AT(struct ns_common, inum, 88);
_Static_assert(sizeof(struct ns_common) == 320, "sizeof ns_common");
SYNTH_AT(struct net, ns.inum, 280);
SYNTH_AT(struct tk_data, timekeeper, 8);
SYNTH_AT(struct tk_data, timekeeper.xtime_sec, 64);
SYNTH_AT(struct tk_data, shadow_timekeeper, 328);
_Static_assert(sizeof(struct tk_data) == 704, "sizeof tk_data");
SYNTH_AT(struct nf_conn, status, 128);
SYNTH_AT(struct nf_conn, ext, 176);
_Static_assert(sizeof(struct nf_conn) == 248, "sizeof nf_conn");
#undef SYNTH_AT
