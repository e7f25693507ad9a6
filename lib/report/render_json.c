#include "report/render.h"

#include "report/ct_format.h"
#include "report/summary.h"
#include "report/table_summary.h"
#include "report/verdict.h"
#include "report/json_writer.h"

static bool has_ports(unsigned proto)
{
	return proto == 6 || proto == 17 || proto == 33 || proto == 132 || proto == 136;
}

static void tuple_json(struct ct_json *j, const char *name,
		       const struct ct_tuple *t)
{
	char addr[48];
	ct_json_name(j, name);
	ct_json_start_object(j);
	ct_format_addr(t->l3num, t->src, addr, sizeof(addr));
	ct_json_kv_string(j, "src", addr);
	ct_format_addr(t->l3num, t->dst, addr, sizeof(addr));
	ct_json_kv_string(j, "dst", addr);
	bool ports = has_ports(t->protonum);
	ct_json_kv_u64_or_null(j, "sport", ports, (unsigned)t->src_u[0] << 8 | t->src_u[1]);
	ct_json_kv_u64_or_null(j, "dport", ports, (unsigned)t->dst_u[0] << 8 | t->dst_u[1]);
	if (t->protonum == 1 || t->protonum == 58) {
		ct_json_kv_u64(j, "type", t->dst_u[0]);
		ct_json_kv_u64(j, "code", t->dst_u[1]);
		ct_json_kv_u64(j, "id", (unsigned)t->src_u[0] << 8 | t->src_u[1]);
	}
	ct_json_end_object(j);
}

static void entry_json(struct ct_json *j, const struct ct_entry *e)
{
	const char *names[16];
	unsigned n = 0;
	ct_json_start_object(j);
	ct_json_kv_addr(j, "address", e->addr);
	ct_json_kv_u64(j, "netns", e->netns_inum);
	ct_json_kv_addr(j, "net", e->net);
	ct_json_kv_string(j, "state", ct_entry_state_name(e->state));
	ct_json_kv_string(j, "found_in", ct_found_in_name(e->found_in));
	ct_json_kv_i64_or_null(j, "cpu", e->cpu >= 0, e->cpu);
	ct_json_kv_u64(j, "use", e->use);
	ct_json_name(j, "status");
	ct_json_start_array(j);
	ct_status_names(e->flags, names, &n);
	for (unsigned i = 0; i < n; i++)
		ct_json_string(j, names[i]);
	ct_json_end_array(j);
	ct_json_kv_u64(j, "status_raw", e->status);
	ct_json_kv_i64_or_null(j, "timeout", e->timeout_known, e->timeout_secs);
	ct_json_kv_i64_or_null(j, "age", e->age_known, e->age_secs);
	ct_json_kv_u64(j, "zone", e->zone);
	ct_json_kv_u64(j, "mark", e->mark);
	ct_json_kv_string(j, "l3proto", ct_l3proto_name(e->orig.l3num));
	ct_json_kv_u64(j, "proto", e->orig.protonum);
	tuple_json(j, "orig", &e->orig);
	tuple_json(j, "reply", &e->reply);
	ct_json_kv_string_or_null(j, "l4state", e->l4state);
	ct_json_kv_string_or_null(j, "last_hook", e->last_hook);
	ct_json_kv_string_or_null(j, "next_hook", e->next_hook);
	ct_json_kv_string_or_null(j, "last_hook_evidence", e->last_hook_evidence);
	ct_json_name(j, "holders");
	ct_json_start_array(j);
	for (unsigned i = 0; i < e->nholders; i++) {
		ct_json_start_object(j);
		ct_json_kv_string(j, "kind", e->holders[i].kind);
		ct_json_kv_addr(j, "address", e->holders[i].addr);
		ct_json_kv_string(j, "detail", e->holders[i].detail);
		ct_json_end_object(j);
	}
	ct_json_end_array(j);
	ct_json_kv_u64(j, "holders_total", e->holders_total);
	ct_json_kv_bool(j, "suspect", e->suspect);
	ct_json_name(j, "reasons");
	ct_json_start_array(j);
	for (unsigned i = 0; i < e->nreasons; i++)
		ct_json_string(j, e->reasons[i]);
	ct_json_end_array(j);
	ct_json_end_object(j);
}

static void netns_json(struct ct_json *j, const struct ct_report *r,
		       const struct ct_netns *n)
{
	const struct ct_kmodel *m = r->model;
	bool lists = !m || m->lists != CT_LISTS_NONE;
	bool dying = lists || !m || m->has_ecache_dying;
	ct_json_start_object(j);
	ct_json_kv_u64(j, "inum", n->inum);
	ct_json_kv_addr(j, "address", n->net);
	ct_json_kv_i64_or_null(j, "count", n->count_known, n->count);
	ct_json_kv_u64(j, "confirmed", n->hashed);
	/* null, not 0, where this kernel has no such list */
	ct_json_kv_u64_or_null(j, "unconfirmed", lists, n->unconfirmed);
	ct_json_kv_u64_or_null(j, "dying", dying, n->dying + n->ecache_dying);
	ct_json_kv_u64_or_null(j, "slab_only", r->slab.scanned, n->slab_only);
	ct_json_kv_u64(j, "orphaned", n->orphaned);
	ct_json_kv_i64_or_null(j, "unaccounted", n->count_known, ct_netns_unaccounted(n));
	ct_json_kv_u64(j, "suspects", n->suspects);
	ct_json_kv_bool(j, "cleanup", n->cleanup);
	ct_json_end_object(j);
}

/* The verdict first: false means the counts are not a full account. */
static void verdict_json(struct ct_json *j, const struct ct_report *r)
{
	ct_json_kv_bool(j, "complete", ct_report_complete(r));
	ct_json_name(j, "incomplete");
	ct_json_start_array(j);
	for (size_t i = 0; i < r->n_incomplete; i++) {
		ct_json_start_object(j);
		ct_json_kv_string(j, "code", r->incomplete[i].code);
		ct_json_kv_string(j, "what", r->incomplete[i].what);
		ct_json_end_object(j);
	}
	ct_json_end_array(j);
	ct_json_kv_u64(j, "incomplete_dropped", r->dropped_incomplete);
}

/* "verdict": the text's first lines as facts (verdict.h). */
static void headline_json(struct ct_json *j, const struct ct_report *r)
{
	struct ct_verdict v;
	char fill[CT_VERDICT_LINE], suspects[CT_VERDICT_LINE];
	bool ok = ct_verdict_build(r, &v);
	ct_json_name(j, "verdict");
	if (!ok) {
		ct_json_null(j);
		return;
	}
	ct_verdict_lines(&v, fill, suspects);
	ct_json_start_object(j);
	ct_json_kv_bool(j, "complete", v.complete);
	ct_json_kv_u64_or_null(j, "entries", v.counts_known > 0, v.entries);
	ct_json_kv_u64(j, "namespaces", v.namespaces);
	ct_json_kv_u64_or_null(j, "nf_conntrack_max", v.max_known, v.max);
	ct_json_name(j, "fullest");
	if (v.fullest_known) {
		ct_json_start_object(j);
		ct_json_kv_u64(j, "netns", v.fullest_inum);
		ct_json_kv_i64(j, "count", v.fullest_count);
		ct_json_end_object(j);
	} else {
		ct_json_null(j);
	}
	ct_json_kv_u64(j, "suspects", v.suspects);
	ct_json_kv_u64(j, "classified", v.classified);
	ct_json_name(j, "causes");
	ct_json_start_object(j);
	for (int c = 0; c < CT_CAUSE_N; c++)
		ct_json_kv_u64(j, ct_cause_name(c), v.cause[c]);
	ct_json_end_object(j);
	ct_json_name(j, "nfqueues");
	ct_json_start_array(j);
	for (size_t i = 0; i < v.n_queues; i++) {
		ct_json_start_object(j);
		ct_json_kv_u64(j, "netns", v.queues[i].netns_inum);
		ct_json_kv_u64(j, "queue", v.queues[i].queue);
		ct_json_kv_u64(j, "held", v.queues[i].held);
		ct_json_end_object(j);
	}
	ct_json_end_array(j);
	ct_json_kv_u64(j, "nfqueues_more", v.queues_more);
	ct_json_name(j, "lines");
	ct_json_start_array(j);
	ct_json_string(j, fill);
	ct_json_string(j, suspects);
	ct_json_end_array(j);
	ct_json_end_object(j);
}

static void kernel_json(struct ct_json *j, const struct ct_report *r)
{
	ct_json_name(j, "kernel");
	ct_json_start_object(j);
	ct_json_kv_string(j, "release", r->osrelease);
	/* No word on which front end read the dump: crash> ctleak and the
	 * standalone twin print the same bytes. */
	ct_json_kv_string_or_null(j, "dump_format", r->dump_format);
	ct_json_kv_string(j, "types_from", r->types_from[0] ? r->types_from : "dwarf");
	ct_json_kv_u64_or_null(j, "nf_conntrack_max", r->max_known, r->nf_conntrack_max);
	ct_json_kv_u64_or_null(j, "buckets", r->buckets_known, r->buckets);
	if (r->model) {
		ct_json_name(j, "layout");
		ct_json_start_object(j);
		ct_json_kv_string(j, "count_in", ct_count_where_name(r->model->count_where));
		ct_json_kv_string(j, "hash", ct_hash_scope_name(r->model->hash_scope));
		ct_json_kv_string(j, "lists", ct_lists_kind_name(r->model->lists));
		ct_json_kv_bool(j, "ecache_dying_list", r->model->has_ecache_dying);
		ct_json_kv_string(j, "refcount", ct_refcount_kind_name(r->model->refcount));
		ct_json_kv_string(j, "timeout", ct_timeout_kind_name(r->model->timeout));
		ct_json_end_object(j);
	}
	ct_json_end_object(j);
}

static void slab_json(struct ct_json *j, const struct ct_report *r)
{
	ct_json_name(j, "slab");
	if (!r->slab.scanned) {
		ct_json_null(j);
		return;
	}
	ct_json_start_object(j);
	ct_json_kv_u64(j, "slabs", r->slab.slabs);
	ct_json_kv_u64(j, "objects", r->slab.objects);
	ct_json_kv_u64(j, "allocated", r->slab.allocated);
	ct_json_kv_u64(j, "unreadable_pages", r->slab.unreadable_pages);
	ct_json_kv_u64(j, "excluded_pages", r->slab.excluded_pages);
	ct_json_kv_u64(j, "unclassified_slabs", r->slab.unclassified_slabs);
	ct_json_end_object(j);
}

static void groups_json(struct ct_json *j, const struct ct_report *r, const struct ct_filter *f)
{
	struct ct_summary sum;
	ct_json_name(j, "groups");
	if ((f->show & CT_SHOW_GROUPS) && ct_summary_build_for(r, f, &sum)) {
		ct_summary_json(j, &sum);
		ct_summary_free(&sum);
	} else {
		ct_json_null(j);
	}
	ct_json_name(j, "table_summary");
	if ((f->show & CT_SHOW_GROUPS) && r->table)
		ct_table_summary_json(j, r->table);
	else
		ct_json_null(j);
}

static void nfqueues_json(struct ct_json *j, const struct ct_report *r)
{
	ct_json_kv_bool(j, "holders_searched", r->holders_searched);
	ct_json_name(j, "nfqueues");
	ct_json_start_array(j);
	for (size_t i = 0; i < r->n_nfqueues; i++) {
		const struct ct_nfqueue *q = &r->nfqueues[i];
		ct_json_start_object(j);
		ct_json_kv_u64(j, "netns", q->netns_inum);
		ct_json_kv_u64(j, "queue", q->queue);
		ct_json_kv_u64(j, "portid", q->portid);
		ct_json_kv_u64(j, "queued", q->total);
		ct_json_kv_addr(j, "address", q->addr);
		ct_json_end_object(j);
	}
	ct_json_end_array(j);
}

/* With matches only (-n, -p, --src, ...): what they were, how many entries
 * they leave listed, and the sentence when none. */
static void filter_json(struct ct_json *j, const struct ct_report *r, const struct ct_filter *f)
{
	char what[512], sentence[600];
	if (!ct_filter_has_matches(f))
		return;
	size_t listed = ct_filter_count(f, r);
	ct_filter_describe(f, what, sizeof(what));
	ct_filter_none_sentence(f, sentence, sizeof(sentence));
	ct_json_name(j, "filter");
	ct_json_start_object(j);
	ct_json_kv_string(j, "options", what);
	ct_json_kv_u64(j, "listed", listed);
	ct_json_kv_string_or_null(j, "none_matched", listed ? "" : sentence);
	ct_json_end_object(j);
}

/* {code, what, address}: code the stable name of the problem's status. */
static void problems_json(struct ct_json *j, const char *name, const struct ct_problem *p,
			  size_t n)
{
	ct_json_name(j, name);
	ct_json_start_array(j);
	for (size_t i = 0; i < n; i++) {
		ct_json_start_object(j);
		ct_json_kv_string(j, "what", p[i].what);
		ct_json_name(j, "address");
		if (p[i].addr)
			ct_json_addr(j, p[i].addr);
		else
			ct_json_null(j);
		ct_json_kv_string(j, "code", ct_status_code(p[i].status));
		ct_json_end_object(j);
	}
	ct_json_end_array(j);
}

/* errors[], errors_dropped and notes[]: every problem and note of the run,
 * which under -j reach no other stream (see command.c). */
static void diagnostics_json(struct ct_json *j, const struct ct_report *r)
{
	problems_json(j, "errors", r ? r->problems : NULL, r ? r->n_problems : 0);
	ct_json_kv_u64(j, "errors_dropped", r ? r->dropped_problems : 0);
	problems_json(j, "notes", r ? r->notes : NULL, r ? r->n_notes : 0);
}

void ct_render_report_json(FILE *out, const struct ct_report *r, const struct ct_filter *f,
			   bool pretty)
{
	struct ct_json j;
	ct_json_init(&j, out, pretty);
	ct_json_start_object(&j);
	ct_json_kv_u64(&j, "schema", CT_JSON_SCHEMA);
	verdict_json(&j, r);
	headline_json(&j, r);
	kernel_json(&j, r);
	ct_json_kv_bool(&j, "partial", r->partial);
	ct_json_kv_bool(&j, "live", r->live);
	ct_json_kv_u64(&j, "rewalked", r->rewalked);
	ct_json_kv_u64(&j, "unsettled", r->unsettled);
	ct_json_kv_u64(&j, "met_twice", r->met_twice);
	ct_json_kv_u64(&j, "in_flight", r->in_flight);
	ct_json_name(&j, "netns");
	ct_json_start_array(&j);
	for (size_t i = 0; i < r->n_netns; i++)
		netns_json(&j, r, &r->netns[i]);
	ct_json_end_array(&j);
	ct_json_kv_u64(&j, "suspects", r->suspects);
	slab_json(&j, r);
	groups_json(&j, r, f);
	nfqueues_json(&j, r);
	filter_json(&j, r, f);
	ct_json_name(&j, "entries");
	ct_json_start_array(&j);
	struct ct_entry_iter it = { 0 };
	for (const struct ct_entry *e; (e = ct_report_next_entry(r, &it));)
		if (ct_filter_keeps(f, e))
			entry_json(&j, e);
	ct_json_end_array(&j);
	ct_json_kv_u64(&j, "entries_dropped", r->dropped_entries);
	diagnostics_json(&j, r);
	ct_json_end_object(&j);
	ct_json_finish(&j);
}

void ct_render_error_json(FILE *out, const struct ct_report *r, ct_status st, uint64_t addr,
			  const char *what, bool pretty)
{
	struct ct_json j;
	ct_json_init(&j, out, pretty);
	ct_json_start_object(&j);
	ct_json_kv_u64(&j, "schema", CT_JSON_SCHEMA);
	/* No report: certainly not a full account. */
	ct_json_kv_bool(&j, "complete", false);
	ct_json_name(&j, "error");
	ct_json_start_object(&j);
	ct_json_kv_string(&j, "code", ct_status_code(st));
	ct_json_kv_string(&j, "what", what);
	ct_json_name(&j, "address");
	if (addr)
		ct_json_addr(&j, addr);
	else
		ct_json_null(&j);
	ct_json_end_object(&j);
	diagnostics_json(&j, r);
	ct_json_end_object(&j);
	ct_json_finish(&j);
}

void ct_render_model_json(FILE *out, const struct ct_kmodel *m,
			  const struct ct_layout *l, const struct ct_report *notes,
			  bool pretty)
{
	struct ct_json j;
	ct_json_init(&j, out, pretty);
	ct_json_start_object(&j);
	ct_json_kv_u64(&j, "schema", CT_JSON_SCHEMA);
	ct_json_kv_string(&j, "types_from", l->source);
	ct_json_kv_string(&j, "types_origin", l->origin[0] ? l->origin : "dwarf");
	ct_json_name(&j, "model");
	ct_json_start_object(&j);
	ct_json_kv_string(&j, "count_in", ct_count_where_name(m->count_where));
	ct_json_kv_string(&j, "hash", ct_hash_scope_name(m->hash_scope));
	ct_json_kv_string(&j, "lists", ct_lists_kind_name(m->lists));
	ct_json_kv_bool(&j, "template_list", m->has_template_list);
	ct_json_kv_bool(&j, "ecache_dying_list", m->has_ecache_dying);
	ct_json_kv_string(&j, "refcount", ct_refcount_kind_name(m->refcount));
	ct_json_kv_string(&j, "timeout", ct_timeout_kind_name(m->timeout));
	ct_json_kv_string(&j, "skb_link", ct_skb_link_name(m->skb_link));
	ct_json_kv_string(&j, "net_generic", ct_netgen_kind_name(m->netgen));
	ct_json_kv_bool(&j, "per_netns_slab", m->per_netns_slab);
	ct_json_kv_bool(&j, "nf_conn_cpu", m->has_cpu_field);
	ct_json_kv_bool(&j, "status_bits_from_uapi", m->bits_from_uapi);
	ct_json_kv_u64(&j, "sizeof_nf_conn", m->nf_conn_size);
	ct_json_end_object(&j);
	ct_json_name(&j, "layout");
	ct_json_start_object(&j);
	for (int i = 0; i < CTL__COUNT; i++) {
		const struct ct_layout_entry *e = &l->e[i];
		ct_json_name(&j, ct_layout_defs[i].question);
		if (e->state != CTL_PRESENT) {
			ct_json_null(&j);
			continue;
		}
		ct_json_start_object(&j);
		if (ct_layout_defs[i].kind == CTL_KIND_SIZE) {
			ct_json_kv_i64(&j, "size", e->value);
		} else if (ct_layout_defs[i].kind == CTL_KIND_ENUM) {
			ct_json_kv_i64(&j, "value", e->value);
		} else {
			ct_json_kv_i64(&j, "offset", e->value);
			ct_json_kv_u64(&j, "size", e->size);
			if (e->bit_size) {
				ct_json_kv_u64(&j, "bit_offset", e->bit_offset);
				ct_json_kv_u64(&j, "bit_size", e->bit_size);
			}
			ct_json_kv_string(&j, "type", e->type_name);
		}
		ct_json_end_object(&j);
	}
	ct_json_end_object(&j);
	problems_json(&j, "notes", notes ? notes->notes : NULL, notes ? notes->n_notes : 0);
	ct_json_end_object(&j);
	ct_json_finish(&j);
}
