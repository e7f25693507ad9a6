#include "render.h"

#include <inttypes.h>
#include <string.h>

#include "ct_format.h"

bool ct_show_entry(unsigned show, const struct ct_entry *e)
{
	switch (e->found_in) {
	case CT_FOUND_HASH: return show & CT_SHOW_HASH;
	case CT_FOUND_UNCONFIRMED: return show & CT_SHOW_UNCONFIRMED;
	case CT_FOUND_DYING:
	case CT_FOUND_ECACHE_DYING: return show & CT_SHOW_DYING;
	case CT_FOUND_TEMPLATE_LIST: return show & CT_SHOW_ALL;
	case CT_FOUND_SLAB: return show & CT_SHOW_SLAB;
	}
	return false;
}

/* A list column: "-" when this kernel has no such list. */
static void column(FILE *out, bool exists, uint64_t v, int width)
{
	if (exists)
		fprintf(out, " %*" PRIu64, width, v);
	else
		fprintf(out, " %*s", width, "-");
}

static void summary(FILE *out, const struct ct_report *r)
{
	const struct ct_kmodel *m = r->model;
	bool lists = !m || m->lists != CT_LISTS_NONE;
	bool ecache = !m || m->has_ecache_dying;
	fprintf(out, "%-18s %10s %9s %9s %11s %9s %9s %9s %9s\n", "NET", "INUM",
		"COUNT", "HASHED", "UNCONFIRMED", "DYING", "ECACHE", "SLAB-ONLY",
		"UNSEEN");
	for (size_t i = 0; i < r->n_netns; i++) {
		const struct ct_netns *n = &r->netns[i];
		fprintf(out, "0x%016" PRIx64 " %10" PRIu32, n->net, n->inum);
		if (n->count_known)
			fprintf(out, " %9" PRId64, n->count);
		else
			fprintf(out, " %9s", "?");
		column(out, true, n->hashed, 9);
		column(out, lists, n->unconfirmed, 11);
		column(out, lists, n->dying, 9);
		column(out, ecache, n->ecache_dying, 9);
		column(out, true, n->slab_only, 9);
		/* What the counter says exists but no walk has found. */
		if (n->count_known) {
			int64_t seen = (int64_t)(n->hashed + n->unconfirmed + n->dying +
						 n->ecache_dying + n->slab_only);
			fprintf(out, " %9" PRId64, n->count - seen);
		} else {
			fprintf(out, " %9s", "?");
		}
		fputs(n->cleanup ? "  (cleanup: netns being torn down)\n" : "\n", out);
	}
}

void ct_render_report_text(FILE *out, const struct ct_report *r, unsigned show)
{
	if (show & CT_SHOW_SUMMARY) {
		fprintf(out, "kernel %s", r->osrelease[0] ? r->osrelease : "(unknown)");
		if (r->model)
			fprintf(out, ": count in %s, %s hash, %s unconfirmed/dying lists",
				ct_count_where_name(r->model->count_where),
				ct_hash_scope_name(r->model->hash_scope),
				ct_lists_kind_name(r->model->lists));
		fputc('\n', out);
		summary(out, r);
	}
	bool header = false;
	for (size_t i = 0; i < r->n_entries; i++) {
		const struct ct_entry *e = &r->entries[i];
		if (!ct_show_entry(show, e))
			continue;
		if (!header && (show & CT_SHOW_SUMMARY))
			fputc('\n', out);
		header = true;
		fprintf(out, "0x%016" PRIx64 " %-11s %-11s ", e->addr,
			ct_found_in_name(e->found_in), ct_entry_state_name(e->state));
		ct_format_proc_line(out, e);
	}
	if (r->dropped_entries)
		fprintf(out, "ctleak: %" PRIu64 " more entries not kept (limit %zu)\n",
			r->dropped_entries, r->max_entries);
	for (size_t i = 0; i < r->n_problems; i++)
		fprintf(out, "ctleak: warning: %s\n", r->problems[i]);
	if (r->dropped_problems)
		fprintf(out, "ctleak: %" PRIu64 " more warnings not shown\n",
			r->dropped_problems);
}

void ct_render_model_text(FILE *out, const struct ct_kmodel *m,
			  const struct ct_layout *l)
{
	if (strcmp(l->source, "cache") == 0)
		fprintf(out, "conntrack layout (types from the cache %s)\n", l->cache_path);
	else if (l->cache_path[0])
		fprintf(out, "conntrack layout (types from DWARF, cached in %s)\n",
			l->cache_path);
	else
		fprintf(out, "conntrack layout (types from DWARF, not cached)\n");
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
