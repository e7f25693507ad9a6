/* test_corrupt_dumps.c — ctleak on a real dump whose memory lies.
 *
 * The dump is opened as ctleak opens it (libkdumpfile, vmlinux attached,
 * the page cache of compressed dumps) and its Target's read op is wrapped
 * by an overlay: patched bytes laid over what the dump holds (the overlay
 * lives here, not in lib/). The structures to corrupt are found through
 * the same layout and kernel model ctleak uses (ct_layout_load,
 * ct_kmodel_build; symbols through the target and the dump's module list).
 * Each case patches memory, runs ct_command_analyse as the ctleak program
 * does (JSON into one memory stream, messages into another) and checks:
 * it finishes (an alarm catches a hang), it allocates nothing absurd (every
 * malloc/calloc/realloc size is watched: linked with --wrap), the exit
 * status, the problem named in one line (errors[] and stderr), and that
 * what the corruption did not touch is still what the clean dump says —
 * which, given TRUTH, is first checked against the guest's ground truth.
 *
 * usage: test_corrupt_dumps [-q] VMLINUX DUMP DEBUG_ROOT [TRUTH]
 *   -q  a subset (for valgrind)
 * Prints "corrupt dumps: N passed, N failed".
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/command.h"
#include "app/debugfind.h"
#include "harness.h"
#include "kernel/kmodel.h"
#include "kernel/layout.h"
#include "minijson.h"
#include "kernel/modsyms.h"
#include "target_kdumpfile.h"

/* --- the largest single allocation (linked with -Wl,--wrap=malloc,...) ---- */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

static size_t biggest;

void *__wrap_malloc(size_t n)
{
	if (n > biggest)
		biggest = n;
	return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	size_t total;
	if (__builtin_mul_overflow(n, size, &total))
		total = SIZE_MAX;
	if (total > biggest)
		biggest = total;
	return __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	if (n > biggest)
		biggest = n;
	return __real_realloc(p, n);
}

#define MAX_ALLOC (64u << 20) /* nothing a 512 MiB guest's dump justifies beyond this */

/* --- the overlay ----------------------------------------------------------- */

#define MAX_PATCHES 8

struct patch {
	uint64_t addr;
	size_t len;
	unsigned char bytes[8];
};

/* A Target of its own over the dump's, which it owns: reads go through
 * and the patches land on what was read. */
struct overlay {
	struct ct_target target;
	struct ct_target *inner;
	struct patch p[MAX_PATCHES];
	unsigned n;
};

static ct_status ov_read(struct ct_target *t, uint64_t addr, void *buf, size_t len,
			 size_t *done, struct ct_error *err)
{
	struct overlay *ov = t->impl;
	ct_status st = ov->inner->ops->read(ov->inner, addr, buf, len, done, err);
	/* Patches land on what was read; bytes past a gap stay unread. */
	for (unsigned i = 0; i < ov->n; i++) {
		const struct patch *p = &ov->p[i];
		uint64_t lo = p->addr > addr ? p->addr : addr;
		uint64_t hi = p->addr + p->len < addr + *done ? p->addr + p->len : addr + *done;
		if (lo < hi)
			memcpy((unsigned char *)buf + (lo - addr), p->bytes + (lo - p->addr), hi - lo);
	}
	return st;
}

static bool ov_interrupted(struct ct_target *t)
{
	return ct_target_interrupted(((struct overlay *)t->impl)->inner);
}

static void ov_close(struct ct_target *t)
{
	struct overlay *ov = t->impl;
	ct_target_close(ov->inner);
	free(ov);
}

static const struct ct_target_ops overlay_ops = {
	.kind = "kdumpfile", /* what the report names: the dump's */
	.read = ov_read,
	.close = ov_close,
	.interrupted = ov_interrupted,
};

static struct overlay *overlay_wrap(struct ct_target *inner)
{
	struct overlay *ov = calloc(1, sizeof(*ov));
	if (!ov)
		return NULL;
	ov->inner = inner;
	ov->target = *inner;
	ov->target.ops = &overlay_ops;
	ov->target.impl = ov;
	ov->target.reads = ov->target.bytes_read = ov->target.faults = 0;
	return ov;
}

/* --- the dump ------------------------------------------------------------- */

static struct ct_target *T;
static struct overlay *OV;
static struct ct_vmlinux_syms *SYMS;
static struct ct_program P;     /* T and vmlinux's symbols */
static struct ct_kmodel M;
static struct ct_modsyms *MS;
static const char *VMLINUX, *DUMP, *ROOT;
static char FORMAT[32];
static unsigned TIMEOUT = 120;
static const char *CASE = "setup";

static void patch(uint64_t addr, const void *bytes, size_t len)
{
	if (OV->n == MAX_PATCHES || len > sizeof(OV->p[0].bytes)) {
		CHECK(0, "%s: too many patches", CASE);
		return;
	}
	OV->p[OV->n].addr = addr;
	OV->p[OV->n].len = len;
	memcpy(OV->p[OV->n].bytes, bytes, len);
	OV->n++;
}

static void patch64(uint64_t addr, uint64_t v)
{
	patch(addr, &v, 8);
}

static void patch32(uint64_t addr, uint32_t v)
{
	patch(addr, &v, 4);
}

static bool rd64(uint64_t addr, uint64_t *v)
{
	return ct_target_read_u64(T, addr, v, NULL) == CT_OK;
}

static bool rd32(uint64_t addr, uint32_t *v)
{
	return ct_target_read_u32(T, addr, v, NULL) == CT_OK;
}

/* A vmlinux symbol, else one of a module (the dump's own module list). */
static uint64_t sym(const char *name)
{
	uint64_t a;
	if (ct_program_symbol(&P, name, &a, NULL) == CT_OK)
		return a;
	if (MS && ct_modsyms_lookup(MS, name, &a) == CT_OK)
		return a;
	return 0;
}

/* --- one run of ctleak ------------------------------------------------------ */

struct run {
	int rc;
	char *out, *err;
	size_t outlen, errlen;
	struct jv *doc;
	size_t biggest;
	double secs;
};

static void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "FAIL: a case is still running after the timeout (hang)\n";
	if (write(1, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(3);
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
	jfree(r->doc);
	memset(r, 0, sizeof(*r));
}

static void analyse(struct run *r, const char *extra)
{
	char *argv[8];
	int argc = 0;
	argv[argc++] = "ctleak";
	argv[argc++] = "-j";
	argv[argc++] = "-D";
	argv[argc++] = (char *)ROOT;
	if (extra)
		argv[argc++] = (char *)extra;
	argv[argc] = NULL;
	struct ct_options o;
	struct ct_error e = { 0 };
	memset(r, 0, sizeof(*r));
	CHECK(ct_cli_parse(argc, argv, &o, &e) == CT_OK, "%s: options: %s", CASE, e.text);
	FILE *out = open_memstream(&r->out, &r->outlen);
	FILE *err = open_memstream(&r->err, &r->errlen);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	biggest = 0;
	alarm(TIMEOUT);
	struct ct_analysis_input in = { .vmlinux = VMLINUX, .dump_format = FORMAT };
	r->rc = ct_command_analyse(&o, &P, &in, out, err);
	alarm(0);
	r->biggest = biggest;
	clock_gettime(CLOCK_MONOTONIC, &b);
	r->secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	fclose(out);
	fclose(err);
	if (r->outlen)
		r->doc = jparse(r->out, r->outlen);
	CHECK(r->rc == CT_EXIT_FAILED || r->doc, "%s: output is not JSON: %.200s", CASE, r->out);
	CHECK(r->biggest <= MAX_ALLOC, "%s: an allocation of %zu bytes", CASE, r->biggest);
}

/* Lines on stderr, and the first one. */
static unsigned err_lines(const struct run *r)
{
	unsigned n = 0;
	for (size_t i = 0; i < r->errlen; i++)
		n += r->err[i] == '\n';
	return n;
}

static int first_line_len(const struct run *r)
{
	const char *nl = memchr(r->err, '\n', r->errlen);
	return nl ? (int)(nl - r->err) : (int)r->errlen;
}

/* How many errors[] name `what` (a substring). */
static unsigned errors_with(const struct run *r, const char *what)
{
	const struct jv *errs = jget(r->doc, "errors");
	unsigned n = 0;
	for (size_t i = 0; i < jlen(errs); i++)
		n += strstr(jstr(jat(errs, i), "what"), what) != NULL;
	return n;
}

static const struct jv *netns(const struct run *r, uint32_t inum)
{
	const struct jv *all = jget(r->doc, "netns");
	for (size_t i = 0; i < jlen(all); i++)
		if (jint(jat(all, i), "inum", -1) == inum)
			return jat(all, i);
	return NULL;
}

static const struct jv *entry(const struct run *r, uint64_t addr)
{
	const struct jv *all = jget(r->doc, "entries");
	char want[24];
	snprintf(want, sizeof(want), "0x%016llx", (unsigned long long)addr);
	for (size_t i = 0; i < jlen(all); i++)
		if (strcmp(jstr(jat(all, i), "address"), want) == 0)
			return jat(all, i);
	return NULL;
}

static bool has_reason(const struct jv *e, const char *what)
{
	const struct jv *rs = jget(e, "reasons");
	for (size_t i = 0; i < jlen(rs); i++)
		if (jat(rs, i)->t == J_STR && strstr(jat(rs, i)->s, what))
			return true;
	return false;
}

static const char *const NETNS_FIELDS[] = {
	"count", "confirmed", "unconfirmed", "dying", "slab_only", "orphaned",
	"unaccounted", "suspects", NULL,
};

/* Field of netns inum in r, minus the same in the clean run. */
static struct run REF;

static int64_t delta(const struct run *r, uint32_t inum, const char *field)
{
	return jint(netns(r, inum), field, 0) - jint(netns(&REF, inum), field, 0);
}

/* Every namespace of the clean run is in r with the same numbers, except
 * namespace `except` (0: none). */
static void others_unchanged(const struct run *r, uint32_t except)
{
	const struct jv *all = jget(REF.doc, "netns");
	for (size_t i = 0; i < jlen(all); i++) {
		uint32_t inum = (uint32_t)jint(jat(all, i), "inum", 0);
		if (inum == except)
			continue;
		const struct jv *n = netns(r, inum);
		CHECK(n, "%s: netns %u missing", CASE, inum);
		for (const char *const *f = NETNS_FIELDS; n && *f; f++)
			CHECK(jisnull(n, *f) == jisnull(jat(all, i), *f) &&
			      jint(n, *f, -1) == jint(jat(all, i), *f, -1),
			      "%s: netns %u %s %lld, clean dump %lld", CASE, inum, *f,
			      (long long)jint(n, *f, -1), (long long)jint(jat(all, i), *f, -1));
	}
	CHECK(jlen(jget(r->doc, "netns")) == jlen(all), "%s: %zu namespaces, clean dump %zu",
	      CASE, jlen(jget(r->doc, "netns")), jlen(all));
}

/* The walk problem named once, in errors[] and as the one line on stderr. */
static void one_problem(const struct run *r, const char *what)
{
	const struct jv *errs = jget(r->doc, "errors");
	CHECK(jlen(errs) == 1 && errors_with(r, what) == 1, "%s: errors[] should be one naming "
	      "\"%s\": %.600s", CASE, what, r->err);
	CHECK(err_lines(r) == 1 && strstr(r->err, what) && strncmp(r->err, "ctleak: error: ", 15) == 0,
	      "%s: stderr should be one line naming \"%s\": %s", CASE, what, r->err);
}

/* A complete account: no verdict line, "complete": true. */
static void complete(const struct run *r)
{
	CHECK(jistrue(r->doc, "complete", true) && jlen(jget(r->doc, "incomplete")) == 0,
	      "%s: the report should be complete: %.300s", CASE,
	      jstr(jat(jget(r->doc, "incomplete"), 0), "what"));
}

/* Incomplete for exactly the reason code, naming what; exit 3. */
static void incomplete(const struct run *r, const char *code, const char *what)
{
	const struct jv *inc = jget(r->doc, "incomplete");
	bool named = false;
	for (size_t i = 0; i < jlen(inc); i++)
		named |= strcmp(jstr(jat(inc, i), "code"), code) == 0 &&
			 strstr(jstr(jat(inc, i), "what"), what) != NULL;
	CHECK(r->rc == CT_EXIT_INCOMPLETE && jistrue(r->doc, "complete", false) && named,
	      "%s: exit %d, should be 3 and incomplete (%s: \"%s\"): %.300s", CASE, r->rc, code,
	      what, jstr(jat(inc, 0), "what"));
}

static void report(const struct run *r)
{
	printf("  %-24s exit %d, %.2f s, largest allocation %zu KiB, %u stderr line%s%s%.*s\n", CASE,
	       r->rc, r->secs, r->biggest >> 10, err_lines(r), err_lines(r) == 1 ? "" : "s",
	       r->errlen ? ": " : "", first_line_len(r), r->err);
}

/* --- what the dump holds ---------------------------------------------------- */

struct ns {
	uint64_t net;
	uint32_t inum;
};
static struct ns NS[16];
static unsigned NNS;

static void read_namespaces(void)
{
	uint64_t head = sym("net_namespace_list"), node;
	NNS = 0;
	if (!head || !rd64(head, &node))
		return;
	while (node != head && NNS < 16) {
		NS[NNS].net = node - M.net.list;
		if (!rd32(NS[NNS].net + M.net.inum, &NS[NNS].inum) || !rd64(node, &node))
			break;
		NNS++;
	}
}

#define MAX_CHAIN 64

struct chain {
	uint64_t bucket, head;      /* index; address of the bucket head */
	unsigned n;
	uint64_t node[MAX_CHAIN];   /* &tuplehash[dir] as linked */
	uint64_t ct[MAX_CHAIN];
	unsigned dir[MAX_CHAIN];
};

static uint64_t HASH;
static uint32_t BUCKETS;

static uint64_t next_of(uint64_t node)
{
	uint64_t v = 0;
	rd64(node + M.hnnode + M.nulls_next, &v);
	return v;
}

static bool read_chain(uint64_t b, struct chain *c)
{
	memset(c, 0, sizeof(*c));
	c->bucket = b;
	c->head = HASH + 8 * b;
	uint64_t node;
	if (!rd64(c->head, &node))
		return false;
	while (!(node & 1)) {
		uint8_t dir;
		if (c->n == MAX_CHAIN || ct_target_read(T, node + M.tuple + M.t.dst_dir, &dir, 1, NULL))
			return false;
		c->node[c->n] = node;
		c->dir[c->n] = dir;
		c->ct[c->n] = node - M.nf_conn.tuplehash[dir & 1];
		c->n++;
		node = next_of(node);
	}
	return node >> 1 == b;
}

/* A chain of at least min nodes whose entries are ordinary (init_net,
 * refcount 1, each linked here once), from bucket `from` on. */
static bool plain_chain(uint64_t from, unsigned min, struct chain *c)
{
	for (uint64_t b = from; b < BUCKETS; b++) {
		if (!read_chain(b, c) || c->n < min)
			continue;
		bool ok = true;
		for (unsigned i = 0; ok && i < c->n; i++) {
			uint64_t net;
			uint32_t use;
			ok = rd64(c->ct[i] + M.nf_conn.ct_net, &net) && net == NS[0].net &&
			     rd32(c->ct[i] + M.nf_conn.use, &use) && use == 1;
			for (unsigned k = 0; ok && k < c->n; k++)
				ok = k == i || c->ct[k] != c->ct[i];
		}
		if (ok)
			return true;
	}
	return false;
}

/* The per-netns counter of ns. */
static uint64_t count_addr(const struct ns *ns)
{
	if (M.count_where == CT_COUNT_NETNS_CT)
		return ns->net + M.net.ct + M.netns_ct.count;
	uint64_t gen, ctnet, idaddr = sym("nf_conntrack_net_id");
	uint32_t id;
	if (!idaddr || !rd32(idaddr, &id) || !rd64(ns->net + M.net.gen, &gen))
		return 0;
	uint64_t slot = M.netgen == CT_NETGEN_PTR_ID_MINUS_1 ? id - 1 : id;
	if (!rd64(gen + M.net_generic.ptr + 8 * slot, &ctnet))
		return 0;
	return ctnet + M.ctnet.count;
}

/* A page of RAM the dump does not hold (a makedumpfile -d 31 dump excludes
 * free, cache, user and zero pages), found by probing the direct map at a
 * stride; 0 when every page probed is there (an unfiltered dump). */
static uint64_t excluded_page(unsigned *probed, unsigned *missing)
{
	uint64_t pob, max_pfn, found = 0;
	*probed = *missing = 0;
	if (!rd64(sym("page_offset_base"), &pob) || !rd64(sym("max_pfn"), &max_pfn))
		return 0;
	for (uint64_t pfn = 1; pfn < max_pfn; pfn += 31) {
		uint64_t v;
		struct ct_error e = { 0 };
		(*probed)++;
		if (ct_target_read_u64(T, pob + (pfn << 12), &v, &e) == CT_ERR_FAULT) {
			(*missing)++;
			if (!found)
				found = pob + (pfn << 12);
		}
	}
	return found;
}

/* --- the cases ------------------------------------------------------------- */

static void begin(const char *name)
{
	CASE = name;
	OV->n = 0;
}

static void clean(const char *truth_path)
{
	begin("clean dump");
	analyse(&REF, NULL);
	report(&REF);
	CHECK(REF.rc == CT_EXIT_SUSPECTS && jlen(jget(REF.doc, "errors")) == 0 && REF.errlen == 0,
	      "the clean leaks dump: exit %d, %s", REF.rc, REF.err);
	complete(&REF);
	CHECK(jlen(jget(REF.doc, "netns")) >= 2, "the clean dump has two namespaces or more");
	if (!truth_path)
		return;
	FILE *f = fopen(truth_path, "r");
	char *text = NULL;
	size_t len = 0;
	if (f) {
		FILE *m = open_memstream(&text, &len);
		char buf[65536];
		size_t k;
		while ((k = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, k, m);
		fclose(m);
		fclose(f);
	}
	struct jv *t = text ? jparse(text, len) : NULL;
	free(text);
	CHECK(t, "cannot read %s", truth_path);
	const struct jv *all = jget(t, "netns");
	for (size_t i = 0; i < jlen(all); i++) {
		const struct jv *g = jat(all, i), *n = netns(&REF, (uint32_t)jint(g, "inum", 0));
		CHECK(n && jint(n, "count", -1) == jint(g, "count", -2) &&
		      jint(n, "confirmed", -1) == (int64_t)jlen(jget(g, "conntrack")) &&
		      jint(n, "unaccounted", -1) == 0,
		      "clean dump: netns %lld count %lld confirmed %lld, guest %lld and %zu lines",
		      (long long)jint(g, "inum", 0), (long long)jint(n, "count", -1),
		      (long long)jint(n, "confirmed", -1), (long long)jint(g, "count", -2),
		      jlen(jget(g, "conntrack")));
	}
	jfree(t);
}

/* Checks every hash case shares: exit 1 (the planted leaks), every
 * namespace as in the clean dump, the suspects too. */
/* left_out: a read met a page left out of the dump, which the verdict
 * names (what was there cannot be known), though the account closes. */
static void hash_case_end_as(struct run *r, const char *what, bool left_out)
{
	report(r);
	if (left_out) {
		incomplete(r, "not_in_dump", "reads met memory left out of the dump");
	} else {
		CHECK(r->rc == CT_EXIT_SUSPECTS, "%s: exit %d", CASE, r->rc);
		/* Whatever the hash walk missed, the slab scan found: the account closes. */
		complete(r);
	}
	one_problem(r, what);
	others_unchanged(r, 0);
	CHECK(jint(r->doc, "suspects", -1) == jint(REF.doc, "suspects", -2), "%s: suspects %lld, clean %lld",
	      CASE, (long long)jint(r->doc, "suspects", -1), (long long)jint(REF.doc, "suspects", -2));
	run_free(r);
}

static void hash_case_end(struct run *r, const char *what)
{
	hash_case_end_as(r, what, false);
}

static void chain_loop(void)
{
	struct chain c;
	struct run r;
	char what[96];
	begin("hash chain loop");
	CHECK(plain_chain(0, 3, &c), "no chain of 3 nodes");
	patch64(c.node[c.n - 1] + M.hnnode + M.nulls_next, c.node[0]);
	analyse(&r, NULL);
	snprintf(what, sizeof(what), "hash bucket %llu: chain loops back on itself",
		 (unsigned long long)c.bucket);
	hash_case_end(&r, what);

	begin("hash node links to itself");
	patch64(c.node[1] + M.hnnode + M.nulls_next, c.node[1]);
	analyse(&r, NULL);
	hash_case_end(&r, what);
}

static void chain_jump(void)
{
	struct chain a, b;
	struct run r;
	char what[160];
	begin("hash chain into another");
	CHECK(plain_chain(0, 2, &a) && plain_chain(a.bucket + 1, 2, &b), "no two chains");
	patch64(a.node[a.n - 1] + M.hnnode + M.nulls_next, b.node[0]);
	analyse(&r, NULL);
	snprintf(what, sizeof(what), "hash bucket %llu: chain ends in the nulls marker of bucket %llu",
		 (unsigned long long)a.bucket, (unsigned long long)b.bucket);
	hash_case_end(&r, what);

	begin("nulls marker of another bucket");
	patch64(a.node[a.n - 1] + M.hnnode + M.nulls_next, (b.bucket << 1) | 1);
	analyse(&r, NULL);
	hash_case_end(&r, what);
}

/* A pointer that leads nowhere: the chain ends there; what followed it is
 * still found (by the slab scan, linked in the hash through its other node). */
static void chain_pointer(const char *name, uint64_t bad, const char *status)
{
	struct chain c;
	struct run r;
	char what[96];
	begin(name);
	CHECK(plain_chain(0, 3, &c), "no chain of 3 nodes");
	patch64(c.node[0] + M.hnnode + M.nulls_next, bad);
	analyse(&r, NULL);
	snprintf(what, sizeof(what), "hash bucket %llu: node unreadable (%s)",
		 (unsigned long long)c.bucket, status);
	if (strcmp(status, "not in dump") == 0) {
		/* The first fault of this run, not of an earlier one on the same Target. */
		char first[48];
		snprintf(first, sizeof(first), "(the first at %#llx)", (unsigned long long)bad);
		incomplete(&r, "not_in_dump", first);
	}
	hash_case_end_as(&r, what, strcmp(status, "not in dump") == 0);
}

/* An entry of a namespace in teardown (met in the slab only) whose struct
 * net is left out of the dump: nothing else tells that namespace's count,
 * so the account is incomplete (count_unknown), said once in errors[]. */
static void teardown_net_unreadable(uint64_t excluded)
{
	const struct jv *all = jget(REF.doc, "entries");
	uint64_t ct = 0;
	for (size_t i = 0; i < jlen(all) && !ct; i++)
		if (has_reason(jat(all, i), "is being torn down"))
			ct = strtoull(jstr(jat(all, i), "address"), NULL, 16);
	if (!ct || !M.has_ct_net)
		return;
	struct run r;
	begin("netns in teardown unreadable");
	patch64(ct + M.nf_conn.ct_net, excluded + 0x100);
	analyse(&r, NULL);
	report(&r);
	incomplete(&r, "count_unknown", "is unreadable: its entries are counted in no namespace");
	CHECK(jlen(jget(r.doc, "errors")) == 1 && errors_with(&r, "struct net unreadable") == 1,
	      "%s: errors[] should be one naming \"struct net unreadable\": %.300s", CASE, r.err);
	const struct jv *e = entry(&r, ct);
	CHECK(e && has_reason(e, "is not on net_namespace_list"), "%s: entry %#llx not named", CASE,
	      (unsigned long long)ct);
	run_free(&r);
}

static void hash_unreadable(void)
{
	struct run r;
	char what[96];
	begin("hash table unmapped");
	patch64(sym("nf_conntrack_hash"), 0xffffc9ffdead0000ULL);
	analyse(&r, NULL);
	snprintf(what, sizeof(what), "the hash at 0xffffc9ffdead0000 is unreadable (bad address): "
		 "hash not walked");
	hash_case_end(&r, what);
}

static void bucket_count(uint32_t size)
{
	struct run r;
	static char name[64];
	snprintf(name, sizeof(name), "bucket count %#x", size);
	begin(name);
	patch32(sym("nf_conntrack_htable_size"), size);
	analyse(&r, NULL);
	/* On a filtered dump the probe of a table that large may meet pages
	 * left out of the dump: then the verdict must say so. */
	hash_case_end_as(&r, "hash not walked", r.rc == CT_EXIT_INCOMPLETE);
}

static void refcount(uint32_t use, const char *name, const char *state, const char *reason)
{
	struct chain c;
	struct run r;
	begin(name);
	CHECK(plain_chain(0, 1, &c), "no chain");
	unsigned k = 0;
	while (k + 1 < c.n && c.dir[k] != 0)
		k++;
	patch32(c.ct[k] + M.nf_conn.use, use);
	analyse(&r, NULL);
	report(&r);
	const struct jv *e = entry(&r, c.ct[k]);
	CHECK(r.rc == CT_EXIT_SUSPECTS && jlen(jget(r.doc, "errors")) == 0 && r.errlen == 0,
	      "%s: exit %d, %s", CASE, r.rc, r.err);
	complete(&r);
	CHECK(e && strcmp(jstr(e, "state"), state) == 0 &&
	      strcmp(jstr(e, "found_in"), "hash") == 0 && jint(e, "use", -1) == use &&
	      has_reason(e, reason), "%s: entry %#llx not a suspect \"%s\"", CASE,
	      (unsigned long long)c.ct[k], reason);
	CHECK(delta(&r, NS[0].inum, "suspects") == 1 &&
	      jint(r.doc, "suspects", 0) == jint(REF.doc, "suspects", 0) + 1,
	      "%s: one more suspect", CASE);
	for (const char *const *f = NETNS_FIELDS; *f; f++)
		CHECK(strcmp(*f, "suspects") == 0 || delta(&r, NS[0].inum, *f) == 0,
		      "%s: init_net %s changed by %lld", CASE, *f, (long long)delta(&r, NS[0].inum, *f));
	others_unchanged(&r, NS[0].inum);
	run_free(&r);
}

static void bad_netns(void)
{
	struct chain c;
	struct run r;
	begin("ct_net not a netns");
	CHECK(plain_chain(0, 1, &c), "no chain");
	unsigned k = 0;
	while (k + 1 < c.n && c.dir[k] != 0)
		k++;
	/* An address that is readable kernel memory, but no struct net. */
	patch64(c.ct[k] + M.nf_conn.ct_net, c.ct[k]);
	analyse(&r, NULL);
	report(&r);
	const struct jv *e = entry(&r, c.ct[k]);
	CHECK(jlen(jget(r.doc, "errors")) == 0, "%s: errors: %s", CASE, r.err);
	/* Its own namespace misses it: the account does not close. */
	char what[64];
	snprintf(what, sizeof(what), "netns %u: 1 of its", NS[0].inum);
	incomplete(&r, "unaccounted", what);
	CHECK(e && has_reason(e, "is not on net_namespace_list") && jint(e, "netns", -1) == 0,
	      "%s: entry %#llx not named", CASE, (unsigned long long)c.ct[k]);
	/* It cannot be counted in any namespace: its own misses it. */
	CHECK(delta(&r, NS[0].inum, "confirmed") == -1 && delta(&r, NS[0].inum, "unaccounted") == 1 &&
	      jint(r.doc, "suspects", 0) == jint(REF.doc, "suspects", 0) + 1,
	      "%s: init_net confirmed %+lld unaccounted %+lld", CASE,
	      (long long)delta(&r, NS[0].inum, "confirmed"), (long long)delta(&r, NS[0].inum, "unaccounted"));
	others_unchanged(&r, NS[0].inum);
	run_free(&r);
}

static void garbage_count(int32_t count, const char *name)
{
	struct run r;
	char what[96];
	begin(name);
	const struct ns *ns = &NS[1];
	uint64_t a = count_addr(ns);
	CHECK(a, "%s: the count of netns %u cannot be located", CASE, ns->inum);
	patch32(a, (uint32_t)count);
	analyse(&r, NULL);
	report(&r);
	snprintf(what, sizeof(what), "netns %u: count %d is not plausible", ns->inum, count);
	one_problem(&r, what);
	snprintf(what, sizeof(what), "netns %u: the kernel's count", ns->inum);
	incomplete(&r, "count_unknown", what);
	const struct jv *n = netns(&r, ns->inum);
	CHECK(n && jisnull(n, "count") && jisnull(n, "unaccounted"),
	      "%s: count and unaccounted of netns %u should be null (unknown)", CASE, ns->inum);
	for (const char *const *f = NETNS_FIELDS; n && *f; f++)
		CHECK(!strcmp(*f, "count") || !strcmp(*f, "unaccounted") || delta(&r, ns->inum, *f) == 0,
		      "%s: netns %u %s changed by %lld", CASE, ns->inum, *f,
		      (long long)delta(&r, ns->inum, *f));
	others_unchanged(&r, ns->inum);
	run_free(&r);
}

static void list_loop(void)
{
	struct run r;
	char what[96];
	begin("per-CPU list loop");
	uint64_t pcpu, best_first = 0, best_last = 0;
	unsigned best_n = 0, best_cpu = 0;
	CHECK(rd64(NS[0].net + M.net.ct + M.netns_ct.pcpu_lists, &pcpu), "pcpu_lists unreadable");
	static uint64_t cpus[CT_MAX_CPUS / 64];
	unsigned nr = 0;
	CHECK(ct_program_possible_cpus(&P, cpus, CT_MAX_CPUS, &nr, NULL) == CT_OK, "possible CPUs");
	for (unsigned cpu = 0; cpu < nr; cpu++) {
		uint64_t base, node, first, last = 0;
		unsigned n = 0;
		if (!(cpus[cpu / 64] >> (cpu % 64) & 1) ||
		    ct_program_percpu_base(&P, cpu, &base, NULL) != CT_OK ||
		    !rd64(base + pcpu + M.ct_pcpu.unconfirmed, &first))
			continue;
		for (node = first; !(node & 1) && node && n < 1000; node = next_of(node), n++)
			last = node;
		if (n > best_n) {
			best_n = n;
			best_cpu = cpu;
			best_first = first;
			best_last = last;
		}
	}
	CHECK(best_n > 0, "%s: no unconfirmed entry on any CPU", CASE);
	patch64(best_last + M.hnnode + M.nulls_next, best_first);
	analyse(&r, NULL);
	report(&r);
	snprintf(what, sizeof(what), "unconfirmed_list of netns %u on CPU %u: chain loops back on itself",
		 NS[0].inum, best_cpu);
	CHECK(r.rc == CT_EXIT_SUSPECTS, "%s: exit %d", CASE, r.rc);
	one_problem(&r, what);
	complete(&r);
	others_unchanged(&r, 0);
	CHECK(jint(r.doc, "suspects", -1) == jint(REF.doc, "suspects", -2), "%s: suspects", CASE);
	run_free(&r);
}

static void netns_list_unreadable(void)
{
	struct run r;
	begin("netns list unmapped");
	patch64(sym("net_namespace_list"), 0xffffc9ffdead0000ULL);
	analyse(&r, NULL);
	report(&r);
	CHECK(r.rc == CT_EXIT_FAILED && err_lines(&r) == 1 &&
	      strstr(r.err, "no network namespace could be read (net_namespace_list") &&
	      strstr(r.err, "(list node 0xffffc9ffdead0000) is unreadable"),
	      "%s: exit %d, %s", CASE, r.rc, r.err);
	run_free(&r);
}

/* The first module's list node does not point back at the head (what crash
 * 8.0.6 --minimal shows when it reads module memory as zeros): the list is
 * not followed past it, and ctleak says so instead of "not loaded". */
static void module_list_broken(void)
{
	struct run r;
	uint64_t head = sym("modules"), first;
	if (!head || !rd64(head, &first))
		return;
	begin("module list broken");
	patch64(first + 8, 0);
	analyse(&r, NULL);
	char what[160];
	snprintf(what, sizeof(what), "the module list is broken at %#llx (its prev is 0, not %#llx)",
		 (unsigned long long)first, (unsigned long long)head);
	CHECK(r.rc == CT_EXIT_FAILED && err_lines(&r) == 1 && strstr(r.err, what) &&
	      strstr(r.err, "nf_conntrack may be loaded past it") && !strstr(r.err, "not loaded"),
	      "%s: exit %d, %s", CASE, r.rc, r.err);
	run_free(&r);
}

/* --- setup ------------------------------------------------------------------ */

static bool setup(void)
{
	struct ct_error e = { 0 };
	struct ct_kdump_info info;
	if (ct_kdump_open(DUMP, &T, &info, &e) || ct_kdump_vmlinux_syms(T, VMLINUX, &SYMS, &e) ||
	    ct_kdump_cache_pages(&T, &info, &e)) {
		CHECK(0, "open %s: %s", DUMP, e.text);
		return false;
	}
	snprintf(FORMAT, sizeof(FORMAT), "%s", info.format);
	OV = overlay_wrap(T);
	if (!OV) {
		CHECK(0, "out of memory");
		return false;
	}
	T = &OV->target;
	ct_program_init(&P, T);
	ct_program_add_symbols(&P, "vmlinux", ct_vmlinux_syms_find, SYMS, NULL);
	/* The layout as ctleak resolves it: module debug files, then vmlinux. */
	char cache[1024], ct[4096], nfq[4096];
	const char *files[3];
	unsigned n = 0;
	const char *dirs[] = { ROOT };
	ct_layout_default_cache_dir(cache, sizeof(cache));
	if (ct_find_module_debug("nf_conntrack", T->osrelease, dirs, 1, ct, sizeof(ct), &e) == CT_OK)
		files[n++] = ct;
	if (ct_find_module_debug("nfnetlink_queue", T->osrelease, dirs, 1, nfq, sizeof(nfq), &e) == CT_OK)
		files[n++] = nfq;
	files[n++] = VMLINUX;
	struct ct_layout l, lv;
	if (ct_layout_load(files, n, cache, &l, &e) || ct_kmodel_build(&l, &M, &e) ||
	    ct_layout_load(&VMLINUX, 1, cache, &lv, &e) ||
	    ct_modsyms_load(&P, &lv, &MS, NULL, NULL, &e)) {
		CHECK(0, "layout: %s", e.text);
		return false;
	}
	read_namespaces();
	uint64_t hs = sym("nf_conntrack_htable_size");
	CHECK(NNS >= 2 && rd64(sym("nf_conntrack_hash"), &HASH) && hs && rd32(hs, &BUCKETS) &&
	      BUCKETS > 0, "namespaces (%u) or hash not found", NNS);
	printf("%s (%s): %u namespaces, %u buckets at %#llx\n", T->osrelease, FORMAT, NNS, BUCKETS,
	       (unsigned long long)HASH);
	return NNS >= 2 && BUCKETS > 0;
}

int main(int argc, char **argv)
{
	bool quick = argc > 1 && strcmp(argv[1], "-q") == 0;
	if (quick) {
		argc--;
		argv++;
	}
	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: %s [-q] VMLINUX DUMP DEBUG_ROOT [TRUTH]\n", argv[0]);
		return 2;
	}
	VMLINUX = argv[1];
	DUMP = argv[2];
	ROOT = argv[3];
	if (getenv("CTLEAK_CASE_TIMEOUT"))
		TIMEOUT = (unsigned)atoi(getenv("CTLEAK_CASE_TIMEOUT"));
	signal(SIGALRM, on_alarm);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (setup()) {
		clean(argc == 5 ? argv[4] : NULL);
		chain_loop();
		chain_pointer("pointer to unmapped", 0xffffc9ffdead0000ULL, "bad address");
		bucket_count(0x7fffffff);
		garbage_count(-5, "count negative");
		if (!quick) {
			chain_jump();
			chain_pointer("pointer non-canonical", 0xdead000000000000ULL, "bad address");
			/* HPET registers: mapped (ioremap), never in a dump. */
			uint64_t hpet = sym("hpet_virt_address"), io;
			if (hpet && rd64(hpet, &io) && io)
				chain_pointer("pointer not in the dump", io + 0x100, "not in dump");
			unsigned probed, missing;
			uint64_t page = excluded_page(&probed, &missing);
			printf("  %u of %u RAM pages probed are not in the dump\n", missing, probed);
			if (page) {
				chain_pointer("pointer to an excluded page", page + 0x40, "not in dump");
				teardown_net_unreadable(page);
			}
			hash_unreadable();
			bucket_count(0x10000000);
			bucket_count(0x01000000);
			garbage_count(0x7fffffff, "count beyond memory");
			refcount(0, "refcount 0", "transition", "refcount 0 while still hashed");
			refcount(0xc0000000u, "refcount saturated", "confirmed",
				 "refcount 0xc0000000 saturated");
			bad_netns();
			if (M.lists == CT_LISTS_PER_CPU)
				list_loop();
			netns_list_unreadable();
			module_list_broken();
		}
		run_free(&REF);
	}
	ct_modsyms_free(MS);
	if (T)
		ct_target_close(T);
	ct_vmlinux_syms_close(SYMS);
	return harness_done("corrupt dumps");
}
