/* kernel_base.h — the kernel types every synthetic generation shares.
 *
 * The synthetic kernels declare conntrack's structures the way real kernels
 * lay them out, so that the resolver and the kernel model read genuine gcc
 * DWARF and are checked against offsetof() from the same declarations.
 * Only what ctleak reads is modelled in detail; padding members stand in for
 * the rest so that offsets are not trivially small.
 */
#ifndef SYNTH_KERNEL_BASE_H
#define SYNTH_KERNEL_BASE_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef u8 __u8;
typedef u16 __u16;
typedef u32 __u32;
typedef u64 __u64;
typedef u16 __be16;
typedef u32 __be32;

typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic64_t;
typedef struct { u32 slock; } arch_spinlock_t;
typedef struct raw_spinlock { arch_spinlock_t raw_lock; } raw_spinlock_t;
typedef struct spinlock { union { struct raw_spinlock rlock; }; } spinlock_t;

struct list_head { struct list_head *next, *prev; };
struct hlist_node { struct hlist_node *next, **pprev; };
struct hlist_head { struct hlist_node *first; };
struct hlist_nulls_node { struct hlist_nulls_node *next, **pprev; };
struct hlist_nulls_head { struct hlist_nulls_node *first; };
struct callback_head { struct callback_head *next; void (*func)(struct callback_head *); };
#define rcu_head callback_head

/* TCP's conntrack state (nf_conntrack_tcp.h), the same from 3.x to 7.x:
 * seen[2], then the state ctleak reads. */
struct ip_ct_tcp_state { u32 td_end, td_maxend, td_maxwin, td_maxack; u8 td_scale, flags; };
struct ip_ct_tcp {
	struct ip_ct_tcp_state seen[2];
	u8 state, last_dir, retrans, last_index;
	u32 last_seq, last_ack, last_end;
	u16 last_win;
	u8 last_wscale, last_flags;
};

struct kmem_cache;
struct net_device;
struct sock;
struct user_namespace;
struct ctl_table_header;
struct nf_ct_ext;

union nf_inet_addr {
	__u32 all[4];
	__be32 ip;
	__be32 ip6[4];
};

union nf_conntrack_man_proto {
	__be16 all;
	struct { __be16 port; } tcp;
	struct { __be16 port; } udp;
	struct { __be16 id; } icmp;
	struct { __be16 port; } dccp;
	struct { __be16 port; } sctp;
	struct { __be16 key; } gre;
};

struct nf_conntrack_man {
	union nf_inet_addr u3;
	union nf_conntrack_man_proto u;
	u16 l3num;
};

struct nf_conntrack_tuple {
	struct nf_conntrack_man src;
	struct {
		union nf_inet_addr u3;
		union {
			__be16 all;
			struct { __be16 port; } tcp;
			struct { __be16 port; } udp;
			struct { u8 type, code; } icmp;
			struct { __be16 port; } dccp;
			struct { __be16 port; } sctp;
			struct { __be16 key; } gre;
		} u;
		u8 protonum;
		u8 dir;
	} dst;
};

struct nf_conntrack_tuple_hash {
	struct hlist_nulls_node hnnode;
	struct nf_conntrack_tuple tuple;
};

enum ip_conntrack_dir {
	IP_CT_DIR_ORIGINAL,
	IP_CT_DIR_REPLY,
	IP_CT_DIR_MAX
};

struct nf_conntrack_zone { u16 id; u8 flags; u8 dir; };

/* A netns's devices and their addresses (ctleak reads them to tell which
 * addresses are the netns's own). Shapes as in 3.10 to 6.1, padded. */
struct in6_addr {
	union {
		__u8 u6_addr8[16];
		__be16 u6_addr16[8];
		__be32 u6_addr32[4];
	} in6_u;
};

struct in_device;
struct inet6_dev;

struct in_ifaddr {
	struct hlist_node hash;
	struct in_ifaddr *ifa_next;
	struct in_device *ifa_dev;
	struct callback_head rcu_head;
	__be32 ifa_local;
	__be32 ifa_address;
	__be32 ifa_mask;
	__u32 ifa_rt_priority;
	__be32 ifa_broadcast;
	unsigned char ifa_scope;
	unsigned char ifa_prefixlen;
	__u32 ifa_flags;
	char ifa_label[16];
	__u32 ifa_valid_lft;
	__u32 ifa_preferred_lft;
	unsigned long ifa_cstamp;
	unsigned long ifa_tstamp;
};

struct in_device {
	struct net_device *dev;
	atomic_t refcnt;
	int dead;
	struct in_ifaddr *ifa_list;
	void *mc_list;
	void *mc_hash;
	char pad_mc[64];
	void *arp_parms;
	char cnf[280];
};

struct inet6_ifaddr {
	struct in6_addr addr;
	__u32 prefix_len;
	__u32 rt_priority;
	__u32 valid_lft;
	__u32 prefered_lft;
	atomic_t refcnt;
	spinlock_t lock;
	int state;
	__u32 flags;
	__u8 dad_probes;
	__u8 stable_privacy_retry;
	__u16 scope;
	__u64 dad_nonce;
	unsigned long cstamp;
	unsigned long tstamp;
	char dad_work[88];            /* struct delayed_work */
	struct inet6_dev *idev;
	void *rt;
	struct hlist_node addr_lst;
	struct list_head if_list;
	struct list_head tmp_list;
	struct inet6_ifaddr *ifpub;
	int regen_count;
	_Bool tokenized;
	struct callback_head rcu;
	struct in6_addr peer_addr;
};

struct inet6_dev {
	struct net_device *dev;
	struct list_head addr_list;
	void *mc_list;
	void *mc_tomb;
	char pad_mc[96];
	struct list_head tempaddr_list;
	struct in6_addr token;
	char cnf_and_more[600];
};

struct net_device {
	char name[16];
	struct hlist_node name_hlist;
	void *ifalias;
	unsigned long mem_end;
	unsigned long mem_start;
	unsigned long base_addr;
	int irq;
	unsigned long state;
	struct list_head dev_list;
	struct list_head napi_list;
	struct list_head unreg_list;
	struct list_head close_list;
	char pad_features_stats[440];
	const void *netdev_ops;
	const void *ethtool_ops;
	char pad_flags_mtu_addrs[300];
	void *atalk_ptr;
	struct in_device *ip_ptr;
	void *dn_ptr;
	struct inet6_dev *ip6_ptr;
	void *ax25_ptr;
	char pad_rx_tx[700];
};

/* Loaded modules (ctleak reads their symbol tables and their notes, as
 * /sys/module/M/notes shows them). */
struct attribute {
	const char *name;
	unsigned short mode;
};

struct bin_attribute {
	struct attribute attr;
	unsigned long size;
	void *private;
	void *(*f_mapping)(void);
	long (*read)(void);
	long (*write)(void);
#ifdef SYNTH_BIN_ATTR_LLSEEK
	long (*llseek)(void);            /* 6.12 and 7.3 (72 bytes; 6.1: 64) */
#endif
	int (*mmap)(void);
};

/* A sysfs directory's attributes (include/linux/sysfs.h). */
struct attribute_group {
	const char *name;
	void *is_visible;                /* umode_t (*)(...) */
	void *is_bin_visible;
#ifdef SYNTH_NOTES_BIN_ATTRS
	void *bin_size;                  /* 7.3 (not in 6.12) */
#endif
	struct attribute **attrs;
	const struct bin_attribute *const *bin_attrs;  /* NULL-terminated */
};

#ifdef SYNTH_NOTES_BIN_ATTRS
/* 7.x (measured on 7.3; 6.12 still counts): the group itself, no count;
 * grp.bin_attrs points at each attrs[i] and ends with NULL. */
struct module_notes_attrs {
	struct attribute_group grp;
	struct bin_attribute attrs[];
};
#else
struct module_notes_attrs {
	void *dir;                       /* struct kobject * */
	unsigned int notes;
	struct bin_attribute attrs[];
};
#endif

enum module_state {
	MODULE_STATE_LIVE,
	MODULE_STATE_COMING,
	MODULE_STATE_GOING,
	MODULE_STATE_UNFORMED,
};

#define MODULE_NAME_LEN (64 - sizeof(unsigned long))

typedef struct elf64_sym {
	u32 st_name;
	unsigned char st_info;
	unsigned char st_other;
	u16 st_shndx;
	u64 st_value;
	u64 st_size;
} Elf64_Sym;

/* SLUB and the memmap (ctleak's slab scan reads them). What every
 * generation shares; struct kmem_cache, kmem_cache_cpu, page, slab and enum
 * pageflags are in gen_X.h, each in its generation's shape. */
typedef unsigned int gfp_t;
typedef unsigned long pgoff_t;

struct address_space;
struct kmem_cache_node;
struct mm_struct;
struct dev_pagemap;
struct kset;
struct kobj_type;

struct kref { atomic_t refcount; };

struct kobject {                  /* 64 bytes, as in 3.10 to 6.1 */
	const char *name;
	struct list_head entry;
	struct kobject *parent;
	struct kset *kset;
	struct kobj_type *ktype;
	void *sd;                        /* kernfs_node / sysfs_dirent */
	struct kref kref;
	unsigned int state_initialized:1;
	unsigned int state_in_sysfs:1;
	unsigned int state_add_uevent_sent:1;
	unsigned int state_remove_uevent_sent:1;
	unsigned int uevent_suppress:1;
};

#define MAX_NUMNODES 1024           /* CONFIG_NODES_SHIFT=10 */
/* CONFIG_HAVE_ALIGNED_STRUCT_PAGE (x86-64 with SLUB): cmpxchg_double on
 * freelist + counters needs a 16-byte aligned struct page / slab. */
#define _struct_page_alignment __attribute__((aligned(2 * sizeof(unsigned long))))

/* Conntrack extensions: offset[] locates each one inside the area. */
enum nf_ct_ext_id {
	NF_CT_EXT_HELPER, NF_CT_EXT_NAT, NF_CT_EXT_SEQADJ, NF_CT_EXT_ACCT,
	NF_CT_EXT_ECACHE, NF_CT_EXT_TSTAMP, NF_CT_EXT_TIMEOUT, NF_CT_EXT_LABELS,
	NF_CT_EXT_NUM,
};
struct nf_ct_ext {
	u8 offset[NF_CT_EXT_NUM];
	u8 len;
	char data[0];
};
struct nf_conn_tstamp {
	u64 start;
	u64 stop;
};
/* The wall clock of the kernel. */
#ifdef SYNTH_TK_DATA
/* 7.3 (measured; 6.12 has neither): reordered, xtime_sec at 56, 320 bytes;
 * the timekeeper and its shadow in struct tk_data timekeeper_data[]. */
struct timekeeper {
	char tkr_mono[56];
	u64 xtime_sec;
	unsigned long ktime_sec;
	char more[248];
};
struct tk_data {
	unsigned int seq;                /* seqcount_raw_spinlock_t */
	struct timekeeper timekeeper;
	struct timekeeper shadow_timekeeper;
	raw_spinlock_t lock;
	char cacheline_pad[48];          /* ____cacheline_aligned: 704 bytes */
};
#else
struct timekeeper {
	char tkr_mono[56];
	char tkr_raw[56];
	u64 xtime_sec;
	unsigned long ktime_sec;
};
#endif

/* 5.11+ (kernel/bpf/btf.c, commit 36e68442d1af): each module's BTF copied
 * into a struct btf on the btf_modules list (6.1's order, abridged). Only
 * the generations that define SYNTH_HAS_BTF_MODULES instantiate it, so only
 * their DWARF has it. */
struct btf {
	void *data;
	void **types;
	u32 *resolved_ids;
	u32 *resolved_sizes;
	const char *strings;
	void *nohdr_data;
	char hdr[24];
	u32 nr_types;
	u32 types_size;
	u32 data_size;
	int refcnt;
	u32 id;
	void *rcu[2];
	struct btf *base_btf;
	u32 start_id;
	u32 start_str_off;
	char name[56];
	_Bool kernel_btf;
};
struct btf_module {
	struct list_head list;
	void *module;
	struct btf *btf;
	void *sysfs_attr;
	int flags;
};

/* An expectation: a related connection the helper waits for; it holds a
 * reference on its master entry. */
struct nf_conntrack_expect {
	struct hlist_node lnode;
	struct hlist_node hnode;
	struct nf_conntrack_tuple tuple;
	struct nf_conntrack_tuple mask;
	void (*expectfn)(void *ct, void *exp);
	void *helper;
	struct nf_conn *master;
	char timeout[40];
	unsigned int flags;
	unsigned int class;
};

#endif
