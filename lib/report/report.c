#include "report/report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/vec.h"
#include "report/table_summary.h"

void ct_report_init(struct ct_report *r, size_t max_entries)
{
	memset(r, 0, sizeof(*r));
	r->max_entries = max_entries;
}

void ct_report_free(struct ct_report *r)
{
	for (size_t i = 0; i < r->n_problems; i++)
		free(r->problems[i].what);
	free(r->problems);
	for (size_t i = 0; i < r->n_notes; i++)
		free(r->notes[i].what);
	free(r->notes);
	for (size_t i = 0; i < r->n_incomplete; i++)
		free(r->incomplete[i].what);
	free(r->incomplete);
	free(r->netns);
	free(r->entries);
	ct_entry_store_free(&r->listed);
	free(r->nfqueues);
	if (r->table) {
		ct_table_summary_free(r->table);
		free(r->table);
	}
	memset(r, 0, sizeof(*r));
}

/* Room for one more of *arr's n elem-sized items (capacity *cap, at most
 * max): 0, or -1 (past max, out of memory) with *arr untouched. */
static int reserve(void **arr, size_t *cap, size_t n, size_t elem, size_t max)
{
	void *p = ct_grow(*arr, cap, n, elem, max);
	if (!p)
		return -1;
	*arr = p;
	return 0;
}

struct ct_netns *ct_report_netns(struct ct_report *r, uint64_t net)
{
	/* Namespaces come in list order and are few per lookup burst: a
	 * linear scan from the end finds the current one at once. */
	for (size_t i = r->n_netns; i-- > 0;)
		if (r->netns[i].net == net)
			return &r->netns[i];
	return ct_report_add_netns(r, net);
}

struct ct_netns *ct_report_add_netns(struct ct_report *r, uint64_t net)
{
	if (reserve((void **)&r->netns, &r->cap_netns, r->n_netns,
		    sizeof(*r->netns), CT_REPORT_MAX_NETNS) != 0)
		return NULL;
	struct ct_netns *n = &r->netns[r->n_netns++];
	memset(n, 0, sizeof(*n));
	n->net = net;
	return n;
}

bool ct_report_add_entry(struct ct_report *r, const struct ct_entry *e)
{
	bool kept;
	if (ct_report_kept(r) >= r->max_entries)
		kept = false;
	else if (ct_entry_store_fits(e))
		kept = ct_entry_store_add(&r->listed, e);
	else if ((kept = reserve((void **)&r->entries, &r->cap_entries, r->n_entries,
				 sizeof(*r->entries), r->max_entries) == 0))
		r->entries[r->n_entries++] = *e;
	r->dropped_entries += !kept;
	return kept;
}

const struct ct_entry *ct_report_next_entry(const struct ct_report *r, struct ct_entry_iter *it)
{
	if (it->i < r->n_entries)
		return &r->entries[it->i++];
	return ct_entry_store_next(&r->listed, &it->pos, &it->buf) ? &it->buf : NULL;
}

/* Append {st, text, addr} to *arr (at most max); false past max or on OOM. */
static bool add_problem(struct ct_problem **arr, size_t *n, size_t *cap, size_t max,
			ct_status st, uint64_t addr, const char *text)
{
	char *copy = strdup(text);
	if (!copy || reserve((void **)arr, cap, *n, sizeof(**arr), max) != 0) {
		free(copy);
		return false;
	}
	(*arr)[(*n)++] = (struct ct_problem){ st, copy, addr };
	return true;
}

static void vproblem(struct ct_report *r, ct_status st, uint64_t addr, const char *fmt,
		     va_list ap)
{
	char buf[512];
	if (r->n_problems >= CT_REPORT_MAX_PROBLEMS) {
		r->dropped_problems++;
		return;
	}
	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (!add_problem(&r->problems, &r->n_problems, &r->cap_problems, CT_REPORT_MAX_PROBLEMS,
			 st, addr, buf))
		r->dropped_problems++;
}

void ct_report_error(struct ct_report *r, ct_status st, uint64_t addr, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vproblem(r, st, addr, fmt, ap);
	va_end(ap);
}

void ct_report_problem(struct ct_report *r, uint64_t addr, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vproblem(r, CT_ERR_CORRUPT, addr, fmt, ap);
	va_end(ap);
}

void ct_report_note(struct ct_report *r, ct_status st, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < r->n_notes; i++)
		if (strcmp(r->notes[i].what, buf) == 0)
			return;
	add_problem(&r->notes, &r->n_notes, &r->cap_notes, CT_REPORT_MAX_NOTES, st, 0, buf);
}

void ct_report_incomplete(struct ct_report *r, const char *code, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < r->n_incomplete; i++)
		if (strcmp(r->incomplete[i].code, code) == 0 && strcmp(r->incomplete[i].what, buf) == 0)
			return;
	if (r->n_incomplete >= CT_REPORT_MAX_INCOMPLETE) {
		r->dropped_incomplete++;
		return;
	}
	char *copy = strdup(buf);
	if (!copy || reserve((void **)&r->incomplete, &r->cap_incomplete, r->n_incomplete,
			     sizeof(*r->incomplete), CT_REPORT_MAX_INCOMPLETE) != 0) {
		free(copy);
		r->dropped_incomplete++;
		return;
	}
	r->incomplete[r->n_incomplete++] = (struct ct_incomplete){ code, copy };
}

/* Per-namespace verdict lines past this many are summed into one. */
#define VERDICT_NETNS_LINES 8

void ct_report_verdict(struct ct_report *r)
{
	/* A cut-short walk (--max-entries) says so itself; a live sample
	 * never closes its accounting: the counts moved while read. */
	bool closes = !r->partial && !r->live;
	unsigned lines = 0;
	uint64_t more_unknown = 0, more_missing = 0;
	for (size_t i = 0; i < r->n_netns; i++) {
		const struct ct_netns *n = &r->netns[i];
		int64_t u = n->count_known ? ct_netns_unaccounted(n) : 0;
		if (n->count_known && (!closes || u == 0))
			continue;
		if (lines >= VERDICT_NETNS_LINES) {
			more_unknown += !n->count_known;
			more_missing += n->count_known;
			continue;
		}
		lines++;
		if (!n->count_known)
			ct_report_incomplete(r, CT_INC_COUNT, "netns %u: the kernel's count of its "
					     "entries is unknown: nothing can be said to be missing",
					     n->inum);
		else
			ct_report_incomplete(r, CT_INC_UNACCOUNTED, "netns %u: %lld of its %lld "
					     "entries not found%s", n->inum, (long long)u,
					     (long long)n->count,
					     u < 0 ? " (more found than counted)" :
					     r->slab.scanned ? "" : " (no slab scan)");
	}
	if (more_unknown)
		ct_report_incomplete(r, CT_INC_COUNT, "%llu more namespaces whose count is unknown",
				     (unsigned long long)more_unknown);
	if (more_missing)
		ct_report_incomplete(r, CT_INC_UNACCOUNTED, "%llu more namespaces with entries "
				     "not found", (unsigned long long)more_missing);
	if (r->entries_not_in_dump)
		ct_report_incomplete(r, CT_INC_NOT_IN_DUMP, "%llu nf_conn could not be read: "
				     "their pages are not in the dump",
				     (unsigned long long)r->entries_not_in_dump);
	/* Whatever else was left out: the hash, a namespace, a holder. */
	if (r->faults && !r->live)
		ct_report_incomplete(r, CT_INC_NOT_IN_DUMP, "%llu reads met memory left out of the "
				     "dump (the first at %#llx): what it held is not accounted for",
				     (unsigned long long)r->faults,
				     (unsigned long long)r->first_fault);
	if (r->slab.excluded_pages)
		ct_report_incomplete(r, CT_INC_NOT_IN_DUMP, "slab scan: %llu struct pages of the "
				     "memmap are not in the dump: slabs there are not found",
				     (unsigned long long)r->slab.excluded_pages);
	if (r->slab.unclassified_slabs)
		ct_report_incomplete(r, CT_INC_SLAB_SCAN, "slab scan: %llu nf_conntrack slabs "
				     "could not be classified: their objects are not counted",
				     (unsigned long long)r->slab.unclassified_slabs);
	if (r->dropped_entries)
		ct_report_incomplete(r, CT_INC_DROPPED, "%llu entries found but not kept (memory "
				     "cap): they are counted, not listed",
				     (unsigned long long)r->dropped_entries);
}

void ct_entry_reason(struct ct_entry *e, const char *fmt, ...)
{
	va_list ap;
	e->suspect = true;
	if (e->nreasons >= CT_MAX_REASONS)
		return;
	va_start(ap, fmt);
	vsnprintf(e->reasons[e->nreasons], sizeof(e->reasons[0]), fmt, ap);
	va_end(ap);
	e->nreasons++;
}

const char *ct_found_in_name(enum ct_found_in v)
{
	switch (v) {
	case CT_FOUND_HASH: return "hash";
	case CT_FOUND_UNCONFIRMED: return "unconfirmed_list";
	case CT_FOUND_DYING: return "dying_list";
	case CT_FOUND_ECACHE_DYING: return "ecache_dying_list";
	case CT_FOUND_TEMPLATE_LIST: return "template_list";
	case CT_FOUND_SLAB: return "slab";
	}
	return "?";
}

const char *ct_entry_state_name(enum ct_entry_state v)
{
	switch (v) {
	case CT_STATE_CONFIRMED: return "confirmed";
	case CT_STATE_UNCONFIRMED: return "unconfirmed";
	case CT_STATE_DYING: return "dying";
	case CT_STATE_ORPHANED: return "orphaned";
	case CT_STATE_TEMPLATE: return "template";
	case CT_STATE_TRANSITION: return "transition";
	}
	return "?";
}

int64_t ct_netns_unaccounted(const struct ct_netns *n)
{
	return n->count - (int64_t)(n->hashed + n->unconfirmed + n->dying +
				    n->ecache_dying + n->templates + n->slab_only);
}

void ct_status_names(unsigned flags, const char **names, unsigned *n)
{
	static const struct { unsigned bit; const char *name; } all[] = {
		{ CT_F_SEEN_REPLY, "SEEN_REPLY" }, { CT_F_ASSURED, "ASSURED" },
		{ CT_F_CONFIRMED, "CONFIRMED" }, { CT_F_DYING, "DYING" },
		{ CT_F_TEMPLATE, "TEMPLATE" }, { CT_F_UNTRACKED, "UNTRACKED" },
		{ CT_F_OFFLOAD, "OFFLOAD" }, { CT_F_HW_OFFLOAD, "HW_OFFLOAD" },
	};
	*n = 0;
	for (size_t i = 0; i < sizeof(all) / sizeof(*all); i++)
		if (flags & all[i].bit)
			names[(*n)++] = all[i].name;
}
