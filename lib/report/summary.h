/* summary.h — suspects grouped the ways a support engineer asks first (-s):
 * by (state, protocol, destination port), by source address (top 10) and by
 * namespace. Computed from the entries the walk kept. */
#ifndef CTLEAK_SUMMARY_H
#define CTLEAK_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>

#include "report/report.h"

#define CT_SUMMARY_TOP 10

struct ct_summary_row {
	char key[96];
	uint64_t count;
};

struct ct_summary {
	struct ct_summary_row *by_kind;   /* "unconfirmed udp dport 7001" */
	size_t n_by_kind, cap_by_kind;
	struct ct_summary_row *by_source; /* "127.0.0.1", top CT_SUMMARY_TOP */
	size_t n_by_source, cap_by_source;
	struct ct_summary_row *by_netns;  /* "4026531840" */
	size_t n_by_netns, cap_by_netns;
	struct ct_summary_row *by_age;    /* "under 1 minute", ...; empty without ages */
	size_t n_by_age, cap_by_age;
};

/* The suspects among r's entries; false when out of memory. */
bool ct_summary_build(const struct ct_report *r, struct ct_summary *s);
/* The same, among the entries f keeps (NULL: every entry). */
bool ct_summary_build_for(const struct ct_report *r, const struct ct_filter *f,
			  struct ct_summary *s);
void ct_summary_free(struct ct_summary *s);
void ct_summary_text(FILE *out, const struct ct_summary *s);
struct ct_json;
void ct_summary_json(struct ct_json *j, const struct ct_summary *s);

#endif
