/* report.h — what a walk found, collected once and rendered by render.h.
 *
 * Walkers fill a ct_report: one ct_netns per network namespace (including
 * namespaces stuck in teardown, marked cleanup), one ct_entry per conntrack
 * entry worth listing, and one line per problem met on the way. Nothing here
 * reads a dump; renderers never walk one.
 *
 * Every array grows on demand up to a cap, because the number of entries and
 * namespaces comes from a possibly corrupt dump; what is dropped past a cap
 * is counted and reported, never silently lost.
 */
#ifndef CTLEAK_REPORT_H
#define CTLEAK_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/ct_error.h"
#include "kernel/kmodel.h"
#include "report/entry_store.h"

enum ct_found_in {
	CT_FOUND_HASH,          /* the confirmed hash table */
	CT_FOUND_UNCONFIRMED,   /* an unconfirmed list (per-netns or per-CPU) */
	CT_FOUND_DYING,         /* a dying list (per-netns or per-CPU) */
	CT_FOUND_ECACHE_DYING,  /* nf_conntrack_net.ecache.dying_list (5.19+) */
	CT_FOUND_TEMPLATE_LIST, /* a template list (3.10–4.2) */
	CT_FOUND_SLAB,          /* only in the slab cache: on no list at all */
};

enum ct_entry_state {
	CT_STATE_CONFIRMED,     /* hashed, alive */
	CT_STATE_UNCONFIRMED,   /* no IPS_CONFIRMED: between creation and confirm hook */
	CT_STATE_DYING,         /* IPS_DYING: deleted, still referenced */
	CT_STATE_ORPHANED,      /* bits say confirmed and alive, yet no table holds it */
	CT_STATE_TEMPLATE,      /* IPS_TEMPLATE */
	CT_STATE_TRANSITION,    /* allocated with refcount 0: being built or freed */
};

/* Decoded status flags (the raw word is kept too). */
enum {
	CT_F_SEEN_REPLY = 1u << 0,
	CT_F_ASSURED = 1u << 1,
	CT_F_CONFIRMED = 1u << 2,
	CT_F_DYING = 1u << 3,
	CT_F_TEMPLATE = 1u << 4,
	CT_F_UNTRACKED = 1u << 5,
	CT_F_OFFLOAD = 1u << 6,
	CT_F_HW_OFFLOAD = 1u << 7,
};

#define CT_MAX_REASONS 4
#define CT_MAX_HOLDERS 4

struct ct_holder {
	char kind[8];          /* "skb", "nfqueue" */
	uint64_t addr;         /* the sk_buff, or the nf_queue_entry */
	char detail[72];       /* "len 28 dev lo", "queue 0 packet id 3 hook POST_ROUTING" */
};

struct ct_tuple {
	uint16_t l3num;        /* AF_INET 2, AF_INET6 10 */
	uint8_t protonum;
	uint8_t src[16], dst[16];
	uint8_t src_u[2];      /* src.u as stored: port or ICMP id, big-endian */
	uint8_t dst_u[2];      /* dst.u: port, or ICMP type and code */
};

struct ct_entry {
	uint64_t addr;         /* the nf_conn */
	uint64_t net;          /* its struct net */
	uint32_t netns_inum;
	struct ct_tuple orig, reply;
	uint64_t status;       /* raw nf_conn.status */
	unsigned flags;        /* CT_F_* */
	uint32_t use;          /* reference count */
	bool timeout_known;
	int64_t timeout_secs;  /* seconds left; /proc prints 0 when unconfirmed */
	uint32_t mark;
	uint16_t zone;
	int cpu;               /* the per-CPU list it is on, -1 if none */
	enum ct_found_in found_in;
	enum ct_entry_state state;
	bool age_known;
	int64_t age_secs;      /* wall-clock age from the timestamp extension */
	char l4state[16];      /* "ESTABLISHED" for TCP, "" otherwise */
	char last_hook[24];    /* "" when unknown */
	char next_hook[24];    /* the confirm hook it has not reached, "" if n/a */
	char last_hook_evidence[48]; /* how last_hook was decided */
	bool suspect;
	bool nfqueued;         /* a packet of it waits in NFQUEUE nfqueue */
	uint16_t nfqueue;
	unsigned nreasons;
	char reasons[CT_MAX_REASONS][96];
	unsigned nholders, holders_total;
	struct ct_holder holders[CT_MAX_HOLDERS];
};

struct ct_nfqueue {
	uint32_t netns_inum;
	uint32_t queue, portid, total;
	uint64_t addr;         /* the nfqnl_instance */
};

struct ct_netns {
	uint64_t net;
	uint32_t inum;
	bool cleanup;          /* off net_namespace_list: teardown in progress */
	bool count_known;
	int64_t count;         /* the kernel's own counter */
	uint64_t hashed, unconfirmed, dying, ecache_dying, templates, slab_only;
	uint64_t suspects;
	uint64_t orphaned;     /* confirmed, alive, in no table */
};

/* A problem met on the way, or a note (something missing that the run
 * could do without). status is its kind, the ct_status it came from: a
 * script tells memory the dump left out (CT_ERR_FAULT, "fault") from an
 * address that means nothing (CT_ERR_BADADDR) and from data that makes no
 * sense (CT_ERR_CORRUPT) by ct_status_code(status). */
struct ct_problem {
	ct_status status;
	char *what;
	uint64_t addr;         /* 0 when no address is involved */
};

/* Why a report is not a full account of the kernel's entries: something the
 * accounting depends on could not be read or understood. Rendered first
 * ("INCOMPLETE: ..." lines; JSON "complete": false and "incomplete"[]) and
 * turned into exit status 3. code is one of the CT_INC_* strings below, a
 * stable name scripts may test; what is one sentence. */
struct ct_incomplete {
	const char *code;
	char *what;
};

#define CT_INC_SLAB_SCAN "slab_scan"          /* slab scan impossible, or slabs not classified */
#define CT_INC_MODULE "module_unverified"     /* debug file not checked against the loaded module */
#define CT_INC_NOT_IN_DUMP "not_in_dump"      /* conntrack memory the dump left out */
#define CT_INC_COUNT "count_unknown"          /* a namespace's counter unreadable or implausible */
#define CT_INC_UNACCOUNTED "unaccounted"      /* count != everything found */
#define CT_INC_LISTS "lists_not_walked"       /* per-CPU lists could not be walked */
#define CT_INC_DROPPED "entries_dropped"      /* more entries than could be kept */

#define CT_REPORT_MAX_INCOMPLETE 64

#define CT_REPORT_MAX_NETNS 1000000
#define CT_REPORT_MAX_PROBLEMS 1000
#define CT_REPORT_MAX_NOTES 16

struct ct_report {
	char osrelease[65];
	char target_kind[16];
	const struct ct_kmodel *model;  /* not owned; may be NULL */
	struct ct_netns *netns;
	size_t n_netns, cap_netns;
	/* The kept entries: full records for those with something to say
	 * (suspects: reasons, holders, hooks, an age), in walk order, and
	 * every other listed entry in the compact store (entry_store.h), in
	 * walk order. Read both with ct_report_next_entry. */
	struct ct_entry *entries;
	size_t n_entries, cap_entries;
	struct ct_entry_store listed;
	size_t max_entries;             /* cap on kept entries, both kinds */
	uint64_t dropped_entries;
	struct ct_problem *problems;
	size_t n_problems, cap_problems;
	uint64_t dropped_problems;
	/* What the run did without (a debug file not found): said once,
	 * before the report; in JSON "notes". */
	struct ct_problem *notes;
	size_t n_notes, cap_notes;
	struct ct_incomplete *incomplete;
	size_t n_incomplete, cap_incomplete;
	uint64_t dropped_incomplete;
	uint64_t entries_not_in_dump;   /* nf_conn that could not be read: page left out */
	/* Reads of the walk that met memory left out of the dump, and the
	 * first address (a dump filtered too hard: the hash, a namespace, an
	 * skb may have been there). */
	uint64_t faults, first_fault;
	/* Header facts, when known. */
	bool max_known, buckets_known;
	uint64_t nf_conntrack_max, buckets;
	char dump_format[32];
	/* Where the types came from (struct ct_layout's origin): "dwarf",
	 * "btf" (the kernel's own), or "dwarf+btf". */
	char types_from[12];
	/* A running kernel (/proc/kcore, crash on a live system): the result
	 * is a sample of a moving system. rewalked: chains and lists walked
	 * again because they changed while read; unsettled: those still
	 * changing after CT_LIVE_REWALKS tries (each also a problem). */
	bool live;
	uint64_t rewalked, unsettled;
	/* Live only: entries met a second time (freed and reused, or moved to
	 * a bucket not walked yet; counted once), and suspects dropped because
	 * they changed between the walk and a second look (in flight). */
	uint64_t met_twice, in_flight;
	/* The walk was cut short (--max-entries): every count is a lower bound. */
	bool partial;
	uint64_t suspects;     /* in all namespaces, shown or not */
	struct {
		bool scanned;
		uint64_t slabs, objects, allocated, unreadable_pages;
		/* memmap pages the dump left out (part of unreadable_pages, the
		 * rest are holes), and nf_conntrack slabs whose objects could
		 * not be told free or allocated. */
		uint64_t excluded_pages, unclassified_slabs;
	} slab;
	bool holders_searched;  /* skbs and NFQUEUEs were searched */
	/* -s: what fills the table, every entry the filter selects counted
	 * (table_summary.h); NULL otherwise. Owned. */
	struct ct_table_summary *table;
	struct ct_nfqueue *nfqueues;
	size_t n_nfqueues;
};

void ct_report_init(struct ct_report *r, size_t max_entries);
void ct_report_free(struct ct_report *r);
/* Append a netns record (no lookup); NULL past the cap or OOM. */
struct ct_netns *ct_report_add_netns(struct ct_report *r, uint64_t net);
/* The netns record for net, created if new; NULL past the cap or OOM. */
struct ct_netns *ct_report_netns(struct ct_report *r, uint64_t net);
/* Copy e in; false (and counted as dropped) past the cap or on OOM. */
bool ct_report_add_entry(struct ct_report *r, const struct ct_entry *e);
/* Entries kept, both kinds. */
static inline size_t ct_report_kept(const struct ct_report *r)
{
	return r->n_entries + r->listed.n;
}
/* Where a walk through the kept entries is: zeroed, before the first. */
struct ct_entry_iter {
	size_t i;                      /* next full record */
	struct ct_entry_store_pos pos; /* then the next compact one */
	struct ct_entry buf;           /* the compact one read back */
};
/* The next kept entry — the full records first (suspects), then the
 * others — or NULL after the last. Valid until the next call. */
const struct ct_entry *ct_report_next_entry(const struct ct_report *r, struct ct_entry_iter *it);
/* A problem met on the way, of kind st: a read that failed (its
 * ct_error's status: fault, badaddr), a cap reached (CT_ERR_LIMIT), ... */
void ct_report_error(struct ct_report *r, ct_status st, uint64_t addr, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A problem the walk decided itself: what it read makes no sense (a chain
 * that loops, a count not plausible): ct_report_error with CT_ERR_CORRUPT.
 * A failed read is reported with ct_report_error and the read's status. */
void ct_report_problem(struct ct_report *r, uint64_t addr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A note: something the run did without (kept once per text). */
void ct_report_note(struct ct_report *r, ct_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A reason the report is not complete (kept once per code and text). */
void ct_report_incomplete(struct ct_report *r, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* After the walk: the reasons that follow from the counts (unaccounted,
 * unknown counts, entries or slabs that could not be read or kept). */
void ct_report_verdict(struct ct_report *r);
static inline bool ct_report_complete(const struct ct_report *r)
{
	return r->n_incomplete == 0 && r->dropped_incomplete == 0;
}
/* Add a reason to an entry (and make it a suspect). */
void ct_entry_reason(struct ct_entry *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* count minus everything found for it (meaningful when count_known). */
int64_t ct_netns_unaccounted(const struct ct_netns *n);
/* Names of the decoded status flags, in bit order ("CONFIRMED", ...). */
void ct_status_names(unsigned flags, const char **names, unsigned *n);

const char *ct_found_in_name(enum ct_found_in v);
const char *ct_entry_state_name(enum ct_entry_state v);

/* ---- the filter: which entries a report keeps and lists --------------
 *
 * One answer for the walk (what it keeps, ct_walk_opts.filter) and for every
 * renderer (what it prints): ct_filter_keeps(). The command line sets it:
 * -c -u -d -o -a and -s choose which entries are listed (show); -n, -p and
 * the conntrack-style matches (--src --dst --sport --dport --state --zone
 * --mark) rule entries out, suspects included. Several values of one match
 * mean "any of them", different matches "all of them". The counts are never
 * filtered (they account for everything): only the entries listed and
 * grouped are.
 */
enum {
	CT_SHOW_SUMMARY = 1u << 0,     /* unused: the text report always has its
					* header and table (cli.c still masks it) */
	CT_SHOW_HASH = 1u << 1,        /* -c: the confirmed hash */
	CT_SHOW_UNCONFIRMED = 1u << 2, /* -u */
	CT_SHOW_DYING = 1u << 3,       /* -d: dying and ecache dying lists */
	CT_SHOW_SLAB = 1u << 4,        /* entries found only in the slab */
	/* -a: every list above; with it, and only with it, the template
	 * lists too (see ct_filter_keeps). */
	CT_SHOW_ALL = CT_SHOW_HASH | CT_SHOW_UNCONFIRMED | CT_SHOW_DYING | CT_SHOW_SLAB,
	CT_SHOW_SUSPECTS = 1u << 8,    /* entries with reasons (always, from the CLI) */
	CT_SHOW_ORPHANED = 1u << 9,    /* -o: confirmed and alive, in no table */
	CT_SHOW_GROUPS = 1u << 10,     /* -s: suspects grouped */
};

#define CT_FILTER_MAX 16       /* values of one match (-n A -n B ...) */
#define CT_FILTER_STATE_LEN 16 /* "ESTABLISHED", as ct_entry.l4state */

/* An address to match against a tuple's: the family's first prefix bits. */
struct ct_filter_addr {
	uint16_t l3num;        /* AF_INET 2, AF_INET6 10 */
	uint8_t prefix;        /* bits compared: 32 or 128 unless ADDR/PREFIX */
	uint8_t addr[16];
	char text[48];         /* as the user wrote it, for the messages */
};

struct ct_filter {
	unsigned show;         /* CT_SHOW_* */
	/* The matches: n_X values each, none = no such match. Matched
	 * against the original direction's tuple, as conntrack -L does. */
	unsigned n_netns, n_proto, n_src, n_dst, n_sport, n_dport, n_state, n_zone, n_mark;
	uint32_t netns[CT_FILTER_MAX];                    /* -n: netns inode numbers */
	uint8_t proto[CT_FILTER_MAX];                     /* -p: IP protocol numbers */
	struct ct_filter_addr src[CT_FILTER_MAX], dst[CT_FILTER_MAX];
	uint16_t sport[CT_FILTER_MAX], dport[CT_FILTER_MAX]; /* host order */
	char state[CT_FILTER_MAX][CT_FILTER_STATE_LEN];   /* TCP state names */
	uint16_t zone[CT_FILTER_MAX];
	uint32_t mark[CT_FILTER_MAX], mark_mask[CT_FILTER_MAX]; /* (mark & mask) == value */
};

/* The filter of the command line's default: suspects, every namespace
 * and protocol, no match. */
static inline struct ct_filter ct_filter_default(void)
{
	return (struct ct_filter){ .show = CT_SHOW_SUSPECTS };
}
/* Is e one of the entries f asks for? */
bool ct_filter_keeps(const struct ct_filter *f, const struct ct_entry *e);
/* Does e pass f's matches (whatever show says)? */
bool ct_filter_matches(const struct ct_filter *f, const struct ct_entry *e);
/* Has f any match (-n, -p, --src, ...)? */
bool ct_filter_has_matches(const struct ct_filter *f);
/* How many of r's entries f keeps. */
size_t ct_filter_count(const struct ct_filter *f, const struct ct_report *r);
/* f's matches as the command line says them: "-n 4026531840 --dport 9999"
 * (values of one match in the order given); "" without any. */
void ct_filter_describe(const struct ct_filter *f, char *buf, size_t size);
/* The sentence for matches that keep nothing: "no entry matches --dport
 * 9999" and, unless every entry is listed (-a), among which. */
void ct_filter_none_sentence(const struct ct_filter *f, char *buf, size_t size);
/* The -n values no namespace of r has, into buf ("12345, 777"): how many. */
unsigned ct_filter_unknown_netns(const struct ct_filter *f, const struct ct_report *r,
				 char *buf, size_t size);

#endif
