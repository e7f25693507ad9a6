/* verdict.h — the report's first lines: what a support engineer pastes into
 * a ticket. How full the fullest table is (count of nf_conntrack_max: the
 * limit is checked per namespace, nf_conntrack_alloc), whether the report
 * is complete, and the suspects by cause. Computed from a finished report;
 * nothing here reads a dump. Rendered first in text (after INCOMPLETE
 * lines) and as JSON "verdict".
 */
#ifndef CTLEAK_VERDICT_H
#define CTLEAK_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/report.h"

/* Why a suspect is one, a single cause each, tried in this order. */
enum ct_cause {
	CT_CAUSE_NFQUEUE,   /* a packet of it waits in an NFQUEUE for userspace's verdict */
	CT_CAUSE_TEARDOWN,  /* its namespace is being torn down and waits for it */
	CT_CAUSE_STOLEN,    /* unconfirmed: a hook kept its skb (NF_STOLEN) before confirm */
	CT_CAUSE_LEAKED,    /* a reference with no holder found (holders searched) */
	CT_CAUSE_OTHER,     /* anything else: held by an skb, refcount 0 or saturated, ... */
	CT_CAUSE_N
};

#define CT_VERDICT_MAX_QUEUES 8 /* queues named; the rest summed in queues_more */
#define CT_VERDICT_LINE 512

struct ct_verdict_queue {
	uint32_t netns_inum;
	uint16_t queue;
	uint64_t held;      /* suspects it holds */
};

struct ct_verdict {
	bool complete;          /* ct_report_complete() */
	bool partial;           /* --max-entries cut the walk short */
	uint64_t entries;       /* the known counts summed */
	size_t namespaces, counts_known;
	bool max_known;
	uint64_t max;           /* nf_conntrack_max */
	bool fullest_known;     /* some count known */
	uint32_t fullest_inum;
	int64_t fullest_count;
	uint64_t suspects;      /* every suspect the walk met (r->suspects) */
	uint64_t classified;    /* of them, those the report kept: each has a cause */
	uint64_t cause[CT_CAUSE_N];
	struct ct_verdict_queue queues[CT_VERDICT_MAX_QUEUES];
	size_t n_queues;
	uint64_t queues_more;   /* NFQUEUE-held suspects of queues not named */
	size_t teardown_namespaces; /* namespaces in teardown holding suspects */
};

/* The verdict of a finished report (false only when out of memory). */
bool ct_verdict_build(const struct ct_report *r, struct ct_verdict *v);
/* Its two lines, without newlines ("verdict: ..."). */
void ct_verdict_lines(const struct ct_verdict *v, char fill[CT_VERDICT_LINE],
		      char suspects[CT_VERDICT_LINE]);
/* The stable JSON names of the causes ("stolen_before_confirm", ...). */
const char *ct_cause_name(enum ct_cause c);

#endif
