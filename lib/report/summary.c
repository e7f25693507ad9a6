#include "report/summary.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/ct_format.h"
#include "report/json_writer.h"
#include "base/vec.h"

/* Rows of one table: no more than the entries a report keeps. */
#define MAX_ROWS (16u << 20)

/* Count key into rows (linear: the distinct keys of suspects are few). */
static bool count(struct ct_summary_row **rows, size_t *n, size_t *cap, const char *key)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*rows)[i].key, key) == 0) {
			(*rows)[i].count++;
			return true;
		}
	struct ct_summary_row *p = ct_grow(*rows, cap, *n, sizeof(*p), MAX_ROWS);
	if (!p)
		return false;
	*rows = p;
	snprintf(p[*n].key, sizeof(p[*n].key), "%s", key);
	p[*n].count = 1;
	(*n)++;
	return true;
}

static int by_count(const void *a, const void *b)
{
	const struct ct_summary_row *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->key, y->key);
}

/* No suspects, no rows: the array is NULL, which qsort may not be given
 * even for zero elements (C11 7.1.4). */
static void sort_rows(struct ct_summary_row *rows, size_t n)
{
	if (n > 1)
		qsort(rows, n, sizeof(*rows), by_count);
}

bool ct_summary_build(const struct ct_report *r, struct ct_summary *s)
{
	return ct_summary_build_for(r, NULL, s);
}

bool ct_summary_build_for(const struct ct_report *r, const struct ct_filter *f,
			  struct ct_summary *s)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < r->n_entries; i++) {
		const struct ct_entry *e = &r->entries[i];
		if (!e->suspect || (f && !ct_filter_keeps(f, e)))
			continue;
		char key[96], addr[48];
		unsigned dport = (unsigned)e->orig.dst_u[0] << 8 | e->orig.dst_u[1];
		bool ports = e->orig.protonum == 6 || e->orig.protonum == 17 ||
			     e->orig.protonum == 132 || e->orig.protonum == 33 ||
			     e->orig.protonum == 136;
		if (ports)
			snprintf(key, sizeof(key), "%s %s dport %u", ct_entry_state_name(e->state),
				 ct_l4proto_name(e->orig.protonum), dport);
		else
			snprintf(key, sizeof(key), "%s %s", ct_entry_state_name(e->state),
				 ct_l4proto_name(e->orig.protonum));
		ct_format_addr(e->orig.l3num, e->orig.src, addr, sizeof(addr));
		char ns[16];
		snprintf(ns, sizeof(ns), "%" PRIu32, e->netns_inum);
		const char *age = !e->age_known ? "unknown (unconfirmed, or no timestamp extension)" :
				  e->age_secs < 60 ? "under 1 minute" :
				  e->age_secs < 3600 ? "1 minute to 1 hour" :
				  e->age_secs < 86400 ? "1 hour to 1 day" : "over 1 day";
		if (!count(&s->by_age, &s->n_by_age, &s->cap_by_age, age) ||
		    !count(&s->by_kind, &s->n_by_kind, &s->cap_by_kind, key) ||
		    !count(&s->by_source, &s->n_by_source, &s->cap_by_source, addr) ||
		    !count(&s->by_netns, &s->n_by_netns, &s->cap_by_netns, ns)) {
			ct_summary_free(s);
			return false;
		}
	}
	sort_rows(s->by_kind, s->n_by_kind);
	sort_rows(s->by_source, s->n_by_source);
	sort_rows(s->by_netns, s->n_by_netns);
	sort_rows(s->by_age, s->n_by_age);
	if (s->n_by_source > CT_SUMMARY_TOP)
		s->n_by_source = CT_SUMMARY_TOP;
	return true;
}

void ct_summary_free(struct ct_summary *s)
{
	free(s->by_kind);
	free(s->by_source);
	free(s->by_netns);
	free(s->by_age);
	memset(s, 0, sizeof(*s));
}

static void table(FILE *out, const char *title, const struct ct_summary_row *rows, size_t n)
{
	fprintf(out, "\n%-48s %8s\n", title, "SUSPECTS");
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%-48s %8" PRIu64 "\n", rows[i].key, rows[i].count);
}

void ct_summary_text(FILE *out, const struct ct_summary *s)
{
	table(out, "STATE PROTOCOL PORT", s->by_kind, s->n_by_kind);
	table(out, "SOURCE (top 10)", s->by_source, s->n_by_source);
	table(out, "NETNS", s->by_netns, s->n_by_netns);
	table(out, "AGE", s->by_age, s->n_by_age);
}

static void rows_json(struct ct_json *j, const char *name, const struct ct_summary_row *rows,
		      size_t n)
{
	ct_json_name(j, name);
	ct_json_start_array(j);
	for (size_t i = 0; i < n; i++) {
		ct_json_start_object(j);
		ct_json_kv_string(j, "key", rows[i].key);
		ct_json_kv_u64(j, "suspects", rows[i].count);
		ct_json_end_object(j);
	}
	ct_json_end_array(j);
}

void ct_summary_json(struct ct_json *j, const struct ct_summary *s)
{
	ct_json_start_object(j);
	rows_json(j, "by_state_proto_port", s->by_kind, s->n_by_kind);
	rows_json(j, "by_source", s->by_source, s->n_by_source);
	rows_json(j, "by_netns", s->by_netns, s->n_by_netns);
	rows_json(j, "by_age", s->by_age, s->n_by_age);
	ct_json_end_object(j);
}
