/* verdict.c — the report's first lines (verdict.h). */
#include "report/verdict.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/u64map.h"

static const char *const cause_names[CT_CAUSE_N] = {
	[CT_CAUSE_NFQUEUE] = "nfqueue",
	[CT_CAUSE_TEARDOWN] = "teardown",
	[CT_CAUSE_STOLEN] = "stolen_before_confirm",
	[CT_CAUSE_LEAKED] = "leaked_no_holder",
	[CT_CAUSE_OTHER] = "other",
};

const char *ct_cause_name(enum ct_cause c)
{
	return (unsigned)c < CT_CAUSE_N ? cause_names[c] : "?";
}

static enum ct_cause cause_of(const struct ct_report *r, const struct ct_entry *e,
			      const struct ct_u64map *teardown)
{
	if (e->nfqueued)
		return CT_CAUSE_NFQUEUE;
	if (ct_u64map_lookup(teardown, e->net, NULL))
		return CT_CAUSE_TEARDOWN;
	if (e->state == CT_STATE_UNCONFIRMED)
		return CT_CAUSE_STOLEN;
	/* "No holder" means something only where holders were searched. */
	if (r->holders_searched && e->holders_total == 0 && e->use > 0)
		return CT_CAUSE_LEAKED;
	return CT_CAUSE_OTHER;
}

static void count_queue(struct ct_verdict *v, const struct ct_entry *e)
{
	for (size_t i = 0; i < v->n_queues; i++)
		if (v->queues[i].netns_inum == e->netns_inum && v->queues[i].queue == e->nfqueue) {
			v->queues[i].held++;
			return;
		}
	if (v->n_queues == CT_VERDICT_MAX_QUEUES) {
		v->queues_more++;
		return;
	}
	v->queues[v->n_queues++] = (struct ct_verdict_queue){ e->netns_inum, e->nfqueue, 1 };
}

/* The namespaces' counts: the sum and the fullest. */
static void fill(const struct ct_report *r, struct ct_verdict *v)
{
	v->namespaces = r->n_netns;
	for (size_t i = 0; i < r->n_netns; i++) {
		const struct ct_netns *n = &r->netns[i];
		if (!n->count_known)
			continue;
		v->counts_known++;
		v->entries += (uint64_t)n->count;
		if (!v->fullest_known || n->count > v->fullest_count) {
			v->fullest_known = true;
			v->fullest_inum = n->inum;
			v->fullest_count = n->count;
		}
	}
}

bool ct_verdict_build(const struct ct_report *r, struct ct_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->complete = ct_report_complete(r);
	v->partial = r->partial;
	v->max_known = r->max_known;
	v->max = r->nf_conntrack_max;
	v->suspects = r->suspects;
	fill(r, v);
	struct ct_u64map teardown;
	ct_u64set_init(&teardown, r->n_netns + 1);
	for (size_t i = 0; i < r->n_netns; i++)
		if (r->netns[i].cleanup &&
		    ct_u64map_insert(&teardown, r->netns[i].net, 0) == CT_U64MAP_NOMEM) {
			ct_u64map_free(&teardown);
			return false;
		}
	for (size_t i = 0; i < r->n_entries; i++) {
		const struct ct_entry *e = &r->entries[i];
		if (!e->suspect)
			continue;
		enum ct_cause c = cause_of(r, e, &teardown);
		v->classified++;
		v->cause[c]++;
		if (c == CT_CAUSE_NFQUEUE)
			count_queue(v, e);
	}
	for (size_t i = 0; i < r->n_netns; i++)
		v->teardown_namespaces += r->netns[i].cleanup && r->netns[i].suspects > 0;
	ct_u64map_free(&teardown);
	return true;
}

/* snprintf onto the end of buf, never past it. */
static void add(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add(char *buf, size_t size, const char *fmt, ...)
{
	size_t n = strnlen(buf, size);
	if (n + 1 >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
}

/* "at 19927 of nf_conntrack_max 262144 (7.6%)": integer arithmetic, so
 * every build prints the same digits. */
static void fill_level(char *b, size_t size, const struct ct_verdict *v)
{
	uint64_t c = v->fullest_count > 0 ? (uint64_t)v->fullest_count : 0;
	uint64_t permille = v->max ? c * 1000 / v->max : 0;
	add(b, size, "at %" PRIu64 " of nf_conntrack_max %" PRIu64 " (%" PRIu64 ".%" PRIu64 "%%)",
	    c, v->max, permille / 10, permille % 10);
	if (v->max && c >= v->max)
		add(b, size, ", FULL: new entries are dropped");
}

static void fill_line(const struct ct_verdict *v, char *b, size_t size)
{
	snprintf(b, size, "verdict: report %s", v->complete ? "complete" : "INCOMPLETE (reasons above)");
	if (v->partial)
		add(b, size, ", walk cut short (--max-entries): counts are lower bounds");
	if (!v->fullest_known) {
		add(b, size, "; no namespace's count is known");
		return;
	}
	if (v->max_known && v->namespaces > 1)
		add(b, size, "; fullest table netns %u ", v->fullest_inum);
	else if (v->max_known)
		add(b, size, "; table ");
	if (v->max_known)
		fill_level(b, size, v);
	else
		add(b, size, "; nf_conntrack_max unknown");
	add(b, size, "; %" PRIu64 " entries in ", v->entries);
	if (v->counts_known < v->namespaces)
		add(b, size, "the %zu of %zu namespaces whose count is known", v->counts_known,
		    v->namespaces);
	else
		add(b, size, "%zu namespace%s", v->namespaces, v->namespaces == 1 ? "" : "s");
}

static void queues_text(const struct ct_verdict *v, char *b, size_t size)
{
	bool several_netns = false;
	for (size_t i = 1; i < v->n_queues; i++)
		several_netns |= v->queues[i].netns_inum != v->queues[0].netns_inum;
	add(b, size, "%" PRIu64 " held by NFQUEUE", v->cause[CT_CAUSE_NFQUEUE]);
	if (v->n_queues == 1 && !v->queues_more && !several_netns) {
		add(b, size, " %u awaiting a verdict from userspace", v->queues[0].queue);
		return;
	}
	add(b, size, " awaiting a verdict from userspace (");
	for (size_t i = 0; i < v->n_queues; i++) {
		add(b, size, "%s%" PRIu64 " by queue %u", i ? ", " : "", v->queues[i].held,
		    v->queues[i].queue);
		if (several_netns)
			add(b, size, " of netns %u", v->queues[i].netns_inum);
	}
	if (v->queues_more)
		add(b, size, ", %" PRIu64 " by other queues", v->queues_more);
	add(b, size, ")");
}

static void suspects_line(const struct ct_verdict *v, char *b, size_t size)
{
	if (!v->suspects) {
		snprintf(b, size, "verdict: no suspects");
		return;
	}
	snprintf(b, size, "verdict: %" PRIu64 " suspect%s: ", v->suspects, v->suspects == 1 ? "" : "s");
	const char *sep = "";
	if (v->cause[CT_CAUSE_STOLEN])
		add(b, size, "%s%" PRIu64 " stolen before confirm", sep, v->cause[CT_CAUSE_STOLEN]), sep = ", ";
	if (v->cause[CT_CAUSE_LEAKED])
		add(b, size, "%s%" PRIu64 " reference%s leaked (no holder)", sep, v->cause[CT_CAUSE_LEAKED],
		    v->cause[CT_CAUSE_LEAKED] == 1 ? "" : "s"), sep = ", ";
	if (v->cause[CT_CAUSE_NFQUEUE]) {
		add(b, size, "%s", sep);
		queues_text(v, b, size);
		sep = ", ";
	}
	if (v->cause[CT_CAUSE_TEARDOWN]) {
		add(b, size, "%s%" PRIu64 " in ", sep, v->cause[CT_CAUSE_TEARDOWN]);
		if (v->teardown_namespaces > 1)
			add(b, size, "%zu namespaces being torn down", v->teardown_namespaces);
		else
			add(b, size, "a namespace being torn down");
		sep = ", ";
	}
	if (v->cause[CT_CAUSE_OTHER])
		add(b, size, "%s%" PRIu64 " other (see their reasons)", sep, v->cause[CT_CAUSE_OTHER]), sep = ", ";
	if (v->classified < v->suspects)
		add(b, size, "%s%" PRIu64 " not listed (filtered out or past the entry cap)", sep,
		    v->suspects - v->classified);
}

void ct_verdict_lines(const struct ct_verdict *v, char fill[CT_VERDICT_LINE],
		      char suspects[CT_VERDICT_LINE])
{
	fill_line(v, fill, CT_VERDICT_LINE);
	suspects_line(v, suspects, CT_VERDICT_LINE);
}
