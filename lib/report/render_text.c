#include "report/render.h"

#include <inttypes.h>
#include <string.h>

#include "report/ct_format.h"
#include "report/summary.h"
#include "report/table_summary.h"
#include "report/verdict.h"

/* A count column: "-" where this kernel has no such list. */
static void column(FILE *out, bool exists, uint64_t v, int width)
{
	if (exists)
		fprintf(out, " %*" PRIu64, width, v);
	else
		fprintf(out, " %*s", width, "-");
}

static void header(FILE *out, const struct ct_report *r)
{
	const struct ct_kmodel *m = r->model;
	fprintf(out, "kernel %s", r->osrelease[0] ? r->osrelease : "(unknown)");
	if (r->live)
		fprintf(out, " (live)");
	else if (r->dump_format[0])
		fprintf(out, " (%s dump)", r->dump_format);
	if (r->max_known)
		fprintf(out, ", nf_conntrack_max %" PRIu64, r->nf_conntrack_max);
	if (r->buckets_known)
		fprintf(out, ", %" PRIu64 " buckets", r->buckets);
	/* DWARF is the design's primary source: said only when not used alone. */
	if (strcmp(r->types_from, "btf") == 0)
		fprintf(out, ", types from BTF");
	else if (strcmp(r->types_from, "dwarf+btf") == 0)
		fprintf(out, ", types from DWARF and the modules' BTF");
	fputc('\n', out);
	if (r->partial)
		fprintf(out, "partial: the walk was cut short (--max-entries); every count is a lower bound\n");
	if (r->live)
		fprintf(out, "live: a sample of a moving system; %" PRIu64 " chains re-walked, "
			"%" PRIu64 " still changing; %" PRIu64 " entries met twice; %" PRIu64
			" suspects changed on a second look (in flight, dropped)\n", r->rewalked,
			r->unsettled, r->met_twice, r->in_flight);
	if (m)
		fprintf(out, "layout: count in %s, %s hash, unconfirmed/dying lists: %s%s, %s, %s timeout\n",
			ct_count_where_name(m->count_where), ct_hash_scope_name(m->hash_scope),
			ct_lists_kind_name(m->lists),
			m->has_ecache_dying ? " (+ ecache dying list)" : "",
			ct_refcount_kind_name(m->refcount), ct_timeout_kind_name(m->timeout));
}

static void summary(FILE *out, const struct ct_report *r)
{
	const struct ct_kmodel *m = r->model;
	bool lists = !m || m->lists != CT_LISTS_NONE;
	bool dying = lists || !m || m->has_ecache_dying;
	fprintf(out, "\n%-10s  %-18s %9s %9s %11s %9s %9s %8s %11s %8s\n", "NETNS", "ADDRESS",
		"COUNT", "CONFIRMED", "UNCONFIRMED", "DYING", "SLAB-ONLY", "ORPHANED",
		"UNACCOUNTED", "SUSPECTS");
	for (size_t i = 0; i < r->n_netns; i++) {
		const struct ct_netns *n = &r->netns[i];
		fprintf(out, "%-10" PRIu32 "  0x%016" PRIx64, n->inum, n->net);
		if (n->count_known)
			fprintf(out, " %9" PRId64, n->count);
		else
			fprintf(out, " %9s", "?");
		column(out, true, n->hashed, 9);
		column(out, lists, n->unconfirmed, 11);
		column(out, dying, n->dying + n->ecache_dying, 9);
		column(out, r->slab.scanned, n->slab_only, 9);
		fprintf(out, " %8" PRIu64, n->orphaned);
		if (n->count_known)
			fprintf(out, " %11" PRId64, ct_netns_unaccounted(n));
		else
			fprintf(out, " %11s", "?");
		fprintf(out, " %8" PRIu64 "%s\n", n->suspects,
			n->cleanup ? "  (being torn down)" : "");
	}
	if (r->slab.scanned)
		fprintf(out, "slab cache: %" PRIu64 " slabs, %" PRIu64 " objects, %" PRIu64
			" allocated%s\n", r->slab.slabs, r->slab.objects, r->slab.allocated,
			r->slab.unreadable_pages ? " (some memmap unreadable)" : "");
	for (size_t i = 0; i < r->n_nfqueues; i++)
		fprintf(out, "nfqueue %u (netns %u): peer port id %u, %u packets waiting\n",
			r->nfqueues[i].queue, r->nfqueues[i].netns_inum, r->nfqueues[i].portid,
			r->nfqueues[i].total);
}

static void entry_text(FILE *out, const struct ct_entry *e)
{
	const char *names[16];
	unsigned n = 0;
	fprintf(out, "0x%016" PRIx64 " netns %" PRIu32 " %s", e->addr, e->netns_inum,
		ct_found_in_name(e->found_in));
	if (e->cpu >= 0)
		fprintf(out, " cpu %d", e->cpu);
	fprintf(out, " %s use %u status ", ct_entry_state_name(e->state), e->use);
	ct_status_names(e->flags, names, &n);
	for (unsigned i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? "|" : "", names[i]);
	if (!n)
		fputs("-", out);
	if (e->timeout_known)
		fprintf(out, " timeout %" PRId64 "s", e->timeout_secs);
	else
		fputs(" timeout -", out);
	if (e->age_known)
		fprintf(out, " age %" PRId64 "s", e->age_secs);
	fprintf(out, " zone %u mark %u\n  ", e->zone, e->mark);
	ct_format_proc_line(out, e);
	if (e->last_hook[0])
		fprintf(out, "  last hook %s, next %s (%s)\n", e->last_hook,
			e->next_hook[0] ? e->next_hook : "-", e->last_hook_evidence);
	for (unsigned i = 0; i < e->nholders; i++)
		fprintf(out, "  held by %s 0x%016" PRIx64 " (%s)\n", e->holders[i].kind,
			e->holders[i].addr, e->holders[i].detail);
	if (e->holders_total > e->nholders)
		fprintf(out, "  held by %u more\n", e->holders_total - e->nholders);
	for (unsigned i = 0; i < e->nreasons; i++)
		fprintf(out, "  why: %s\n", e->reasons[i]);
}

/* First, before anything that could be read as a full account. */
static void incomplete_lines(FILE *out, const struct ct_report *r)
{
	if (ct_report_complete(r))
		return;
	fprintf(out, "INCOMPLETE: this report does not account for every conntrack entry:\n");
	for (size_t i = 0; i < r->n_incomplete; i++)
		fprintf(out, "INCOMPLETE: %s\n", r->incomplete[i].what);
	if (r->dropped_incomplete)
		fprintf(out, "INCOMPLETE: and %" PRIu64 " more reasons\n", r->dropped_incomplete);
}

/* The two lines to paste into a ticket (verdict.h). */
static void headline(FILE *out, const struct ct_report *r)
{
	struct ct_verdict v;
	char fill[CT_VERDICT_LINE], suspects[CT_VERDICT_LINE];
	if (!ct_verdict_build(r, &v))
		return;
	ct_verdict_lines(&v, fill, suspects);
	fprintf(out, "%s\n%s\n", fill, suspects);
}

void ct_render_report_text_head(FILE *out, const struct ct_report *r, const struct ct_filter *f)
{
	incomplete_lines(out, r);
	headline(out, r);
	header(out, r);
	summary(out, r);
	size_t listed = ct_filter_count(f, r);
	fprintf(out, "\n%" PRIu64 " suspect%s", r->suspects, r->suspects == 1 ? "" : "s");
	if (listed)
		fprintf(out, "; %zu entr%s listed:\n", listed, listed == 1 ? "y" : "ies");
	else
		fputs("\n", out);
	if (f->show & CT_SHOW_GROUPS) {
		if (r->table)
			ct_table_summary_text(out, r->table);
		struct ct_summary sum;
		if (ct_summary_build_for(r, f, &sum)) {
			ct_summary_text(out, &sum);
			ct_summary_free(&sum);
		}
		fputc('\n', out);
	}
}

void ct_render_report_text(FILE *out, const struct ct_report *r, const struct ct_filter *f)
{
	ct_render_report_text_head(out, r, f);
	struct ct_entry_iter it = { 0 };
	for (const struct ct_entry *e; (e = ct_report_next_entry(r, &it));)
		if (ct_filter_keeps(f, e))
			entry_text(out, e);
	if (r->dropped_entries)
		fprintf(out, "ctleak: %" PRIu64 " more entries not kept (limit %zu)\n",
			r->dropped_entries, r->max_entries);
	/* Problems and notes are not part of the text report: command.c
	 * prints them after it (before it, for notes), on the error stream. */
}

void ct_render_model_text(FILE *out, const struct ct_kmodel *m,
			  const struct ct_layout *l)
{
	const char *from = strcmp(l->origin, "btf") == 0 ? "BTF" :
			   strcmp(l->origin, "dwarf+btf") == 0 ? "DWARF and BTF" : "DWARF";
	if (strcmp(l->source, "cache") == 0)
		fprintf(out, "conntrack layout (types from the cache %s%s%s)\n", l->cache_path,
			strcmp(from, "DWARF") ? ", made from " : "", strcmp(from, "DWARF") ? from : "");
	else if (l->cache_path[0])
		fprintf(out, "conntrack layout (types from %s, cached in %s)\n", from,
			l->cache_path);
	else
		fprintf(out, "conntrack layout (types from %s, not cached)\n", from);
	fprintf(out, "  per-netns count:     %s\n", ct_count_where_name(m->count_where));
	fprintf(out, "  confirmed hash:      %s\n", ct_hash_scope_name(m->hash_scope));
	fprintf(out, "  unconfirmed/dying:   %s%s\n", ct_lists_kind_name(m->lists),
		m->has_template_list ? " (with template list)" : "");
	fprintf(out, "  ecache dying list:   %s\n", m->has_ecache_dying ? "yes" : "no");
	fprintf(out, "  refcount:            %s\n", ct_refcount_kind_name(m->refcount));
	fprintf(out, "  timeout:             %s\n", ct_timeout_kind_name(m->timeout));
	fprintf(out, "  skb link:            %s\n", ct_skb_link_name(m->skb_link));
	fprintf(out, "  net_generic:         %s\n", ct_netgen_kind_name(m->netgen));
	fprintf(out, "  slab cache:          %s\n",
		m->per_netns_slab ? "per-netns" : "global nf_conntrack");
	fprintf(out, "  status bits:         confirmed=%d dying=%d template=%d%s\n",
		m->bits.confirmed, m->bits.dying, m->bits.template_,
		m->bits_from_uapi ? " (uapi values: enum not in DWARF)" : "");
	fprintf(out, "  sizeof(nf_conn):     %u\n", m->nf_conn_size);
	fputs("\n  question                                   answer\n", out);
	for (int i = 0; i < CTL__COUNT; i++) {
		const struct ct_layout_def *d = &ct_layout_defs[i];
		const struct ct_layout_entry *e = &l->e[i];
		fprintf(out, "  %-42s ", d->question);
		if (e->state == CTL_NOT_ASKED)
			fputs("(not asked)\n", out);
		else if (e->state == CTL_ABSENT)
			fputs("absent\n", out);
		else if (d->kind == CTL_KIND_SIZE)
			fprintf(out, "size %" PRId64 "\n", e->value);
		else if (d->kind == CTL_KIND_ENUM)
			fprintf(out, "= %" PRId64 "\n", e->value);
		else if (e->bit_size)
			fprintf(out, "offset %" PRId64 " bits %u:%u %s\n", e->value,
				e->bit_offset, e->bit_size, e->type_name);
		else
			fprintf(out, "offset %" PRId64 " size %" PRIu64 " %s\n",
				e->value, e->size, e->type_name);
	}
}
