/* gen_6_12.h — Debian 13's 6.12 (6.12.118+deb13-cloud-amd64).
 *
 * Conntrack as 6.1: no unconfirmed/dying lists, the count in
 * nf_conntrack_net via net_generic, refcount_t use, the ecache dying list,
 * the global hash. Around it:
 * - SLUB still has kmem_cache_cpu (freelist+tid in a freelist_aba_t union,
 *   the CPU slab, partial), no sheaves (6.18);
 * - struct slab reordered (6.2): slab_cache at 8, sharing its word with
 *   page.compound_head (a head page has bit 0 clear), slab_list / CPU
 *   partial next at 16, freelist and counters at 32 (freelist_aba_t);
 * - slab pages marked by page type (6.12: page_type's top byte ==
 *   PGTY_slab = 0xf5), no PG_slab flag (gone in 6.10; 6.10 and 6.11 used
 *   an inverted page_type bit, not modelled); PG_head is bit 6;
 * - struct module holds mem[7] of module_memory (6.4), kallsyms at 888;
 * - bin_attribute has llseek (72 bytes), module_notes_attrs still counts.
 * - timekeeping before tk_data: shadow_timekeeper and tick_nsec exist.
 *
 * Sources: gdb `ptype /o` on the debug vmlinux of Debian's
 * 6.12.118+deb13-cloud-amd64: struct page, slab, kmem_cache,
 * kmem_cache_cpu, kmem_cache_node, module, module_memory,
 * module_notes_attrs, bin_attribute, attribute_group, ns_common,
 * timekeeper, nf_conn, mod_kallsyms, kobject, freelist_aba_t, enum pagetype,
 * enum pageflags; symbols tick_nsec, shadow_timekeeper, tick_next_period,
 * nr_node_ids (no tk_data, no timekeeper_data). Those structures' offsets
 * below are the real ones (checked by the _Static_asserts at the end);
 * padding arrays stand in for what ctleak does not read. Every question of
 * lib/kernel/layout.h was also put to ctleak's resolver (tests/typeq) on the real
 * vmlinux + nf_conntrack.ko and on this generation's gen_6_12.o: the same
 * presence for all, the same offsets for all of SLUB, the memmap, modules,
 * timekeeping, nf_conn and nf_conntrack_net; only the padded stand-ins
 * shared with older generations (net, net_device, sk_buff, the
 * expectation) sit elsewhere. Not measured, taken as 6.1: netns_ct,
 * net_generic, the rest of net. */
#define SYNTH_GEN 612
#define SYNTH_NAME "6.12"
#define SYNTH_HAS_BTF_MODULES 1  /* struct btf_module, btf_modules (5.11+) */
#define SYNTH_HAS_CTNET 1
#define SYNTH_COUNT_IN_CTNET 1     /* nf_conntrack_net.count via net_generic */
#define SYNTH_HAS_ECACHE_DYING 1   /* nf_conntrack_net.ecache.dying_list */
#define SYNTH_HAS_STRUCT_SLAB 1    /* struct slab (5.17+) */
#define SYNTH_PAGE_TYPE 1          /* PGTY_slab page type, no PG_slab (6.12+) */
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

struct ns_common { void *stashed; const void *ops; unsigned int inum; refcount_t count; };

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

/* 6.4+: one module_memory per enum mod_mem_type (7 of them). */
struct module_memory {
	void *base;
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
	char pad_mem_align[8];           /* mem[] is cache-line aligned: at 320 */
	struct module_memory mem[7];
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
	char pad_tracepoints_ftrace_klp[200];
	struct list_head source_list;
	struct list_head target_list;
	void (*exit)(void);
	atomic_t refcnt;
	int its_num_pages;
	void **its_page_array;
	char dyndbg_info[24];
	char pad_end[32];
};

/* SLUB (mm/slub.c, mm/slab.h) and the memmap (mm_types.h, page-flags.h). */
typedef unsigned int slab_flags_t;
typedef struct { } local_lock_t;   /* no CONFIG_DEBUG_LOCK_ALLOC: empty */
struct lock_class_key { };
typedef unsigned __int128 freelist_full_t;
typedef union {
	struct {
		void *freelist;
		unsigned long counter;
	};
	freelist_full_t full;
} freelist_aba_t;
typedef struct { long counter; } atomic_long_t;

struct reciprocal_value { u32 m; u8 sh1, sh2; };

struct kmem_cache_cpu {
	union {
		struct {
			void **freelist;
			unsigned long tid;
		};
		freelist_aba_t freelist_tid;
	};
	struct slab *slab;
	struct slab *partial;            /* CONFIG_SLUB_CPU_PARTIAL */
	local_lock_t lock;
};

struct kmem_cache_order_objects { unsigned int x; };

struct kmem_cache_node {
	spinlock_t list_lock;
	unsigned long nr_partial;
	struct list_head partial;
	atomic_long_t nr_slabs;          /* CONFIG_SLUB_DEBUG */
	atomic_long_t total_objects;
	struct list_head full;
};

struct kmem_cache {
	struct kmem_cache_cpu *cpu_slab; /* __percpu */
	struct lock_class_key lock_key;
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
	struct kmem_cache *slab_cache;
	union {
		struct {
			union {
				struct list_head slab_list;
				struct {         /* CONFIG_SLUB_CPU_PARTIAL */
					struct slab *next;
					int slabs;
				};
			};
			union {
				struct {
					void *freelist;
					union {
						unsigned long counters;
						struct {
							unsigned inuse:16;
							unsigned objects:15;
							unsigned frozen:1;
						};
					};
				};
				freelist_aba_t freelist_counter;
			};
		};
		struct rcu_head callback_head;
	};
	unsigned int __page_type;
	atomic_t __page_refcount;
	unsigned long obj_exts;
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
			union {
				pgoff_t index;
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
		struct {                 /* tail pages of compound page */
			unsigned long compound_head;  /* bit 0: tail, the rest: head */
		};
		struct {                 /* ZONE_DEVICE pages */
			struct dev_pagemap *pgmap;
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
	PGTY_mapcount_underflow = 0xff,
};

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

/* The real 6.12 offsets (gdb ptype /o on Debian's debug vmlinux). */
#define SYNTH_AT(T, m, off) _Static_assert(__builtin_offsetof(T, m) == (off), #T "." #m)
SYNTH_AT(struct kmem_cache, cpu_slab, 0);
SYNTH_AT(struct kmem_cache, flags, 8);
SYNTH_AT(struct kmem_cache, size, 24);
SYNTH_AT(struct kmem_cache, offset, 40);
SYNTH_AT(struct kmem_cache, oo, 52);
SYNTH_AT(struct kmem_cache, red_left_pad, 88);
SYNTH_AT(struct kmem_cache, name, 96);
SYNTH_AT(struct kmem_cache, list, 104);
SYNTH_AT(struct kmem_cache, random, 184);
SYNTH_AT(struct kmem_cache, node, 216);
_Static_assert(sizeof(struct kmem_cache) == 8408, "sizeof kmem_cache");
SYNTH_AT(struct kmem_cache_cpu, tid, 8);
SYNTH_AT(struct kmem_cache_cpu, slab, 16);
SYNTH_AT(struct kmem_cache_cpu, partial, 24);
_Static_assert(sizeof(struct kmem_cache_cpu) == 32, "sizeof kmem_cache_cpu");
SYNTH_AT(struct slab, slab_cache, 8);
SYNTH_AT(struct slab, next, 16);
SYNTH_AT(struct slab, freelist, 32);
SYNTH_AT(struct slab, counters, 40);
SYNTH_AT(struct slab, __page_type, 48);
SYNTH_AT(struct slab, obj_exts, 56);
_Static_assert(sizeof(struct slab) == 64 && sizeof(struct page) == 64, "sizeof slab, page");
SYNTH_AT(struct page, compound_head, 8);
SYNTH_AT(struct page, page_type, 48);
SYNTH_AT(struct page, memcg_data, 56);
SYNTH_AT(struct module, list, 8);
SYNTH_AT(struct module, name, 24);
SYNTH_AT(struct module, mem, 320);
SYNTH_AT(struct module, kallsyms, 888);
SYNTH_AT(struct module, core_kallsyms, 896);
SYNTH_AT(struct module, notes_attrs, 936);
SYNTH_AT(struct module, percpu, 952);
SYNTH_AT(struct module, source_list, 1168);
_Static_assert(sizeof(struct module) == 1280, "sizeof module");
SYNTH_AT(struct module_notes_attrs, notes, 8);
SYNTH_AT(struct module_notes_attrs, attrs, 16);
_Static_assert(sizeof(struct bin_attribute) == 72, "sizeof bin_attribute");
SYNTH_AT(struct ns_common, inum, 16);
SYNTH_AT(struct timekeeper, xtime_sec, 112);
SYNTH_AT(struct nf_conn, status, 128);
SYNTH_AT(struct nf_conn, ext, 176);
_Static_assert(sizeof(struct nf_conn) == 248, "sizeof nf_conn");
#undef SYNTH_AT
