/* layout.h — the fixed set of type facts ctleak needs, resolved once.
 *
 * Each entry is one question to the type finders (types.h): a type size, a member
 * offset (with bitfield position), or an enumerator value. The answers form
 * a plain table that the kernel model (kmodel.h) interprets. The table is
 * cached on disk keyed by the GNU build-ids of the debug files, so a second
 * run on the same kernel reads no DWARF at all.
 *
 * Some questions are asked only when an earlier answer makes them
 * meaningful ("ct_pcpu.dying" only if netns_ct has pcpu_lists): asking for a
 * type that does not exist costs a scan of every debug file.
 */
#ifndef CTLEAK_LAYOUT_H
#define CTLEAK_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "base/ct_error.h"
#include "types/types.h"

#define CT_LAYOUT_MAX_KEY 1024

/* X(id, kind, question, depends-on id or NONE, wanted presence of it) */
#define CT_LAYOUT_FIELDS(X)                                                          \
	X(NF_CONN, SIZE, "nf_conn", NONE, 1)                                         \
	X(NF_CONN_USE, MEMBER, "nf_conn.ct_general.use", NONE, 1)                   \
	X(NF_CONN_TIMEOUT, MEMBER, "nf_conn.timeout", NONE, 1)                      \
	X(NF_CONN_TIMEOUT_EXPIRES, MEMBER, "nf_conn.timeout.expires", NONE, 1)      \
	X(NF_CONN_ZONE_ID, MEMBER, "nf_conn.zone.id", NONE, 1)                      \
	X(NF_CONN_TUPLEHASH0, MEMBER, "nf_conn.tuplehash[0]", NONE, 1)              \
	X(NF_CONN_TUPLEHASH1, MEMBER, "nf_conn.tuplehash[1]", NONE, 1)              \
	X(NF_CONN_STATUS, MEMBER, "nf_conn.status", NONE, 1)                        \
	X(NF_CONN_CT_NET, MEMBER, "nf_conn.ct_net", NONE, 1)                        \
	X(NF_CONN_CPU, MEMBER, "nf_conn.cpu", NONE, 1)                              \
	X(NF_CONN_MASTER, MEMBER, "nf_conn.master", NONE, 1)                        \
	X(NF_CONN_MARK, MEMBER, "nf_conn.mark", NONE, 1)                            \
	X(NF_CONN_EXT, MEMBER, "nf_conn.ext", NONE, 1)                              \
	X(NF_CONN_TCP_STATE, MEMBER, "nf_conn.proto.tcp.state", NONE, 1)           \
	X(TUPLE_HASH, SIZE, "nf_conntrack_tuple_hash", NONE, 1)                     \
	X(TUPLE_HASH_NODE, MEMBER, "nf_conntrack_tuple_hash.hnnode", NONE, 1)       \
	X(TUPLE_HASH_TUPLE, MEMBER, "nf_conntrack_tuple_hash.tuple", NONE, 1)       \
	X(TUPLE_SRC_U3, MEMBER, "nf_conntrack_tuple.src.u3", NONE, 1)               \
	X(TUPLE_SRC_PORT, MEMBER, "nf_conntrack_tuple.src.u.all", NONE, 1)          \
	X(TUPLE_SRC_L3NUM, MEMBER, "nf_conntrack_tuple.src.l3num", NONE, 1)         \
	X(TUPLE_DST_U3, MEMBER, "nf_conntrack_tuple.dst.u3", NONE, 1)               \
	X(TUPLE_DST_PORT, MEMBER, "nf_conntrack_tuple.dst.u.all", NONE, 1)          \
	X(TUPLE_DST_PROTONUM, MEMBER, "nf_conntrack_tuple.dst.protonum", NONE, 1)   \
	X(TUPLE_DST_DIR, MEMBER, "nf_conntrack_tuple.dst.dir", NONE, 1)             \
	X(NULLS_NODE_NEXT, MEMBER, "hlist_nulls_node.next", NONE, 1)                \
	X(NULLS_NODE_PPREV, MEMBER, "hlist_nulls_node.pprev", NONE, 1)              \
	X(NET_LIST, MEMBER, "net.list", NONE, 1)                                    \
	X(NET_NS_INUM, MEMBER, "net.ns.inum", NONE, 1)                              \
	X(NET_PROC_INUM, MEMBER, "net.proc_inum", NET_NS_INUM, 0)                   \
	X(NET_GEN, MEMBER, "net.gen", NONE, 1)                                      \
	X(NET_CT, MEMBER, "net.ct", NONE, 1)                                        \
	X(NETNS_CT_COUNT, MEMBER, "netns_ct.count", NONE, 1)                        \
	X(NETNS_CT_PCPU_LISTS, MEMBER, "netns_ct.pcpu_lists", NONE, 1)              \
	X(NETNS_CT_UNCONFIRMED, MEMBER, "netns_ct.unconfirmed", NONE, 1)            \
	X(NETNS_CT_DYING, MEMBER, "netns_ct.dying", NONE, 1)                        \
	X(NETNS_CT_TMPL, MEMBER, "netns_ct.tmpl", NONE, 1)                          \
	X(NETNS_CT_HASH, MEMBER, "netns_ct.hash", NONE, 1)                          \
	X(NETNS_CT_HTABLE_SIZE, MEMBER, "netns_ct.htable_size", NONE, 1)            \
	X(NETNS_CT_CACHEP, MEMBER, "netns_ct.nf_conntrack_cachep", NONE, 1)         \
	X(CT_PCPU, SIZE, "ct_pcpu", NETNS_CT_PCPU_LISTS, 1)                         \
	X(CT_PCPU_UNCONFIRMED, MEMBER, "ct_pcpu.unconfirmed", NETNS_CT_PCPU_LISTS, 1) \
	X(CT_PCPU_DYING, MEMBER, "ct_pcpu.dying", NETNS_CT_PCPU_LISTS, 1)           \
	X(CT_PCPU_TMPL, MEMBER, "ct_pcpu.tmpl", NETNS_CT_PCPU_LISTS, 1)             \
	X(CTNET_COUNT, MEMBER, "nf_conntrack_net.count", NETNS_CT_COUNT, 0)         \
	X(CTNET_ECACHE_DYING, MEMBER, "nf_conntrack_net.ecache.dying_list", NETNS_CT_COUNT, 0) \
	X(NET_GENERIC_S, MEMBER, "net_generic.s", NONE, 1)                          \
	X(NET_GENERIC_S_LEN, MEMBER, "net_generic.s.len", NET_GENERIC_S, 1)         \
	X(NET_GENERIC_LEN, MEMBER, "net_generic.len", NET_GENERIC_S, 0)             \
	X(NET_GENERIC_PTR, MEMBER, "net_generic.ptr", NONE, 1)                      \
	X(SKB_NFCT_WORD, MEMBER, "sk_buff._nfct", NONE, 1)                          \
	X(SKB_NFCT_PTR, MEMBER, "sk_buff.nfct", SKB_NFCT_WORD, 0)                   \
	X(SKB_NFCTINFO, MEMBER, "sk_buff.nfctinfo", SKB_NFCT_WORD, 0)               \
	X(IPS_EXPECTED_BIT, ENUM, "IPS_EXPECTED_BIT", NONE, 1)                      \
	X(IPS_SEEN_REPLY_BIT, ENUM, "IPS_SEEN_REPLY_BIT", NONE, 1)                  \
	X(IPS_ASSURED_BIT, ENUM, "IPS_ASSURED_BIT", NONE, 1)                        \
	X(IPS_CONFIRMED_BIT, ENUM, "IPS_CONFIRMED_BIT", NONE, 1)                    \
	X(IPS_DYING_BIT, ENUM, "IPS_DYING_BIT", NONE, 1)                            \
	X(IPS_TEMPLATE_BIT, ENUM, "IPS_TEMPLATE_BIT", NONE, 1)                      \
	X(IPS_UNTRACKED_BIT, ENUM, "IPS_UNTRACKED_BIT", NONE, 1)                    \
	X(IPS_OFFLOAD_BIT, ENUM, "IPS_OFFLOAD_BIT", NONE, 1)                        \
	X(IP_CT_DIR_REPLY, ENUM, "IP_CT_DIR_REPLY", NONE, 1)                        \
	X(MODULE_LIST, MEMBER, "module.list", NONE, 1)                              \
	X(MODULE_NAME, MEMBER, "module.name", NONE, 1)                              \
	X(MODULE_STATE, MEMBER, "module.state", NONE, 1)                            \
	X(MODULE_KALLSYMS, MEMBER, "module.kallsyms", NONE, 1)                      \
	X(MOD_KALLSYMS_SYMTAB, MEMBER, "mod_kallsyms.symtab", MODULE_KALLSYMS, 1)   \
	X(MOD_KALLSYMS_NUM, MEMBER, "mod_kallsyms.num_symtab", MODULE_KALLSYMS, 1)  \
	X(MOD_KALLSYMS_STRTAB, MEMBER, "mod_kallsyms.strtab", MODULE_KALLSYMS, 1)   \
	X(MODULE_SYMTAB, MEMBER, "module.symtab", MODULE_KALLSYMS, 0)               \
	X(MODULE_NUM_SYMTAB, MEMBER, "module.num_symtab", MODULE_KALLSYMS, 0)       \
	X(MODULE_STRTAB, MEMBER, "module.strtab", MODULE_KALLSYMS, 0)               \
	X(NET_DEV_BASE_HEAD, MEMBER, "net.dev_base_head", NONE, 1)                  \
	X(NETDEV_DEV_LIST, MEMBER, "net_device.dev_list", NONE, 1)                  \
	X(NETDEV_IP_PTR, MEMBER, "net_device.ip_ptr", NONE, 1)                      \
	X(NETDEV_IP6_PTR, MEMBER, "net_device.ip6_ptr", NONE, 1)                    \
	X(IN_DEVICE_IFA_LIST, MEMBER, "in_device.ifa_list", NONE, 1)                \
	X(IN_IFADDR_NEXT, MEMBER, "in_ifaddr.ifa_next", NONE, 1)                    \
	X(IN_IFADDR_LOCAL, MEMBER, "in_ifaddr.ifa_local", NONE, 1)                  \
	X(INET6_DEV_ADDR_LIST, MEMBER, "inet6_dev.addr_list", NONE, 1)              \
	X(INET6_IFADDR_IF_LIST, MEMBER, "inet6_ifaddr.if_list", NONE, 1)            \
	X(INET6_IFADDR_ADDR, MEMBER, "inet6_ifaddr.addr", NONE, 1)                  \
	X(MODULE_NOTES_ATTRS, MEMBER, "module.notes_attrs", NONE, 1)                \
	X(NOTES_ATTRS_NOTES, MEMBER, "module_notes_attrs.notes", MODULE_NOTES_ATTRS, 1) \
	X(NOTES_ATTRS_ATTRS, MEMBER, "module_notes_attrs.attrs", MODULE_NOTES_ATTRS, 1) \
	X(NOTES_ATTRS_BIN_ATTRS, MEMBER, "module_notes_attrs.grp.bin_attrs", NOTES_ATTRS_NOTES, 0) \
	X(BIN_ATTRIBUTE, SIZE, "bin_attribute", MODULE_NOTES_ATTRS, 1)              \
	X(BIN_ATTRIBUTE_NAME, MEMBER, "bin_attribute.attr.name", MODULE_NOTES_ATTRS, 1) \
	X(BIN_ATTRIBUTE_SIZE, MEMBER, "bin_attribute.size", MODULE_NOTES_ATTRS, 1)  \
	X(BIN_ATTRIBUTE_PRIVATE, MEMBER, "bin_attribute.private", MODULE_NOTES_ATTRS, 1) \
	X(KMEM_CACHE_CPU_SLAB, MEMBER, "kmem_cache.cpu_slab", NONE, 1)              \
	X(KMEM_CACHE_SIZE, MEMBER, "kmem_cache.size", NONE, 1)                      \
	X(KMEM_CACHE_OBJECT_SIZE, MEMBER, "kmem_cache.object_size", NONE, 1)        \
	X(KMEM_CACHE_OFFSET, MEMBER, "kmem_cache.offset", NONE, 1)                  \
	X(KMEM_CACHE_OO, MEMBER, "kmem_cache.oo", NONE, 1)                          \
	X(KMEM_CACHE_RED_LEFT_PAD, MEMBER, "kmem_cache.red_left_pad", NONE, 1)      \
	X(KMEM_CACHE_RANDOM, MEMBER, "kmem_cache.random", NONE, 1)                  \
	X(KMEM_CACHE_CPU_FREELIST, MEMBER, "kmem_cache_cpu.freelist", NONE, 1)      \
	X(KMEM_CACHE_CPU_SLAB_PTR, MEMBER, "kmem_cache_cpu.slab", NONE, 1)          \
	X(KMEM_CACHE_CPU_PAGE, MEMBER, "kmem_cache_cpu.page", KMEM_CACHE_CPU_SLAB_PTR, 0) \
	X(STRUCT_SLAB, SIZE, "struct slab", NONE, 1)                                \
	X(SLAB_SLAB_CACHE, MEMBER, "struct slab.slab_cache", STRUCT_SLAB, 1)        \
	X(SLAB_FREELIST, MEMBER, "struct slab.freelist", STRUCT_SLAB, 1)            \
	X(SLAB_OBJECTS, MEMBER, "struct slab.objects", STRUCT_SLAB, 1)              \
	X(STRUCT_PAGE, SIZE, "struct page", NONE, 1)                                \
	X(PAGE_FLAGS, MEMBER, "page.flags", NONE, 1)                                \
	X(PAGE_COMPOUND_HEAD, MEMBER, "page.compound_head", NONE, 1)                \
	X(PAGE_COMPOUND_INFO, MEMBER, "page.compound_info", PAGE_COMPOUND_HEAD, 0)  \
	X(PAGE_SLAB_CACHE, MEMBER, "page.slab_cache", STRUCT_SLAB, 0)               \
	X(PAGE_FREELIST, MEMBER, "page.freelist", STRUCT_SLAB, 0)                   \
	X(PAGE_OBJECTS, MEMBER, "page.objects", STRUCT_SLAB, 0)                     \
	X(PG_SLAB, ENUM, "PG_slab", NONE, 1)                                        \
	X(PG_HEAD, ENUM, "PG_head", NONE, 1)                                        \
	X(PG_TAIL, ENUM, "PG_tail", PAGE_COMPOUND_INFO, 0)                          \
	X(PAGE_TYPE, MEMBER, "page.page_type", PG_SLAB, 0)                          \
	X(PGTY_SLAB, ENUM, "PGTY_slab", PG_SLAB, 0)                                 \
	X(KMEM_CACHE_CPU_SHEAVES, MEMBER, "kmem_cache.cpu_sheaves", NONE, 1)        \
	X(PCS_MAIN, MEMBER, "slub_percpu_sheaves.main", KMEM_CACHE_CPU_SHEAVES, 1)  \
	X(PCS_SPARE, MEMBER, "slub_percpu_sheaves.spare", KMEM_CACHE_CPU_SHEAVES, 1) \
	X(PCS_RCU_FREE, MEMBER, "slub_percpu_sheaves.rcu_free", KMEM_CACHE_CPU_SHEAVES, 1) \
	X(SHEAF_SIZE, MEMBER, "slab_sheaf.size", KMEM_CACHE_CPU_SHEAVES, 1)         \
	X(KMEM_CACHE_SHEAF_CAPACITY, MEMBER, "kmem_cache.sheaf_capacity", KMEM_CACHE_CPU_SHEAVES, 1) \
	X(SHEAF_OBJECTS, MEMBER, "slab_sheaf.objects", KMEM_CACHE_CPU_SHEAVES, 1)   \
	X(SHEAF_BARN_LIST, MEMBER, "slab_sheaf.barn_list", KMEM_CACHE_CPU_SHEAVES, 1) \
	X(KMEM_CACHE_PER_NODE, MEMBER, "kmem_cache.per_node", KMEM_CACHE_CPU_SHEAVES, 1) \
	X(PER_NODE_PTRS, SIZE, "kmem_cache_per_node_ptrs", KMEM_CACHE_PER_NODE, 1)  \
	X(PER_NODE_BARN, MEMBER, "kmem_cache_per_node_ptrs.barn", KMEM_CACHE_PER_NODE, 1) \
	X(KMEM_CACHE_NODE, MEMBER, "kmem_cache.node", KMEM_CACHE_PER_NODE, 0)       \
	X(KMEM_CACHE_NODE_BARN, MEMBER, "kmem_cache_node.barn", KMEM_CACHE_PER_NODE, 0) \
	X(BARN_SHEAVES_FULL, MEMBER, "node_barn.sheaves_full", KMEM_CACHE_CPU_SHEAVES, 1) \
	X(KMEM_CACHE_NAME, MEMBER, "kmem_cache.name", NONE, 1)                      \
	X(KMEM_CACHE_LIST, MEMBER, "kmem_cache.list", NONE, 1)                      \
	X(SK_BUFF, SIZE, "sk_buff", NONE, 1)                                        \
	X(SKB_DEV, MEMBER, "sk_buff.dev", NONE, 1)                                  \
	X(SKB_LEN, MEMBER, "sk_buff.len", NONE, 1)                                  \
	X(NETDEV_NAME, MEMBER, "net_device.name", NONE, 1)                          \
	X(NFQ_NET_TABLE, MEMBER, "nfnl_queue_net.instance_table", NONE, 1)          \
	X(NFQ_INST_HLIST, MEMBER, "nfqnl_instance.hlist", NFQ_NET_TABLE, 1)         \
	X(NFQ_INST_LIST, MEMBER, "nfqnl_instance.queue_list", NFQ_NET_TABLE, 1)     \
	X(NFQ_INST_NUM, MEMBER, "nfqnl_instance.queue_num", NFQ_NET_TABLE, 1)       \
	X(NFQ_INST_PORTID, MEMBER, "nfqnl_instance.peer_portid", NFQ_NET_TABLE, 1)  \
	X(NFQ_INST_TOTAL, MEMBER, "nfqnl_instance.queue_total", NFQ_NET_TABLE, 1)   \
	X(NFQ_ENTRY_LIST, MEMBER, "nf_queue_entry.list", NFQ_NET_TABLE, 1)          \
	X(NFQ_ENTRY_SKB, MEMBER, "nf_queue_entry.skb", NFQ_NET_TABLE, 1)            \
	X(NFQ_ENTRY_ID, MEMBER, "nf_queue_entry.id", NFQ_NET_TABLE, 1)              \
	X(NFQ_ENTRY_HOOK, MEMBER, "nf_queue_entry.state.hook", NFQ_NET_TABLE, 1)    \
	X(NFQ_ENTRY_HOOK_OLD, MEMBER, "nf_queue_entry.hook", NFQ_ENTRY_HOOK, 0)     \
	X(NET_NS_OPS, MEMBER, "net.ns.ops", NET_NS_INUM, 1)                         \
	X(EXPECT_MASTER, MEMBER, "nf_conntrack_expect.master", NONE, 1)            \
	X(SKB_SK, MEMBER, "sk_buff.sk", NONE, 1)                                    \
	X(CT_EXT_OFFSET, MEMBER, "nf_ct_ext.offset", NONE, 1)                       \
	X(CT_EXT_TSTAMP, ENUM, "NF_CT_EXT_TSTAMP", NONE, 1)                         \
	X(TSTAMP_START, MEMBER, "nf_conn_tstamp.start", NONE, 1)                    \
	X(TK_XTIME_SEC, MEMBER, "timekeeper.xtime_sec", NONE, 1)                    \
	X(TK_DATA_TIMEKEEPER, MEMBER, "tk_data.timekeeper", TK_XTIME_SEC, 1)      \
	X(BTF_MODULE_LIST, MEMBER, "btf_module.list", NONE, 1)                      \
	X(BTF_MODULE_BTF, MEMBER, "btf_module.btf", BTF_MODULE_LIST, 1)             \
	X(BTF_DATA, MEMBER, "btf.data", BTF_MODULE_LIST, 1)                         \
	X(BTF_DATA_SIZE, MEMBER, "btf.data_size", BTF_MODULE_LIST, 1)               \
	X(BTF_NAME, MEMBER, "btf.name", BTF_MODULE_LIST, 1)

enum ct_layout_id {
#define CT_LAYOUT_ENUM(id, kind, q, dep, want) CTL_##id,
	CT_LAYOUT_FIELDS(CT_LAYOUT_ENUM)
#undef CT_LAYOUT_ENUM
	CTL__COUNT,
	CTL_NONE = -1
};

enum ct_layout_kind { CTL_KIND_SIZE, CTL_KIND_MEMBER, CTL_KIND_ENUM };

struct ct_layout_def {
	const char *key;       /* "NF_CONN_USE" */
	enum ct_layout_kind kind;
	const char *question;  /* "nf_conn.ct_general.use" */
	int depends_on;        /* CTL_NONE or an id asked before this one */
	int depends_present;   /* ask only if that id's presence equals this */
};

extern const struct ct_layout_def ct_layout_defs[CTL__COUNT];

enum ct_layout_state {
	CTL_ABSENT = 0,  /* asked; the kernel has no such thing */
	CTL_PRESENT = 1,
	CTL_NOT_ASKED = 2, /* its dependency made the question meaningless */
};

struct ct_layout_entry {
	uint8_t state;
	uint8_t kind;            /* enum ct_type_kind of a member's type */
	uint32_t bit_offset, bit_size;
	int64_t value;           /* size, offset or enumerator value */
	uint64_t size;           /* member size */
	char type_name[64];
};

struct ct_layout {
	struct ct_layout_entry e[CTL__COUNT];
	char source[12];         /* "dwarf", "btf", "dwarf+btf", or "cache" */
	char origin[12];         /* where the answers came from: "dwarf", "btf" or
				  * "dwarf+btf" (also when read from the cache) */
	char cache_path[1024];   /* "" when not cached */
};

static inline int ct_layout_has(const struct ct_layout *l, enum ct_layout_id id)
{
	return l->e[id].state == CTL_PRESENT;
}

static inline int64_t ct_layout_val(const struct ct_layout *l, enum ct_layout_id id)
{
	return l->e[id].value;
}

/* Ask every question of the table. A question that cannot be answered
 * because the debug file is broken (not because the thing is absent) fails
 * the whole resolution. */
ct_status ct_layout_resolve(struct ct_types *t, struct ct_layout *out,
			    struct ct_error *err);

/* Where the answers come from: DWARF debug files (modules first, vmlinux
 * last; see types.h), BTF blobs (vmlinux's first, then modules' split on
 * it; btf_flags as ct_types_add_btf), or both: the BTF finder is then asked
 * first (with CT_BTF_MODULES_ONLY it answers only for the modules' names). */
struct ct_type_sources {
	const char *const *files;
	unsigned nfiles;
	const struct ct_btf_blob *btf;
	unsigned nbtf;
	unsigned btf_flags;
};

/* The cache file name for these sources in dir: the debug files' build-ids
 * and the BTF's own identity (ct_btf_identity). CT_ERR_NOTFOUND when a
 * file has no build-id (nothing is then cached). */
ct_status ct_layout_cache_path_of(const struct ct_type_sources *src, const char *dir,
				  char *path, size_t size, struct ct_error *err);
/* The same for DWARF files alone. */
ct_status ct_layout_cache_path(const char *const *files, unsigned nfiles,
			       const char *dir, char *path, size_t size,
			       struct ct_error *err);
ct_status ct_layout_cache_read(const char *path, struct ct_layout *out,
			       struct ct_error *err);
ct_status ct_layout_cache_write(const char *path, const struct ct_layout *l,
				struct ct_error *err);

/* layouts/ under $CTLEAK_CACHE, else $XDG_CACHE_HOME/ctleak, else
 * $HOME/.cache/ctleak. */
void ct_layout_default_cache_dir(char *buf, size_t size);

/* The whole job: from cache if a valid entry exists (no DWARF is read),
 * else from DWARF, writing the cache. cache_dir NULL disables caching.
 * files: module debug files first, vmlinux last (see types.h). */
ct_status ct_layout_load(const char *const *files, unsigned nfiles,
			 const char *cache_dir, struct ct_layout *out,
			 struct ct_error *err);
/* The same from any sources. */
ct_status ct_layout_load_sources(const struct ct_type_sources *src, const char *cache_dir,
				 struct ct_layout *out, struct ct_error *err);

#endif
