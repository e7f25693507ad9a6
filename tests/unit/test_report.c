/* test_report.c — the report model and its renderers: /proc/net/nf_conntrack
 * lines as the kernel prints them, the text table, and JSON that parses and
 * carries what was put in (checked by tests/unit/check_json.py). */
#include <stdlib.h>

#include "app/filter_args.h"
#include "report/ct_format.h"
#include "harness.h"
#include "report/json_writer.h"
#include "report/render.h"
#include "report/summary.h"
#include "report/table_summary.h"
#include "report/verdict.h"

static struct ct_entry udp_entry(void)
{
	struct ct_entry e;
	memset(&e, 0, sizeof(e));
	e.addr = 0xffff888012345600ULL;
	e.net = 0xffffffff82d1a0c0ULL;
	e.netns_inum = 4026531840u;
	e.orig = (struct ct_tuple){ .l3num = 2, .protonum = 17,
		.src = { 10, 0, 0, 1 }, .dst = { 10, 0, 0, 2 },
		.src_u = { 0x30, 0x39 }, .dst_u = { 0x00, 0x35 } };
	e.reply = (struct ct_tuple){ .l3num = 2, .protonum = 17,
		.src = { 10, 0, 0, 2 }, .dst = { 10, 0, 0, 1 },
		.src_u = { 0x00, 0x35 }, .dst_u = { 0x30, 0x39 } };
	e.use = 2;
	e.timeout_known = true;
	e.timeout_secs = 29;
	e.cpu = -1;
	e.found_in = CT_FOUND_HASH;
	e.state = CT_STATE_CONFIRMED;
	e.flags = CT_F_CONFIRMED;
	return e;
}

static char *capture(void (*fn)(FILE *, void *), void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	fn(f, arg);
	fclose(f);
	return buf;
}

static void proc_line(FILE *f, void *arg) { ct_format_proc_line(f, arg); }

/* ct_filter_keeps: one answer for the walk and the renderers. */
static void filter_checks(void)
{
	struct ct_filter f = ct_filter_default();
	struct ct_entry e = udp_entry();
	CHECK(!ct_filter_keeps(&f, &e), "default: a sound hashed entry is not listed");
	f.show |= CT_SHOW_HASH;
	CHECK(ct_filter_keeps(&f, &e), "-c lists it");
	f.proto[f.n_proto++] = 6;
	CHECK(!ct_filter_keeps(&f, &e), "-p tcp rules it out");
	f = ct_filter_default();
	e.suspect = true;
	CHECK(ct_filter_keeps(&f, &e), "a suspect is always listed");
	f.netns[f.n_netns++] = e.netns_inum + 1;
	CHECK(!ct_filter_keeps(&f, &e), "unless -n names another namespace");
	e.suspect = false;
	e.found_in = CT_FOUND_SLAB;
	e.state = CT_STATE_ORPHANED;
	f = ct_filter_default();
	CHECK(!ct_filter_keeps(&f, &e), "an orphan without -o");
	f.show |= CT_SHOW_ORPHANED;
	CHECK(ct_filter_keeps(&f, &e), "an orphan with -o");
	/* Templates: only -a, never -c, -u or -d (report.c says why). */
	e.found_in = CT_FOUND_TEMPLATE_LIST;
	e.state = CT_STATE_TEMPLATE;
	f = ct_filter_default();
	f.show |= CT_SHOW_HASH | CT_SHOW_UNCONFIRMED | CT_SHOW_DYING;
	CHECK(!ct_filter_keeps(&f, &e), "-c -u -d list no template");
	f.show |= CT_SHOW_ALL;
	CHECK(ct_filter_keeps(&f, &e), "-a lists templates");
	e.found_in = CT_FOUND_ECACHE_DYING;
	f = ct_filter_default();
	f.show |= CT_SHOW_DYING;
	CHECK(ct_filter_keeps(&f, &e), "-d lists the ecache dying list");
}

/* /proc/net/nf_conntrack lines; returns the TCP/IPv6 entry built on the way. */
static struct ct_entry check_proc_lines(void)
{
	struct ct_entry e = udp_entry();
	char *s = capture(proc_line, &e);
	CHECK_STR(s, "ipv4     2 udp      17 29 src=10.0.0.1 dst=10.0.0.2 sport=12345 dport=53 "
		     "[UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=53 dport=12345 mark=0 zone=0 use=2\n",
		  "udp line as /proc prints it");
	free(s);

	/* TCP with state, reply seen and assured; IPv6 addresses uncompressed
	 * as %pI6 prints them. */
	e.orig.protonum = e.reply.protonum = 6;
	e.orig.l3num = e.reply.l3num = 10;
	memset(e.orig.src, 0, 16);
	e.orig.src[0] = 0xfe; e.orig.src[1] = 0x80; e.orig.src[15] = 1;
	memcpy(e.reply.dst, e.orig.src, 16);
	memset(e.orig.dst, 0, 16); e.orig.dst[15] = 2;
	memcpy(e.reply.src, e.orig.dst, 16);
	e.flags |= CT_F_SEEN_REPLY | CT_F_ASSURED;
	snprintf(e.l4state, sizeof(e.l4state), "ESTABLISHED");
	e.mark = 7;
	e.zone = 3;
	s = capture(proc_line, &e);
	CHECK_STR(s, "ipv6     10 tcp      6 29 ESTABLISHED "
		     "src=fe80:0000:0000:0000:0000:0000:0000:0001 dst=0000:0000:0000:0000:0000:0000:0000:0002 "
		     "sport=12345 dport=53 "
		     "src=0000:0000:0000:0000:0000:0000:0000:0002 dst=fe80:0000:0000:0000:0000:0000:0000:0001 "
		     "sport=53 dport=12345 [ASSURED] mark=7 zone=3 use=2\n", "tcp/ipv6 line");
	free(s);

	/* ICMP prints type/code/id; unconfirmed entries print timeout 0;
	 * offloaded ones print no timeout and [OFFLOAD] instead of [ASSURED]. */
	struct ct_entry ic = udp_entry();
	ic.orig.protonum = ic.reply.protonum = 1;
	ic.orig.dst_u[0] = 8; ic.orig.dst_u[1] = 0; ic.orig.src_u[0] = 0; ic.orig.src_u[1] = 42;
	ic.reply.dst_u[0] = 0; ic.reply.dst_u[1] = 0; ic.reply.src_u[0] = 0; ic.reply.src_u[1] = 42;
	ic.timeout_known = false;
	ic.flags = CT_F_OFFLOAD | CT_F_ASSURED | CT_F_SEEN_REPLY;
	s = capture(proc_line, &ic);
	CHECK_STR(s, "ipv4     2 icmp     1 src=10.0.0.1 dst=10.0.0.2 type=8 code=0 id=42 "
		     "src=10.0.0.2 dst=10.0.0.1 type=0 code=0 id=42 [OFFLOAD] mark=0 zone=0 use=2\n",
		  "icmp offloaded line");
	free(s);
	return e;
}

/* A report with two entries kept, one dropped, two namespaces, problems,
 * a note, and its verdict. */
static void build_report(struct ct_report *r, struct ct_entry e)
{
	/* The report caps what it keeps and counts what it drops. */
	ct_report_init(r, 2);
	snprintf(r->osrelease, sizeof(r->osrelease), "6.1.0-test");
	snprintf(r->target_kind, sizeof(r->target_kind), "memory");
	r->max_known = true;
	r->nf_conntrack_max = 262144;
	struct ct_entry d = udp_entry();
	d.found_in = CT_FOUND_DYING;
	d.state = CT_STATE_DYING;
	d.flags |= CT_F_DYING;
	d.cpu = 1;
	snprintf(d.last_hook, sizeof(d.last_hook), "LOCAL_OUT");
	snprintf(d.next_hook, sizeof(d.next_hook), "POST_ROUTING");
	snprintf(d.last_hook_evidence, sizeof(d.last_hook_evidence), "inferred");
	ct_entry_reason(&d, "dying: deleted but still referenced (use %u)", d.use);
	CHECK(d.suspect && d.nreasons == 1, "a reason makes a suspect");
	for (int i = 0; i < CT_MAX_REASONS + 2; i++)
		ct_entry_reason(&e, "reason %d", i);
	CHECK(e.nreasons == CT_MAX_REASONS, "reasons are capped at %d", CT_MAX_REASONS);
	CHECK(ct_report_add_entry(r, &e), "entry 1 kept");
	CHECK(ct_report_add_entry(r, &d), "entry 2 kept");
	CHECK(!ct_report_add_entry(r, &d), "entry 3 dropped past the cap");
	CHECK(r->dropped_entries == 1, "drop counted");
	r->suspects = 2;
	struct ct_netns *n = ct_report_netns(r, 0xffffffff82d1a0c0ULL);
	CHECK(n && ct_report_netns(r, 0xffffffff82d1a0c0ULL) == n, "netns found again");
	n->inum = 4026531840u;
	n->count_known = true;
	n->count = 5;
	n->hashed = 3;
	n->dying = 1;
	n->suspects = 2;
	CHECK(ct_netns_unaccounted(n) == 1, "unaccounted = count - found");
	struct ct_netns *gone = ct_report_netns(r, 0xffff888100000000ULL);
	gone->cleanup = true;
	gone->inum = 4026532000u;
	ct_report_problem(r, 0xffff888000001000ULL, "bucket %d: \"loop\"\tdetected", 7);
	ct_report_error(r, CT_ERR_FAULT, 0xffff888000002000ULL, "node unreadable (%s)",
			ct_status_name(CT_ERR_FAULT));
	ct_report_note(r, CT_ERR_NOTFOUND, "no %s debug file", "nf_conntrack");
	ct_report_note(r, CT_ERR_NOTFOUND, "no %s debug file", "nf_conntrack");
	CHECK(r->n_problems == 2 && r->problems[0].status == CT_ERR_CORRUPT &&
	      r->problems[1].status == CT_ERR_FAULT, "problems carry their status");
	CHECK(r->n_notes == 1 && r->notes[0].status == CT_ERR_NOTFOUND, "a note is kept once");

	/* The verdict: unaccounted, unknown count and dropped entries make the
	 * report incomplete, each reason once; a complete one says nothing. */
	CHECK(ct_report_complete(r), "complete before the verdict");
	ct_report_verdict(r);
	ct_report_verdict(r);
	CHECK(!ct_report_complete(r) && r->n_incomplete == 3, "3 reasons, once each: %zu",
	      r->n_incomplete);
	CHECK(r->n_incomplete == 3 && strcmp(r->incomplete[0].code, CT_INC_UNACCOUNTED) == 0 &&
	      strcmp(r->incomplete[0].what, "netns 4026531840: 1 of its 5 entries not found "
		     "(no slab scan)") == 0, "unaccounted reason: %s",
	      r->n_incomplete ? r->incomplete[0].what : "");
	CHECK(r->n_incomplete == 3 && strcmp(r->incomplete[1].code, CT_INC_COUNT) == 0 &&
	      strcmp(r->incomplete[2].code, CT_INC_DROPPED) == 0, "count and dropped reasons");
}

static void check_text(const struct ct_report *r)
{
	char *txt = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&txt, &len);
	struct ct_filter deflt = ct_filter_default();
	ct_render_report_text(f, r, &deflt);
	fclose(f);
	CHECK(strstr(txt, "kernel 6.1.0-test, nf_conntrack_max 262144\n") != NULL, "header:\n%s", txt);
	CHECK(strncmp(txt, "INCOMPLETE: this report does not account for every conntrack entry:\n"
		      "INCOMPLETE: netns 4026531840: 1 of its 5 entries not found (no slab scan)\n"
		      "INCOMPLETE: netns 4026532000: the kernel's count of its entries is unknown",
		      strlen("INCOMPLETE: this report does not account for every conntrack entry:\n"
			     "INCOMPLETE: netns 4026531840: 1 of its 5 entries not found (no slab "
			     "scan)\nINCOMPLETE: netns 4026532000: the kernel's count of its entries "
			     "is unknown")) == 0, "the verdict comes first:\n%s", txt);
	const char *vl = strstr(txt, "\nverdict: report INCOMPLETE (reasons above); fullest table "
				 "netns 4026531840 at 5 of nf_conntrack_max 262144 (0.0%); 5 entries "
				 "in the 1 of 2 namespaces whose count is known\nverdict: 2 suspects: "
				 "2 other (see their reasons)\nkernel ");
	CHECK(vl && !strstr(vl, "\nINCOMPLETE"), "the verdict after the INCOMPLETE lines:\n%s", txt);
	CHECK(strstr(txt, "4026531840  0xffffffff82d1a0c0         5         3") != NULL,
	      "netns row:\n%s", txt);
	/* no model: every column exists; unaccounted 1, suspects 2 */
	CHECK(strstr(txt, "        1        2\n") != NULL, "unaccounted, suspects:\n%s", txt);
	CHECK(strstr(txt, "(being torn down)") != NULL, "cleanup marked");
	CHECK(strstr(txt, "2 suspects; 2 entries listed:") != NULL, "suspect count");
	CHECK(strstr(txt, "dying_list cpu 1 dying use 2 status CONFIRMED|DYING timeout 29s") != NULL,
	      "dying entry line:\n%s", txt);
	CHECK(strstr(txt, "  last hook LOCAL_OUT, next POST_ROUTING (inferred)") != NULL, "hook line");
	CHECK(strstr(txt, "  why: dying: deleted but still referenced (use 2)") != NULL, "why line");
	CHECK(strstr(txt, "1 more entries not kept") != NULL, "drop reported");
	CHECK(strstr(txt, "loop") == NULL && strstr(txt, "debug file") == NULL,
	      "errors and notes go to stderr, not into the text report");
	free(txt);

	/* The renderers print what the filter keeps, as the walk kept it:
	 * -n of another namespace lists nothing; the counts stay. */
	struct ct_filter other = ct_filter_default();
	other.netns[other.n_netns++] = 1;
	f = open_memstream(&txt, &len);
	ct_render_report_text(f, r, &other);
	fclose(f);
	CHECK(strstr(txt, "\n2 suspects\n") != NULL && strstr(txt, "why:") == NULL,
	      "a filter keeping nothing lists nothing:\n%s", txt);
	free(txt);
}

/* JSON for tests/unit/check_json.py, and the error document beside it. */
static void write_json(const struct ct_report *r, int argc, char **argv)
{
	FILE *f;
	if (argc > 1) {
		f = fopen(argv[1], "w");
		CHECK(f != NULL, "open %s", argv[1]);
		if (f) {
			struct ct_filter all = { .show = CT_SHOW_ALL | CT_SHOW_SUSPECTS };
			ct_render_report_json(f, r, &all, false);
			fclose(f);
		}
		/* A failed run: one document with "error", what was
		 * collected before the failure, nothing else. */
		char path[4096];
		snprintf(path, sizeof(path), "%s.error", argv[1]);
		f = fopen(path, "w");
		CHECK(f != NULL, "open %s", path);
		if (f) {
			ct_render_error_json(f, r, CT_ERR_NOTFOUND, 0, "nf_conntrack is not loaded",
					     true);
			fclose(f);
		}
	}
}

static void check_empty_report(void)
{
	char *txt = NULL;
	size_t len = 0;
	FILE *f;
	/* -s on a report without suspects: no rows, so nothing to sort (found
	 * by tests/fuzz/fuzz_walk: qsort was handed NULL arrays, which UBSan
	 * reports as a null argument declared never null). */
	struct ct_report none;
	ct_report_init(&none, 10);
	struct ct_summary sum;
	CHECK(ct_summary_build(&none, &sum) && sum.n_by_kind == 0 && sum.n_by_source == 0 &&
	      sum.n_by_netns == 0 && sum.n_by_age == 0, "no suspects: no groups");
	ct_summary_free(&sum);
	ct_report_verdict(&none);
	CHECK(ct_report_complete(&none), "nothing missing: complete");
	f = open_memstream(&txt, &len);
	struct ct_filter groups = { .show = CT_SHOW_ALL | CT_SHOW_SUSPECTS | CT_SHOW_GROUPS };
	ct_render_report_text(f, &none, &groups);
	ct_render_report_json(f, &none, &groups, false);
	fclose(f);
	CHECK(strstr(txt, "\"by_state_proto_port\":[]") != NULL, "empty groups in JSON:\n%s", txt);
	CHECK(strstr(txt, "INCOMPLETE") == NULL && strstr(txt, "\"complete\":true,\"incomplete\":[],")
	      != NULL, "a complete report says nothing extra:\n%s", txt);
	CHECK(strstr(txt, "\"errors\":[],\"errors_dropped\":0,\"notes\":[]}") != NULL,
	      "no problem, no note:\n%s", txt);
	free(txt);
	ct_report_free(&none);
}

static void check_json_writer(void)
{
	char *txt = NULL;
	size_t len = 0;
	FILE *f;
	/* json_writer: nesting, escaping, empty containers, pretty mode. */
	f = open_memstream(&txt, &len);
	struct ct_json j;
	ct_json_init(&j, f, false);
	ct_json_start_object(&j);
	ct_json_kv_string(&j, "s", "a\"b\\c\n\x01\xc3");
	ct_json_name(&j, "empty");
	ct_json_start_array(&j);
	ct_json_end_array(&j);
	ct_json_name(&j, "o");
	ct_json_start_object(&j);
	ct_json_end_object(&j);
	ct_json_kv_i64(&j, "neg", -5);
	ct_json_kv_addr(&j, "a", 0xffff888000000000ULL);
	ct_json_end_object(&j);
	ct_json_finish(&j);
	fclose(f);
	CHECK_STR(txt, "{\"s\":\"a\\\"b\\\\c\\n\\u0001\\u00c3\",\"empty\":[],\"o\":{},"
		       "\"neg\":-5,\"a\":\"0xffff888000000000\"}\n", "compact JSON");
	free(txt);
	f = open_memstream(&txt, &len);
	ct_json_init(&j, f, true);
	ct_json_start_object(&j);
	ct_json_name(&j, "l");
	ct_json_start_array(&j);
	ct_json_u64(&j, 1);
	ct_json_bool(&j, true);
	ct_json_end_array(&j);
	ct_json_end_object(&j);
	ct_json_finish(&j);
	fclose(f);
	CHECK_STR(txt, "{\n  \"l\": [\n    1,\n    true\n  ]\n}\n", "pretty JSON");
	free(txt);
	/* Numbers at their limits, without printf. */
	f = open_memstream(&txt, &len);
	ct_json_init(&j, f, false);
	ct_json_start_array(&j);
	ct_json_u64(&j, 0);
	ct_json_u64(&j, UINT64_MAX);
	ct_json_i64(&j, INT64_MIN);
	ct_json_i64(&j, INT64_MAX);
	ct_json_i64(&j, 0);
	ct_json_addr(&j, 0);
	ct_json_addr(&j, UINT64_MAX);
	ct_json_end_array(&j);
	ct_json_finish(&j);
	fclose(f);
	CHECK_STR(txt, "[0,18446744073709551615,-9223372036854775808,9223372036854775807,0,"
		       "\"0x0000000000000000\",\"0xffffffffffffffff\"]\n", "JSON numbers");
	free(txt);
	/* Strings longer than the writer's buffer, plain and all escapes
	 * (six times as long written), reach the stream whole and in order. */
	size_t n = 3 * CT_JSON_BUF + 7;
	char *big = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[n] = 0;
	f = open_memstream(&txt, &len);
	ct_json_init(&j, f, false);
	ct_json_start_array(&j);
	ct_json_string(&j, big);
	memset(big, 1, n);
	ct_json_string(&j, big);
	ct_json_end_array(&j);
	ct_json_finish(&j);
	fclose(f);
	bool ok = len == 2 + (n + 2) + 1 + (6 * n + 2) + 1 && txt[0] == '[' && txt[1] == '"';
	for (size_t i = 0; ok && i < n; i++)
		ok = txt[2 + i] == (char)('a' + i % 26);
	for (size_t i = 0; ok && i < n; i++)
		ok = memcmp(txt + 2 + n + 3 + 6 * i, "\\u0001", 6) == 0;
	CHECK(ok && strcmp(txt + len - 3, "\"]\n") == 0, "long strings through the buffer (%zu bytes)", len);
	free(txt);
	free(big);
}

/* One suspect of each cause in a report of two namespaces, one in
 * teardown; v and its lines built. */
static struct ct_entry suspect_entry(uint64_t net, uint32_t inum, enum ct_entry_state st)
{
	struct ct_entry e = udp_entry();
	e.net = net;
	e.netns_inum = inum;
	e.state = st;
	ct_entry_reason(&e, "planted");
	return e;
}

static void verdict_of(const struct ct_report *r, struct ct_verdict *v, char *fill, char *sus)
{
	CHECK(ct_verdict_build(r, v), "verdict built");
	ct_verdict_lines(v, fill, sus);
}

static void check_verdict_causes(void)
{
	const uint64_t init = 0xffffffff82d1a0c0ULL, gone = 0xffff888100000000ULL;
	struct ct_report r;
	ct_report_init(&r, 100);
	r.max_known = true;
	r.nf_conntrack_max = 1000;
	r.holders_searched = true;
	struct ct_netns *n = ct_report_netns(&r, init);
	n->inum = 4026531840u, n->count_known = true, n->count = 999;
	n = ct_report_netns(&r, gone);
	n->inum = 4026532000u, n->count_known = true, n->count = 1, n->cleanup = true, n->suspects = 1;
	struct ct_entry e = suspect_entry(init, 4026531840u, CT_STATE_UNCONFIRMED);
	ct_report_add_entry(&r, &e);                     /* stolen */
	ct_report_add_entry(&r, &e);
	e = suspect_entry(init, 4026531840u, CT_STATE_UNCONFIRMED);
	e.nfqueued = true, e.nfqueue = 3, e.holders_total = 2;
	ct_report_add_entry(&r, &e);                     /* NFQUEUE 3, before "stolen" */
	e = suspect_entry(init, 4026531840u, CT_STATE_DYING);
	ct_report_add_entry(&r, &e);                     /* leaked: no holder */
	e.holders_total = 1;
	ct_report_add_entry(&r, &e);                     /* other: held by an skb */
	e = suspect_entry(gone, 4026532000u, CT_STATE_DYING);
	ct_report_add_entry(&r, &e);                     /* teardown, before "leaked" */
	e = udp_entry();
	ct_report_add_entry(&r, &e);                     /* not a suspect */
	r.suspects = 8;                                  /* 2 more than kept: filtered out */
	struct ct_verdict v;
	char fill[CT_VERDICT_LINE], sus[CT_VERDICT_LINE];
	verdict_of(&r, &v, fill, sus);
	CHECK(v.cause[CT_CAUSE_STOLEN] == 2 && v.cause[CT_CAUSE_NFQUEUE] == 1 &&
	      v.cause[CT_CAUSE_LEAKED] == 1 && v.cause[CT_CAUSE_OTHER] == 1 &&
	      v.cause[CT_CAUSE_TEARDOWN] == 1 && v.classified == 6 && v.suspects == 8,
	      "causes %llu/%llu/%llu/%llu/%llu, %llu classified",
	      (unsigned long long)v.cause[CT_CAUSE_STOLEN], (unsigned long long)v.cause[CT_CAUSE_NFQUEUE],
	      (unsigned long long)v.cause[CT_CAUSE_LEAKED], (unsigned long long)v.cause[CT_CAUSE_OTHER],
	      (unsigned long long)v.cause[CT_CAUSE_TEARDOWN], (unsigned long long)v.classified);
	CHECK(!strcmp(fill, "verdict: report complete; fullest table netns 4026531840 at 999 of "
		      "nf_conntrack_max 1000 (99.9%); 1000 entries in 2 namespaces"), "fill: %s", fill);
	CHECK(!strcmp(sus, "verdict: 8 suspects: 2 stolen before confirm, 1 reference leaked (no "
		      "holder), 1 held by NFQUEUE 3 awaiting a verdict from userspace, 1 in a "
		      "namespace being torn down, 1 other (see their reasons), 2 not listed "
		      "(filtered out or past the entry cap)"), "suspects: %s", sus);

	/* Without a holder search, no entry is "leaked (no holder)". */
	r.holders_searched = false;
	verdict_of(&r, &v, fill, sus);
	CHECK(v.cause[CT_CAUSE_LEAKED] == 0 && v.cause[CT_CAUSE_OTHER] == 2, "no holder search: other");
	r.holders_searched = true;

	/* A full table; the walk cut short; a second queue of another netns. */
	r.netns[0].count = 1000;
	r.partial = true;
	e = suspect_entry(gone, 4026532000u, CT_STATE_CONFIRMED);
	e.nfqueued = true, e.nfqueue = 0;
	ct_report_add_entry(&r, &e);
	verdict_of(&r, &v, fill, sus);
	CHECK(strstr(fill, "verdict: report complete, walk cut short (--max-entries): counts are lower "
		     "bounds; fullest table netns 4026531840 at 1000 of nf_conntrack_max 1000 (100.0%), "
		     "FULL: new entries are dropped;") == fill, "full: %s", fill);
	CHECK(v.n_queues == 2 && strstr(sus, "2 held by NFQUEUE awaiting a verdict from userspace (1 "
				       "by queue 3 of netns 4026531840, 1 by queue 0 of netns 4026532000)"),
	      "two queues: %s", sus);

	/* More queues than are named: summed. */
	for (uint16_t q = 10; q < 10 + CT_VERDICT_MAX_QUEUES; q++) {
		e.nfqueue = q;
		ct_report_add_entry(&r, &e);
	}
	verdict_of(&r, &v, fill, sus);
	CHECK(v.n_queues == CT_VERDICT_MAX_QUEUES && v.queues_more == 2 &&
	      strstr(sus, ", 2 by other queues)"), "queues past the cap: %s", sus);

	/* nf_conntrack_max unknown, a count unknown, then no count at all. */
	r.max_known = false;
	r.netns[1].count_known = false;
	verdict_of(&r, &v, fill, sus);
	CHECK(strstr(fill, "; nf_conntrack_max unknown; 1000 entries in the 1 of 2 namespaces whose "
		     "count is known"), "max unknown: %s", fill);
	r.netns[0].count_known = false;
	verdict_of(&r, &v, fill, sus);
	CHECK(strstr(fill, "; no namespace's count is known") && !v.fullest_known, "no count: %s", fill);
	ct_report_free(&r);

	/* A report with nothing: no suspects; the text opens with the verdict. */
	struct ct_report none;
	ct_report_init(&none, 10);
	verdict_of(&none, &v, fill, sus);
	CHECK(!strcmp(sus, "verdict: no suspects"), "no suspects: %s", sus);
	char *txt = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&txt, &len);
	struct ct_filter deflt = ct_filter_default();
	ct_render_report_text(f, &none, &deflt);
	fclose(f);
	CHECK(strncmp(txt, "verdict: report complete; no namespace's count is known\nverdict: no "
		      "suspects\nkernel ", 80) == 0, "text opens with the verdict:\n%s", txt);
	free(txt);
	ct_report_free(&none);
	CHECK(!strcmp(ct_cause_name(CT_CAUSE_STOLEN), "stolen_before_confirm") &&
	      !strcmp(ct_cause_name(CT_CAUSE_LEAKED), "leaked_no_holder") &&
	      !strcmp(ct_cause_name(CT_CAUSE_N), "?"), "cause names");
}

/* What fills the table: exact keys (IPv4 and IPv6 apart, ports, ICMP
 * types, states, zones, marks, namespaces), the top rows in order, ties by
 * key, the text and JSON. */
static void check_table_summary(void)
{
	struct ct_table_summary s;
	ct_table_summary_init(&s);
	struct ct_entry e = udp_entry();                  /* udp 10.0.0.1 -> 10.0.0.2:53 */
	for (int i = 0; i < 30; i++)
		ct_table_summary_add(&s, &e);
	e.orig.dst_u[1] = 0x36;                           /* dport 54 */
	e.flags |= CT_F_SEEN_REPLY | CT_F_ASSURED;
	e.mark = 7, e.zone = 3, e.netns_inum = 4026532000u;
	for (int i = 0; i < 5; i++)
		ct_table_summary_add(&s, &e);
	struct ct_entry v6 = udp_entry();
	v6.orig.l3num = 10;
	v6.orig.protonum = 58;                            /* icmpv6 echo */
	memset(v6.orig.dst, 0, 16);
	v6.orig.dst[15] = 1;
	memcpy(v6.orig.src, v6.orig.dst, 16);
	v6.orig.dst_u[0] = 128;
	ct_table_summary_add(&s, &v6);
	struct ct_entry tcp = udp_entry();
	tcp.orig.protonum = 6;
	snprintf(tcp.l4state, sizeof(tcp.l4state), "TIME_WAIT");
	memset(tcp.orig.dst + 4, 0xff, 12);               /* past an IPv4 address: not part of it */
	ct_table_summary_add(&s, &tcp);
	CHECK(s.entries == 37, "table: 37 entries");
	struct ct_tally_row top[CT_TABLE_TOP];
	char key[64];
	size_t n = ct_table_summary_top(&s, CT_DIM_PROTO_PORT, top, CT_TABLE_TOP);
	ct_table_key(CT_DIM_PROTO_PORT, &top[0], key, sizeof key);
	CHECK(n == 4 && top[0].count == 30 && !strcmp(key, "udp dport 53"), "top port %s", key);
	ct_table_key(CT_DIM_PROTO_PORT, &top[1], key, sizeof key);
	CHECK(n == 4 && top[1].count == 5 && !strcmp(key, "udp dport 54"), "second port %s", key);
	ct_table_key(CT_DIM_PROTO_PORT, &top[2], key, sizeof key);
	CHECK(!strcmp(key, "icmpv6 type 128") || !strcmp(key, "tcp dport 53"), "ties by key: %s", key);
	n = ct_table_summary_top(&s, CT_DIM_DST, top, CT_TABLE_TOP);
	CHECK(n == 2 && top[0].count == 36, "destinations: the IPv4 one counted once (%zu, %llu)", n,
	      (unsigned long long)top[0].count);
	ct_table_key(CT_DIM_DST, &top[1], key, sizeof key);
	CHECK(!strcmp(key, "0000:0000:0000:0000:0000:0000:0000:0001"), "IPv6 key %s", key);
	n = ct_table_summary_top(&s, CT_DIM_STATE, top, CT_TABLE_TOP);
	char keys[4][64] = { "" };
	for (size_t i = 0; i < n && i < 4; i++)
		ct_table_key(CT_DIM_STATE, &top[i], keys[i], sizeof keys[i]);
	CHECK(n == 4 && !strcmp(keys[0], "udp UNREPLIED") && !strcmp(keys[1], "udp ASSURED") &&
	      (!strcmp(keys[2], "tcp TIME_WAIT") || !strcmp(keys[3], "tcp TIME_WAIT")),
	      "states: %s, %s, %s, %s", keys[0], keys[1], keys[2], keys[3]);
	n = ct_table_summary_top(&s, CT_DIM_MARK, top, 1);
	CHECK(n == 1 && top[0].k0 == 0 && top[0].count == 32, "top 1 mark: 0 x32");
	n = ct_table_summary_top(&s, CT_DIM_NETNS, top, CT_TABLE_TOP);
	CHECK(n == 2 && top[1].k0 == 4026532000u && top[1].count == 5, "namespaces");

	/* Twelve ports: ten shown, the distinct count said. */
	for (int p = 0; p < 12; p++) {
		e.orig.dst_u[1] = (uint8_t)(100 + p);
		ct_table_summary_add(&s, &e);
	}
	char *txt = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&txt, &len);
	ct_table_summary_text(f, &s);
	fclose(f);
	CHECK(strstr(txt, "WHAT FILLS THE TABLE: 49 entries walked\n") &&
	      strstr(txt, "PROTOCOL AND PORT (top 10)                        ENTRIES      %\n"
			  "udp dport 53                                           30   61.2\n") &&
	      strstr(txt, "(distinct keys)                                        16\n"),
	      "table text:\n%s", txt);
	free(txt);
	f = open_memstream(&txt, &len);
	struct ct_json j;
	ct_json_init(&j, f, false);
	ct_table_summary_json(&j, &s);
	ct_json_finish(&j);
	fclose(f);
	CHECK(strstr(txt, "{\"entries\":49,\"by_proto_port\":{\"distinct\":16,\"untracked\":0,\"top\":"
			  "[{\"key\":\"udp dport 53\",\"entries\":30},") != NULL, "table JSON: %s", txt);
	free(txt);
	ct_table_summary_free(&s);

	/* Past CT_TALLY_MAX_KEYS distinct marks: the rest counted as
	 * untracked, every entry still counted, the other dimensions whole. */
	ct_table_summary_init(&s);
	struct ct_entry m = udp_entry();
	for (uint32_t i = 0; i < CT_TALLY_MAX_KEYS + 5; i++) {
		m.mark = i;
		ct_table_summary_add(&s, &m);
	}
	CHECK(s.entries == CT_TALLY_MAX_KEYS + 5 && s.dim[CT_DIM_MARK].rows.n == CT_TALLY_MAX_KEYS &&
	      s.dim[CT_DIM_MARK].untracked == 5 && s.dim[CT_DIM_DST].untracked == 0 &&
	      s.dim[CT_DIM_DST].rows.n == 1, "the key cap: %zu keys, %llu untracked",
	      s.dim[CT_DIM_MARK].rows.n, (unsigned long long)s.dim[CT_DIM_MARK].untracked);
	f = open_memstream(&txt, &len);
	ct_table_summary_text(f, &s);
	fclose(f);
	CHECK(strstr(txt, "(entries of keys not tracked: too many)                 5\n") != NULL,
	      "the untracked row:\n%.400s", txt);
	free(txt);
	ct_table_summary_free(&s);
}

/* The matches: each against the original tuple, any of one option's values,
 * all of the options; parsed as the command line parses them. */
static void match_checks(void)
{
	struct ct_error err = { 0 };
	struct ct_entry e = udp_entry(); /* 10.0.0.1:12345 -> 10.0.0.2:53 udp, mark 0 zone 0 */
	e.suspect = true;
	struct ct_filter f = ct_filter_default();
	CHECK(!ct_filter_has_matches(&f) && ct_filter_keeps(&f, &e), "no match: a suspect is kept");
	CHECK(ct_filter_add_port(&f, true, "53", &err) == CT_OK && ct_filter_keeps(&f, &e),
	      "--dport 53 keeps it");
	CHECK(ct_filter_add_port(&f, true, "9999", &err) == CT_OK && ct_filter_keeps(&f, &e),
	      "--dport 53 --dport 9999: any of them");
	CHECK(ct_filter_add_port(&f, false, "1", &err) == CT_OK && !ct_filter_keeps(&f, &e),
	      "--sport 1 as well: all of the options");
	f = ct_filter_default();
	ct_filter_add_port(&f, false, "53", &err);
	CHECK(!ct_filter_keeps(&f, &e), "--sport is the original source port (53 is the reply's)");
	f = ct_filter_default();
	ct_filter_add_addr(&f, false, "10.0.0.1", &err);
	CHECK(ct_filter_keeps(&f, &e), "--src 10.0.0.1");
	f = ct_filter_default();
	ct_filter_add_addr(&f, false, "10.0.0.2", &err);
	CHECK(!ct_filter_keeps(&f, &e), "--src is the original source (10.0.0.2 is the reply's)");
	ct_filter_add_addr(&f, false, "10.0.0.0/30", &err);
	CHECK(ct_filter_keeps(&f, &e), "--src 10.0.0.0/30: a network");
	f = ct_filter_default();
	ct_filter_add_addr(&f, true, "10.0.0.3/31", &err);
	CHECK(ct_filter_keeps(&f, &e), "--dst 10.0.0.3/31 holds 10.0.0.2");
	f = ct_filter_default();
	ct_filter_add_addr(&f, true, "::ffff:10.0.0.2", &err);
	CHECK(!ct_filter_keeps(&f, &e), "an IPv6 address never matches an IPv4 entry");
	f = ct_filter_default();
	ct_filter_add_addr(&f, true, "0.0.0.0/0", &err);
	CHECK(ct_filter_keeps(&f, &e), "--dst 0.0.0.0/0: every IPv4 entry");
	f = ct_filter_default();
	ct_filter_add_proto(&f, "tcp", &err);
	CHECK(!ct_filter_keeps(&f, &e), "-p tcp");
	ct_filter_add_proto(&f, "17", &err);
	CHECK(ct_filter_keeps(&f, &e), "-p tcp -p 17: any of them");
	f = ct_filter_default();
	ct_filter_add_state(&f, "established", &err);
	CHECK(!ct_filter_keeps(&f, &e), "--state: a UDP entry has none");
	snprintf(e.l4state, sizeof(e.l4state), "ESTABLISHED");
	CHECK(ct_filter_keeps(&f, &e), "--state established (any case)");
	e.l4state[0] = '\0';
	f = ct_filter_default();
	ct_filter_add_zone(&f, "0", &err);
	ct_filter_add_mark(&f, "0", &err);
	CHECK(ct_filter_keeps(&f, &e), "--zone 0 --mark 0");
	e.mark = 0x1234;
	CHECK(!ct_filter_keeps(&f, &e), "--mark 0 against 0x1234");
	ct_filter_add_mark(&f, "0x30/0xf0", &err);
	CHECK(ct_filter_keeps(&f, &e), "--mark 0x30/0xf0: the masked bits");
	f = ct_filter_default();
	ct_filter_add_netns(&f, "net:[4026531840]", &err);
	CHECK(f.n_netns == 1 && f.netns[0] == 4026531840u && ct_filter_keeps(&f, &e),
	      "-n net:[INUM] as readlink prints it");
	ct_filter_add_netns(&f, "7", &err);
	CHECK(f.n_netns == 2 && ct_filter_keeps(&f, &e), "-n A -n B: both kept");
	/* ICMP has no ports: --dport never matches it. */
	struct ct_entry ic = udp_entry();
	ic.orig.protonum = 1;
	ic.suspect = true;
	f = ct_filter_default();
	ct_filter_add_port(&f, true, "53", &err);
	CHECK(!ct_filter_keeps(&f, &ic), "--dport never matches ICMP");
	/* What -a does not list, a match does not bring back. */
	e = udp_entry();
	f = ct_filter_default();
	ct_filter_add_port(&f, true, "53", &err);
	CHECK(!ct_filter_keeps(&f, &e), "--dport lists only what the list options list");

	/* The command line's words for them, and the no-match sentence. */
	char buf[512];
	f = ct_filter_default();
	ct_filter_add_netns(&f, "4026531840", &err);
	ct_filter_add_proto(&f, "udp", &err);
	ct_filter_add_proto(&f, "200", &err);
	ct_filter_add_addr(&f, false, "fe80::1/64", &err);
	ct_filter_add_port(&f, true, "9999", &err);
	ct_filter_add_state(&f, "time_wait", &err);
	ct_filter_add_mark(&f, "0x10/0xff", &err);
	ct_filter_describe(&f, buf, sizeof(buf));
	CHECK_STR(buf, "-n 4026531840 -p udp -p 200 --src fe80::1/64 --dport 9999 --state TIME_WAIT "
		  "--mark 16/0xff", "describe");
	f = ct_filter_default();
	ct_filter_add_port(&f, true, "9999", &err);
	ct_filter_none_sentence(&f, buf, sizeof(buf));
	CHECK_STR(buf, "no entry matches --dport 9999 among the suspects (-a: among every entry)",
		  "none sentence, default");
	f.show |= CT_SHOW_HASH | CT_SHOW_DYING;
	ct_filter_none_sentence(&f, buf, sizeof(buf));
	CHECK_STR(buf, "no entry matches --dport 9999 among the suspects and the confirmed, dying "
		  "entries (-a: among every entry)", "none sentence, -c -d");
	f.show |= CT_SHOW_ALL;
	ct_filter_none_sentence(&f, buf, sizeof(buf));
	CHECK_STR(buf, "no entry matches --dport 9999", "none sentence, -a");
}

/* Bad values: one sentence each; at most CT_FILTER_MAX values of one. */
static void bad_match_checks(void)
{
	static const struct { char opt; const char *arg, *sentence; } bad[] = {
		{ 'n', "abc", "-n takes a namespace inode number, not \"abc\"" },
		{ 'n', "net:[x]", "-n takes a namespace inode number, not \"net:[x]\"" },
		{ 'n', "4294967296", "-n takes a namespace inode number, not \"4294967296\"" },
		{ 'p', "nosuch", "unknown protocol \"nosuch\"" },
		{ 's', "10.0.0", "--src takes an IPv4 or IPv6 address, or ADDRESS/PREFIX, not \"10.0.0\"" },
		{ 's', "10.0.0.1/33", "--src takes an IPv4 or IPv6 address, or ADDRESS/PREFIX, not \"10.0.0.1/33\"" },
		{ 'd', "::1/", "--dst takes an IPv4 or IPv6 address, or ADDRESS/PREFIX, not \"::1/\"" },
		{ 'P', "65536", "--dport takes a port number (0 to 65535), not \"65536\"" },
		{ 'S', "-1", "--sport takes a port number (0 to 65535), not \"-1\"" },
		{ 'P', "0x10", "--dport takes a port number (0 to 65535), not \"0x10\"" },
		{ 't', "UP", "--state takes a TCP state as /proc/net/nf_conntrack prints it "
			     "(ESTABLISHED, TIME_WAIT, SYN_SENT, ...), not \"UP\"" },
		{ 'z', "70000", "--zone takes a zone number (0 to 65535), not \"70000\"" },
		{ 'm', "1/", "--mark takes a number or NUMBER/MASK (32 bits), not \"1/\"" },
		{ 'm', "0x100000000", "--mark takes a number or NUMBER/MASK (32 bits), not \"0x100000000\"" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct ct_filter f = ct_filter_default();
		struct ct_error err = { 0 };
		const char *a = bad[i].arg;
		ct_status st = bad[i].opt == 'n' ? ct_filter_add_netns(&f, a, &err) :
			       bad[i].opt == 'p' ? ct_filter_add_proto(&f, a, &err) :
			       bad[i].opt == 's' ? ct_filter_add_addr(&f, false, a, &err) :
			       bad[i].opt == 'd' ? ct_filter_add_addr(&f, true, a, &err) :
			       bad[i].opt == 'P' ? ct_filter_add_port(&f, true, a, &err) :
			       bad[i].opt == 'S' ? ct_filter_add_port(&f, false, a, &err) :
			       bad[i].opt == 't' ? ct_filter_add_state(&f, a, &err) :
			       bad[i].opt == 'z' ? ct_filter_add_zone(&f, a, &err) :
			       ct_filter_add_mark(&f, a, &err);
		CHECK(st == CT_ERR_USAGE && !ct_filter_has_matches(&f), "bad %s refused", a);
		CHECK_STR(err.text, bad[i].sentence, "its sentence");
	}
	struct ct_filter f = ct_filter_default();
	struct ct_error err = { 0 };
	for (int i = 0; i < CT_FILTER_MAX; i++)
		CHECK(ct_filter_add_port(&f, true, "1", &err) == CT_OK, "--dport %d", i);
	CHECK(ct_filter_add_port(&f, true, "1", &err) == CT_ERR_USAGE && f.n_dport == CT_FILTER_MAX,
	      "one --dport too many");
	CHECK_STR(err.text, "at most 16 --dport values", "its sentence");
}

/* --format csv of entries with commas, quotes and holders, for
 * tests/unit/check_csv.py; JSON's "filter" beside it. */
static void write_csv(const char *path)
{
	struct ct_report r;
	ct_report_init(&r, 10);
	struct ct_entry u = udp_entry();
	CHECK(ct_report_add_entry(&r, &u), "csv: udp entry");
	struct ct_entry t = udp_entry();
	t.addr += 0x100;
	t.orig.protonum = t.reply.protonum = 6;
	t.orig.l3num = t.reply.l3num = 10;
	memset(t.orig.src, 0, 16);
	t.orig.src[0] = 0xfe; t.orig.src[1] = 0x80; t.orig.src[15] = 1;
	snprintf(t.l4state, sizeof(t.l4state), "TIME_WAIT");
	t.flags |= CT_F_SEEN_REPLY | CT_F_ASSURED;
	t.cpu = 3;
	t.age_known = true;
	t.age_secs = 61;
	t.mark = 0x10;
	ct_entry_reason(&t, "a reason, with a comma");
	ct_entry_reason(&t, "a \"quoted\" one");
	t.nholders = t.holders_total = 1;
	snprintf(t.holders[0].kind, sizeof(t.holders[0].kind), "skb");
	t.holders[0].addr = 0xffff888000abc000ULL;
	snprintf(t.holders[0].detail, sizeof(t.holders[0].detail), "len 28 dev lo");
	CHECK(ct_report_add_entry(&r, &t), "csv: tcp entry");
	struct ct_entry ic = udp_entry();
	ic.addr += 0x200;
	ic.orig.protonum = ic.reply.protonum = 1;
	ic.orig.dst_u[0] = 8; ic.orig.dst_u[1] = 0; ic.orig.src_u[0] = 0; ic.orig.src_u[1] = 42;
	ic.timeout_known = false;
	CHECK(ct_report_add_entry(&r, &ic), "csv: icmp entry");
	struct ct_filter all = { .show = CT_SHOW_ALL | CT_SHOW_SUSPECTS };
	FILE *f = fopen(path, "w");
	char *com = NULL;
	size_t clen = 0;
	FILE *c = open_memstream(&com, &clen);
	CHECK(f && c, "open %s", path);
	if (f && c) {
		ct_render_report_lines(f, c, &r, &all, CT_FORMAT_CSV);
		fclose(f);
		fclose(c);
		CHECK(strstr(com, "# kernel (unknown)\n") && strstr(com, "\n# 0 suspects; 3 entries listed:\n"),
		      "csv: the report's head on the comment stream:\n%s", com);
	}
	free(com);
	/* JSON: "filter" only with matches, before "entries". */
	char *txt = NULL;
	size_t len = 0;
	f = open_memstream(&txt, &len);
	ct_render_report_json(f, &r, &all, false);
	fclose(f);
	CHECK(!strstr(txt, "\"filter\""), "no match, no \"filter\" key");
	free(txt);
	struct ct_error err = { 0 };
	ct_filter_add_port(&all, true, "9999", &err);
	f = open_memstream(&txt, &len);
	ct_render_report_json(f, &r, &all, false);
	fclose(f);
	CHECK(strstr(txt, ",\"filter\":{\"options\":\"--dport 9999\",\"listed\":0,\"none_matched\":"
		      "\"no entry matches --dport 9999\"},\"entries\":[],") != NULL,
	      "\"filter\" says no entry matches:\n%s", txt);
	free(txt);
	ct_report_free(&r);
}

int main(int argc, char **argv)
{
	struct ct_entry e = check_proc_lines();
	struct ct_report r;
	build_report(&r, e);
	check_text(&r);
	write_json(&r, argc, argv);
	ct_report_free(&r);
	check_empty_report();
	check_verdict_causes();
	check_table_summary();
	filter_checks();
	match_checks();
	bad_match_checks();
	if (argc > 1) {
		char path[4096];
		snprintf(path, sizeof(path), "%s.csv", argv[1]);
		write_csv(path);
	}

	/* The stable names of the statuses (JSON "code"). */
	CHECK(strcmp(ct_status_code(CT_ERR_FAULT), "fault") == 0 &&
	      strcmp(ct_status_code(CT_ERR_BADADDR), "badaddr") == 0 &&
	      strcmp(ct_status_code(CT_ERR_CORRUPT), "corrupt") == 0 &&
	      strcmp(ct_status_code(CT_ERR_NOTFOUND), "notfound") == 0 &&
	      strcmp(ct_status_code(CT_ERR_LIMIT), "limit") == 0, "status codes");
	check_json_writer();
	/* IPv4 without printf: every width of an octet, and a short buffer. */
	char a4[48];
	ct_format_addr(2, (const uint8_t[16]){ 0, 0, 0, 0 }, a4, sizeof(a4));
	CHECK_STR(a4, "0.0.0.0", "0.0.0.0");
	ct_format_addr(2, (const uint8_t[16]){ 255, 255, 255, 255 }, a4, sizeof(a4));
	CHECK_STR(a4, "255.255.255.255", "255.255.255.255");
	ct_format_addr(2, (const uint8_t[16]){ 1, 20, 100, 9 }, a4, sizeof(a4));
	CHECK_STR(a4, "1.20.100.9", "1.20.100.9");
	ct_format_addr(2, (const uint8_t[16]){ 192, 168, 10, 1 }, a4, 8);
	CHECK_STR(a4, "192.168", "truncated to the buffer");
	return harness_done("report and renderers");
}
