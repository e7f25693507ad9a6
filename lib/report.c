#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	free(r->netns);
	free(r->entries);
	free(r->nfqueues);
	memset(r, 0, sizeof(*r));
}

/* Grow *arr (of elem-sized items) so that one more fits; 0 on success. */
static int reserve(void **arr, size_t *cap, size_t count, size_t elem,
		   size_t max)
{
	if (count < *cap)
		return 0;
	if (count >= max)
		return -1;
	size_t ncap = *cap ? *cap * 2 : 16;
	if (ncap > max)
		ncap = max;
	void *p = realloc(*arr, ncap * elem);
	if (!p)
		return -1;
	*arr = p;
	*cap = ncap;
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
	if (reserve((void **)&r->entries, &r->cap_entries, r->n_entries,
		    sizeof(*r->entries), r->max_entries) != 0) {
		r->dropped_entries++;
		return false;
	}
	r->entries[r->n_entries++] = *e;
	return true;
}

void ct_report_problem(struct ct_report *r, uint64_t addr, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	if (r->n_problems >= CT_REPORT_MAX_PROBLEMS) {
		r->dropped_problems++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	struct ct_problem *p = realloc(r->problems, (r->n_problems + 1) * sizeof(*p));
	char *copy = strdup(buf);
	if (!p || !copy) {
		if (p)
			r->problems = p;
		free(copy);
		r->dropped_problems++;
		return;
	}
	r->problems = p;
	r->problems[r->n_problems++] = (struct ct_problem){ copy, addr };
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
