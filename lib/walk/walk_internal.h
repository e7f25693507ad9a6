/* walk_internal.h — the state shared by the walker's files. */
#ifndef CTLEAK_WALK_INTERNAL_H
#define CTLEAK_WALK_INTERNAL_H

#include "base/u64map.h"
#include "base/vec.h"
#include "walk/walk.h"

#define CT_MAX_NETNS_WALK 1000000
/* Nodes in one hash chain or list: no more nf_conn than memory holds
 * (max_pfn pages / sizeof(struct nf_conn)); CT_MAX_CHAIN when max_pfn is
 * unknown. A longer walk is a loop Brent's check has not caught yet. */
#define CT_MAX_CHAIN (64ull << 20)
#define CT_MAX_BUCKETS (1u << 28)   /* 268M buckets: 2 GiB of heads */
#define CT_MAX_ADDRS 64             /* local addresses kept per netns */
#define CT_MAX_DEVICES 100000
#define CT_MAX_DEFERRED (64u << 20)  /* hashed entries waiting to be read in order */
#define CT_LIVE_REWALKS 4           /* a chain that moved: walked again at most so often */
#define CT_MAX_SKB_REFS (4u << 20)  /* skbs and related entries holding an entry, each */

struct walk_netns {
	uint64_t net;
	uint32_t inum;
	bool cleanup;           /* off net_namespace_list: being torn down */
	uint64_t ctnet;         /* nf_conntrack_net of this netns, 0 if none */
	unsigned n4, n6;
	uint32_t v4[CT_MAX_ADDRS];       /* network byte order */
	uint8_t v6[CT_MAX_ADDRS][16];
};

struct walk {
	struct ct_program *p;
	struct ct_target *t;    /* p->mem, the memory every read goes to */
	const struct ct_kmodel *m;
	const struct ct_walk_opts *o;
	struct ct_report *r;
	struct walk_netns *ns;
	size_t nns, cap_ns;
	struct ct_u64map netns_map; /* net address -> index in ns */
	bool have_jiffies;
	uint64_t jiffies;
	unsigned hz;            /* 0: unknown */
	bool have_now;
	int64_t now_sec;        /* the dump's wall clock (timekeeper.xtime_sec) */
	unsigned char *conn;    /* one nf_conn */
	uint64_t entries_seen;
	uint64_t expected;      /* sum of the counts read: the progress line's total */
	double started, last_print; /* the progress line's clock (walk_progress.c) */
	double rate_started;    /* when the first entries were counted */
	uint64_t rate_base;     /* entries counted then */
	bool printed;           /* a progress line is on the terminal */
	uint64_t max_chain;     /* see CT_MAX_CHAIN */
	bool stop;              /* interrupted: finish at once */
	bool rewalk;            /* walking a moved chain again (live): entries
				 * met again then do not count as met_twice */
	uint64_t met_again;     /* dump: nf_conn met a second time (walk_list names them) */
	struct ct_vec skb_refs;         /* struct skb_ref: skbs holding an entry */
	struct ct_vec pending;          /* uint64_t: slab objects met by no table or list */
	struct ct_vec child_refs;       /* struct skb_ref: {child or expectation, its master} */
	uint32_t net_id;        /* nf_conntrack_net_id, when have_net_id */
	bool have_net_id;
	struct ct_u64map seen;  /* nf_conn addresses met */
	bool indexing;          /* the slab scan runs for walk_index: silent */
	struct node_index *index; /* hash nodes read ahead in memory order, or NULL */
};

struct skb_ref {
	uint64_t skb, ct;
};

/* walk_netns.c. The containers of struct walk set up (once max_chain is
 * known: it bounds the nf_conn met) and released. */
void walk_state_init(struct walk *w);
void walk_state_free(struct walk *w);
ct_status walk_namespaces(struct walk *w, struct ct_error *err);
struct walk_netns *walk_netns_of(struct walk *w, uint64_t net);
bool walk_first_visit(struct walk *w, uint64_t ct);
bool walk_seen(const struct walk *w, uint64_t ct);
/* A struct net met through an object only: a namespace off
 * net_namespace_list, i.e. being torn down. NULL if net is no netns. */
struct walk_netns *walk_cleanup_netns(struct walk *w, uint64_t net);
bool walk_is_local(const struct walk_netns *ns, unsigned l3, const uint8_t *addr);

/* walk_conn.c: read the nf_conn at ct, found as `where` (in the list of
 * netns `owner`, or NULL for the global hash), count and maybe keep it. */
void walk_conn(struct walk *w, uint64_t ct, enum ct_found_in where, int cpu,
	       struct walk_netns *owner);
/* Is the nf_conn at ct (its bytes in c) linked into a hash chain now? */
bool walk_conn_is_hashed(struct walk *w, uint64_t ct, const unsigned char *c);

/* walk_live.c: on a running kernel, look again at every kept suspect and
 * drop those that changed since they were read: in flight, not leaked. */
void walk_live_second_look(struct walk *w);

/* walk_slab.c: every allocated object of the nf_conntrack cache not met
 * yet. walk_slab collects them, walk_slab_discover adds the namespaces in
 * teardown they belong to (so that their lists can be walked), and
 * walk_slab_finish classifies what is still unseen as found in the slab. */
#define CT_MAX_PENDING (64u << 20)
struct slub;
typedef void (*slab_object_fn)(struct walk *w, struct slub *s, uint64_t obj);
/* index_object NULL: the scan proper. Else only the conntrack caches, each
 * allocated object handed to index_object, silently (walk_index.c). */
void walk_slab(struct walk *w, slab_object_fn index_object);
void walk_slab_discover(struct walk *w);
/* The distance between two objects of the cache s scans. */
uint64_t walk_slub_stride(const struct slub *s);
/* Map lookups miss the caches (a 24 MB node index, a 16 MB seen set at 1M
 * entries): a loop over known keys (or, in slab order, objects at a known
 * stride) starts the one this many ahead. */
#define PREFETCH_AHEAD 16
/* How far ahead, in entries, a pass reading nf_conn in address order
 * hints them to the Target (its read-ahead: page_cache.h): a few pages. */
#define READ_AHEAD_ENTRIES 1024
void walk_slab_finish(struct walk *w);

/* walk_holders.c: remember an skb's entry (during the slab scan), then
 * name the holders of suspect entries: skbs and NFQUEUE packets. */
void walk_note_skb(struct walk *w, uint64_t skb);
/* An entry or an expectation (kind) that holds master. */
void walk_note_master(struct walk *w, uint64_t holder, uint64_t master, bool expectation);
void walk_holders(struct walk *w);

/* walk_index.c: on a dump (not a running kernel, whose nodes move), read
 * every allocated nf_conn's two hash nodes in one pass over the slab, in
 * memory order, so that the hash walk follows its chains in memory. */
void walk_index_build(struct walk *w);
/* The seen set's slot for ct, fetched ahead of walk_first_visit. */
void walk_seen_prefetch(const struct walk *w, uint64_t ct);
/* The entries the namespaces' counters add up to, at most CT_MAX_PRESIZE:
 * what the maps of a walk are sized for at once (no doubling, no old and
 * new table side by side). A counter is the dump's word: a corrupt one
 * costs no more than the bound. */
#define CT_MAX_PRESIZE (4u << 20)
uint64_t walk_expected_entries(const struct walk *w);
/* The dir and next pointer of the hash node at node, if indexed. */
bool walk_index_node(const struct walk *w, uint64_t node, unsigned *dir, uint64_t *next);
/* What walk_index_node(node) will look at, fetched ahead: the granule
 * table's slot, or (records, once the slot is fetched) the records. */
void walk_index_prefetch(const struct walk *w, uint64_t node, bool records);
void walk_index_free(struct walk *w);

/* walk_tables.c */
void walk_hash(struct walk *w, uint64_t hash, uint64_t size, struct walk_netns *owner);
void walk_list(struct walk *w, uint64_t head, enum ct_found_in where, int cpu,
	       struct walk_netns *owner);

/* walk_progress.c: the progress line (a no-op unless o->progress). */
void walk_progress_start(struct walk *w);
void walk_progress_entry(struct walk *w);  /* after each entry counted */
void walk_progress_pages(struct walk *w, uint64_t pfn, uint64_t max_pfn);
void walk_progress_end(struct walk *w);    /* the last line, and a newline */

#endif
