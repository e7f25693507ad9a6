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

#endif
