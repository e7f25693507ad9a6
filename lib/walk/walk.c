/* walk.c — the order of the walk: time, namespaces, hash, lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/table_summary.h"
#include "walk/walk_internal.h"

/* HZ is a build option no structure records. TICK_NSEC = 1e9 / HZ is what
 * the kernel keeps in tick_nsec (NTP adjusts it by parts per million). */
static const unsigned known_hz[] = { 100, 250, 300, 1000 };

/* Without tick_nsec (gone by 7.x): jiffies_64 started at INITIAL_JIFFIES,
 * (u32)(-300 * HZ), and counts HZ per second; tick_next_period is the
 * monotonic time (ns) of the next tick, advanced with it. The one HZ whose
 * jiffies-derived uptime matches it (within 2 s) is the kernel's; none or
 * several (uptime near 300 s, where all agree): unknown. */
static unsigned hz_from_uptime(const struct ct_program *p, uint64_t jiffies)
{
	uint64_t next;
	if (ct_program_symbol_u64(p, "tick_next_period", &next, NULL) != CT_OK || next == 0)
		return 0;
	double up = (double)next / 1e9;
	unsigned found = 0, n = 0;
	for (size_t i = 0; i < sizeof(known_hz) / sizeof(*known_hz); i++) {
		uint64_t initial = (uint32_t)(-300 * (int64_t)known_hz[i]);
		double secs = (double)(int64_t)(jiffies - initial) / known_hz[i];
		if (secs > up - 2 && secs < up + 2) {
			found = known_hz[i];
			n++;
		}
	}
	return n == 1 ? found : 0;
}

static unsigned guess_hz(const struct ct_program *p, bool have_jiffies, uint64_t jiffies)
{
	uint64_t tick;
	if (ct_program_symbol_u64(p, "tick_nsec", &tick, NULL) != CT_OK || tick == 0)
		return have_jiffies ? hz_from_uptime(p, jiffies) : 0;
	unsigned hz = (unsigned)((1000000000ULL + tick / 2) / tick);
	for (size_t i = 0; i < sizeof(known_hz) / sizeof(*known_hz); i++)
		if (hz >= known_hz[i] - known_hz[i] / 50 && hz <= known_hz[i] + known_hz[i] / 50)
			return known_hz[i];
	return 0;
}

/* The timekeeper's copy: shadow_timekeeper, or from 6.13 (tk_data) the
 * core timekeeper_data[0].timekeeper. */
static bool wall_clock(const struct ct_program *p, const struct ct_kmodel *m, int64_t *sec)
{
	uint64_t tk;
	if (ct_program_symbol(p, "shadow_timekeeper", &tk, NULL) != CT_OK) {
		if (!m->tstamp.has_tk_data ||
		    ct_program_symbol(p, "timekeeper_data", &tk, NULL) != CT_OK)
			return false;
		tk += m->tstamp.tk_data_timekeeper;
	}
	return ct_target_read(p->mem, tk + m->tstamp.xtime_sec, sec, 8, NULL) == CT_OK && *sec > 0;
}

static void walk_lists_of(struct walk *w, struct walk_netns *ns,
			  const uint64_t *cpus, unsigned nr_cpus)
{
	const struct ct_kmodel *m = w->m;
	uint64_t ct = ns->net + m->net.ct;
	if (m->lists == CT_LISTS_PER_NETNS) {
		walk_list(w, ct + m->netns_ct.unconfirmed, CT_FOUND_UNCONFIRMED, -1, ns);
		walk_list(w, ct + m->netns_ct.dying, CT_FOUND_DYING, -1, ns);
		if (m->has_template_list)
			walk_list(w, ct + m->netns_ct.tmpl, CT_FOUND_TEMPLATE_LIST, -1, ns);
	} else if (m->lists == CT_LISTS_PER_CPU) {
		uint64_t pcpu;
		struct ct_error e = { 0 };
		if (ct_target_read_u64(w->t, ct + m->netns_ct.pcpu_lists, &pcpu, &e)) {
			ct_report_error(w->r, e.status, ct, "netns %u: pcpu_lists unreadable", ns->inum);
			ct_report_incomplete(w->r, CT_INC_LISTS, "netns %u: its per-CPU lists "
					     "are unreadable", ns->inum);
			return;
		}
		for (unsigned cpu = 0; cpu < nr_cpus; cpu++) {
			if (!(cpus[cpu / 64] >> (cpu % 64) & 1))
				continue;
			uint64_t base;
			if (ct_program_percpu_base(w->p, cpu, &base, &e)) {
				ct_report_error(w->r, e.status, 0, "per-CPU base of CPU %u unreadable", cpu);
				continue;
			}
			uint64_t lists = base + pcpu;
			walk_list(w, lists + m->ct_pcpu.unconfirmed, CT_FOUND_UNCONFIRMED, (int)cpu, ns);
			walk_list(w, lists + m->ct_pcpu.dying, CT_FOUND_DYING, (int)cpu, ns);
			if (m->has_template_list)
				walk_list(w, lists + m->ct_pcpu.tmpl, CT_FOUND_TEMPLATE_LIST, (int)cpu, ns);
		}
	}
	if (m->has_ecache_dying && ns->ctnet)
		walk_list(w, ns->ctnet + m->ctnet.ecache_dying, CT_FOUND_ECACHE_DYING, -1, ns);
}

/* What the walk needs before it starts: a buffer for one nf_conn, the
 * report's header, the chain bound, the clocks. */
static ct_status walk_begin(struct walk *w, struct ct_error *err)
{
	const struct ct_kmodel *m = w->m;
	struct ct_target *t = w->t;
	struct ct_report *r = w->r;
	if (m->nf_conn_size == 0 || m->nf_conn_size > 4096)
		return ct_fail(err, CT_ERR_UNSUPPORTED, "sizeof(struct nf_conn) %u is not plausible",
			       m->nf_conn_size);
	w->conn = malloc(m->nf_conn_size);
	if (!w->conn)
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	r->model = m;
	snprintf(r->osrelease, sizeof(r->osrelease), "%s", t->osrelease);
	snprintf(r->target_kind, sizeof(r->target_kind), "%s", t->ops->kind);
	r->live = t->live;
	/* -s: what fills the table, counted as the walk goes. */
	if ((w->o->filter.show & CT_SHOW_GROUPS) && !r->table) {
		r->table = malloc(sizeof(*r->table));
		if (!r->table)
			return ct_fail(err, CT_ERR_NOMEM, "out of memory");
		ct_table_summary_init(r->table);
	}
	w->max_chain = CT_MAX_CHAIN;
	uint64_t max_pfn;
	if (ct_program_symbol_u64(w->p, "max_pfn", &max_pfn, NULL) == CT_OK && max_pfn &&
	    max_pfn < (1ULL << 40))
		w->max_chain = max_pfn * (t->page_size ? t->page_size : 4096) / m->nf_conn_size + 1;
	w->have_jiffies = ct_program_jiffies(w->p, &w->jiffies, NULL) == CT_OK;
	w->hz = guess_hz(w->p, w->have_jiffies, w->jiffies);
	w->have_now = m->tstamp.usable && wall_clock(w->p, m, &w->now_sec);
	if (!w->have_jiffies || !w->hz)
		ct_report_error(r, CT_ERR_NOTFOUND, 0, "jiffies or HZ unknown: timeouts not shown");
	return CT_OK;
}

/* The confirmed hash: one global table, or one per namespace. */
static ct_status walk_confirmed(struct walk *w, struct ct_error *err)
{
	const struct ct_kmodel *m = w->m;
	struct ct_report *r = w->r;
	if (m->hash_scope == CT_HASH_GLOBAL) {
		uint64_t hash;
		uint32_t size;
		struct ct_error e = { 0 };
		if (ct_program_symbol_u64(w->p, "nf_conntrack_hash", &hash, &e) ||
		    ct_program_symbol_u32(w->p, "nf_conntrack_htable_size", &size, &e))
			return ct_fail(err, CT_ERR_NOTFOUND,
				       "the confirmed hash cannot be found (%s): is nf_conntrack loaded?",
				       e.text);
		r->buckets = size;
		r->buckets_known = true;
		walk_hash(w, hash, size, NULL);
		return CT_OK;
	}
	for (size_t i = 0; i < w->nns; i++) {
		uint64_t ct = w->ns[i].net + m->net.ct, hash;
		uint32_t size;
		struct ct_error e = { 0 };
		if (ct_target_read_u64(w->t, ct + m->netns_ct.hash, &hash, &e) ||
		    ct_target_read_u32(w->t, ct + m->netns_ct.htable_size, &size, &e)) {
			ct_report_error(r, e.status, ct, "netns %u: hash unreadable", w->ns[i].inum);
			continue;
		}
		if (i == 0) {
			r->buckets = size;
			r->buckets_known = true;
		}
		walk_hash(w, hash, size, &w->ns[i]);
		if (w->stop)
			break;
	}
	return CT_OK;
}

/* Every list of every namespace, then the slab scan (which may find
 * namespaces in teardown, whose lists are walked too) and the holders. */
static void walk_lists_and_slab(struct walk *w)
{
	uint64_t cpus[CT_MAX_CPUS / 64];
	unsigned nr_cpus = 0;
	if (w->m->lists == CT_LISTS_PER_CPU) {
		struct ct_error e = { 0 };
		if (ct_program_possible_cpus(w->p, cpus, CT_MAX_CPUS, &nr_cpus, &e)) {
			ct_report_error(w->r, e.status, 0, "possible CPUs unknown (%s): per-CPU lists not walked", e.text);
			ct_report_incomplete(w->r, CT_INC_LISTS, "the per-CPU unconfirmed and dying "
					     "lists were not walked: the possible CPUs are unknown");
		}
	}
	size_t listed_nns = w->nns; /* the slab scan may add namespaces in teardown */
	for (size_t i = 0; i < listed_nns; i++)
		walk_lists_of(w, &w->ns[i], cpus, nr_cpus);
	if (w->o->slab && !w->stop) {
		walk_slab(w, NULL);
		walk_slab_discover(w);
		for (size_t i = listed_nns; i < w->nns && !w->stop; i++)
			walk_lists_of(w, &w->ns[i], cpus, nr_cpus);
		walk_slab_finish(w);
	}
	if (w->o->holders && !w->stop)
		walk_holders(w);
}

/* The live second look, the faults met and the verdict. */
static ct_status walk_end(struct walk *w, uint64_t faults_before, struct ct_error *err)
{
	struct ct_target *t = w->t;
	struct ct_report *r = w->r;
	ct_status st = CT_OK;
	if (t->live && !w->stop)
		walk_live_second_look(w);
	if (w->stop && !r->partial)
		st = ct_fail(err, CT_ERR_USAGE, "interrupted: the walk was stopped before its end");
	if (t->faults > faults_before) {
		r->faults = t->faults - faults_before;
		r->first_fault = t->first_fault;
	}
	if (!st)
		ct_report_verdict(r);
	return st;
}

static void walk_release(struct walk *w)
{
	free(w->conn);
	walk_state_free(w);
}

ct_status ct_walk(struct ct_program *p, const struct ct_kmodel *m,
		  const struct ct_walk_opts *o, struct ct_report *r,
		  struct ct_error *err)
{
	struct walk w = { .p = p, .t = p->mem, .m = m, .o = o, .r = r };
	uint64_t faults_before = w.t->faults_mark = w.t->faults;
	walk_progress_start(&w);
	ct_status st = walk_begin(&w, err);
	walk_state_init(&w); /* sized by walk_begin's bounds */
	if (!st)
		st = walk_namespaces(&w, err);
	if (st)
		goto out;
	uint32_t max;
	if (ct_program_symbol_u32(p, "nf_conntrack_max", &max, NULL) == CT_OK) {
		r->nf_conntrack_max = max;
		r->max_known = true;
	}
	ct_u64map_reserve(&w.seen, walk_expected_entries(&w)); /* else grown as it fills */
	/* A dump: the hash nodes in memory order first. A running kernel's
	 * nodes move while read: each is read when the walk gets to it. */
	if (!w.t->live && !w.stop)
		walk_index_build(&w);
	st = walk_confirmed(&w, err);
	if (st)
		goto out;
	walk_lists_and_slab(&w);
	st = walk_end(&w, faults_before, err);
out:
	walk_progress_end(&w);
	walk_release(&w);
	return st;
}
