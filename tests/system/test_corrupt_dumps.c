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
#include "kernel/kallsyms.h"
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
/* A made-up linked list in memory no dump holds: node i (at base + i *
 * stride) has its next pointer at next_at, leading to node i + 1's, and
 * the value val at val_at; every other byte is 0. */
struct fake_list {
	uint64_t base, len, stride, next_at, val_at, val;
};

struct overlay {
	struct ct_target target;
	struct ct_target *inner;
	struct patch p[MAX_PATCHES];
	unsigned n;
	struct fake_list fake;  /* len 0: none */
};

static void fake_fill(const struct fake_list *f, uint64_t addr, unsigned char *buf, size_t len)
{
	for (size_t j = 0; j < len; j++) {
		uint64_t rel = addr + j - f->base, node = rel / f->stride, in = rel % f->stride;
		uint64_t v = 0, at = 0;
		if (in >= f->next_at && in < f->next_at + 8)
			v = f->base + (node + 1) * f->stride + f->next_at, at = f->next_at;
		else if (in >= f->val_at && in < f->val_at + 8)
			v = f->val, at = f->val_at;
		buf[j] = (unsigned char)(v >> (8 * (in - at)));
	}
}

static ct_status ov_read(struct ct_target *t, uint64_t addr, void *buf, size_t len,
			 size_t *done, struct ct_error *err)
{
	struct overlay *ov = t->impl;
	const struct fake_list *f = &ov->fake;
	if (f->len && addr >= f->base && addr - f->base <= f->len && len <= f->len - (addr - f->base)) {
		fake_fill(f, addr, buf, len);
		*done = len;
		return CT_OK;
	}
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

static void patch16(uint64_t addr, uint16_t v)
{
	patch(addr, &v, 2);
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

/* One run as the ctleak program makes it: options argv, then on p and in
 * (fail set: the run failed before the analysis, as ctleak's own front end
 * says it). The caller resets biggest first. */
static void run_ctleak(struct run *r, char **argv, int argc, struct ct_program *p,
		       const struct ct_analysis_input *in, const struct ct_error *fail)
{
	struct ct_options o;
	struct ct_error e = { 0 };
	argv[argc] = NULL;
	memset(r, 0, sizeof(*r));
	CHECK(ct_cli_parse(argc, argv, &o, &e) == CT_OK, "%s: options: %s", CASE, e.text);
	FILE *out = open_memstream(&r->out, &r->outlen);
	FILE *err = open_memstream(&r->err, &r->errlen);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	alarm(TIMEOUT);
	if (fail)
		r->rc = ct_command_fail(&o, fail, out, err);
	else
		r->rc = ct_command_analyse(&o, p, in, out, err);
	alarm(0);
	r->biggest = biggest; /* since the caller's reset: its own loading counts */
	clock_gettime(CLOCK_MONOTONIC, &b);
	r->secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	fclose(out);
	fclose(err);
	if (r->outlen)
		r->doc = jparse(r->out, r->outlen);
	CHECK(r->rc == CT_EXIT_FAILED || r->doc, "%s: output is not JSON: %.200s", CASE, r->out);
	CHECK(r->biggest <= MAX_ALLOC, "%s: an allocation of %zu bytes", CASE, r->biggest);
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
	struct ct_analysis_input in = { .vmlinux = VMLINUX, .dump_format = FORMAT };
	biggest = 0;
	run_ctleak(r, argv, argc, &P, &in, NULL);
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
	OV->fake.len = 0;
}

/* r's namespaces against the guest's ground truth (TRUTH). */
static void truth_check(const struct run *r, const char *truth_path)
{
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
		const struct jv *g = jat(all, i), *n = netns(r, (uint32_t)jint(g, "inum", 0));
		CHECK(n && jint(n, "count", -1) == jint(g, "count", -2) &&
		      jint(n, "confirmed", -1) == (int64_t)jlen(jget(g, "conntrack")) &&
		      jint(n, "unaccounted", -1) == 0,
		      "%s: netns %lld count %lld confirmed %lld, guest %lld and %zu lines", CASE,
		      (long long)jint(g, "inum", 0), (long long)jint(n, "count", -1),
		      (long long)jint(n, "confirmed", -1), (long long)jint(g, "count", -2),
		      jlen(jget(g, "conntrack")));
	}
	jfree(t);
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
	if (truth_path)
		truth_check(&REF, truth_path);
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

/* --- no debug files: the kernel's own BTF and kallsyms ----------------------
 *
 * ctleak VMCORE with neither VMLINUX nor -D: vmlinux's symbols from the
 * kallsyms tables VMCOREINFO names (6.0+), the types from the BTF in the
 * kernel's memory (__start_BTF..__stop_BTF, nf_conntrack's struct btf on
 * the btf_modules list). Both are read from the dump, so both lie when
 * the dump does. A run whose types or symbols cannot be had must stop with
 * one sentence (exit 2, the JSON error document); where garbage gets past
 * every check, the report must be the clean dump's or say it is not a
 * full account — never a normal-looking report with other numbers. */

static const char *VMCOREINFO;  /* the dump's (ct_kdump_vmcoreinfo) */
static struct ct_layout LV;     /* vmlinux's own, from its DWARF: btf_module, struct btf */
static struct ct_kallsyms *KS;  /* the clean dump's kallsyms */
static char NO_VMLINUX[1200];   /* what ctleak says of the debug vmlinux it lacks */

/* ctleak VMCORE with no debug file, as ext/ctleak_main.c's analyse_dump_btf:
 * kallsyms read again through the overlay when fresh (the patches seen),
 * else the clean dump's; --no-cache, so every run parses its BTF (a cached
 * layout would hide a garbled blob on the suite's second run). */
static void analyse_nodebug(struct run *r, bool fresh)
{
	char *argv[8] = { "ctleak", "-j", "--no-cache" };
	struct ct_analysis_input in = { .no_vmlinux = NO_VMLINUX, .dump_format = FORMAT };
	struct ct_kallsyms *ks = KS;
	struct ct_error e = { 0 }, why = { 0 };
	struct ct_program p;
	biggest = 0;
	alarm(TIMEOUT);
	if (fresh && ct_kallsyms_load(T, VMCOREINFO, &ks, &why) != CT_OK) {
		ks = NULL;
		ct_fail(&e, why.status, "%s; the dump cannot stand in for it: %s", NO_VMLINUX,
			why.text);
	}
	alarm(0);
	ct_program_init(&p, T);
	if (ks)
		ct_program_add_symbols(&p, "kallsyms", ct_kallsyms_find, ks, NULL);
	run_ctleak(r, argv, 3, &p, &in, ks ? NULL : &e);
	if (ks != KS)
		ct_kallsyms_free(ks);
}

/* Exit 2 and one sentence naming what: the line on stderr, the JSON error
 * document's "what". */
static void fails_with(struct run *r, const char *what)
{
	report(r);
	const struct jv *e = jget(r->doc, "error");
	CHECK(r->rc == CT_EXIT_FAILED && err_lines(r) == 1 && strncmp(r->err, "ctleak: ", 8) == 0 &&
	      strstr(r->err, what) && e && strstr(jstr(e, "what"), what),
	      "%s: exit %d, should be 2 and one line naming \"%s\": %.600s", CASE, r->rc, what,
	      r->err);
	run_free(r);
}

/* The report of the clean dump, number for number, from BTF. */
static void same_as_clean(const struct run *r)
{
	CHECK(r->rc == REF.rc && jlen(jget(r->doc, "errors")) == 0 && r->errlen == 0,
	      "%s: exit %d (clean %d): %.300s", CASE, r->rc, REF.rc, r->err);
	complete(r);
	others_unchanged(r, 0);
	CHECK(jint(r->doc, "suspects", -1) == jint(REF.doc, "suspects", -2) &&
	      jlen(jget(r->doc, "entries")) == jlen(jget(REF.doc, "entries")),
	      "%s: suspects %lld, %zu entries; clean %lld, %zu", CASE,
	      (long long)jint(r->doc, "suspects", -1), jlen(jget(r->doc, "entries")),
	      (long long)jint(REF.doc, "suspects", -2), jlen(jget(REF.doc, "entries")));
	const struct jv *all = jget(REF.doc, "entries");
	for (size_t i = 0; i < jlen(all); i++) {
		const struct jv *e = entry(r, strtoull(jstr(jat(all, i), "address"), NULL, 16));
		CHECK(e && strcmp(jstr(e, "state"), jstr(jat(all, i), "state")) == 0,
		      "%s: entry %s of the clean dump missing or in another state", CASE,
		      jstr(jat(all, i), "address"));
	}
}

static const char *types_from(const struct run *r)
{
	return jstr(jget(r->doc, "kernel"), "types_from");
}

/* Garbage libbpf may take for types: a sentence (exit 2), a report that
 * says it is not a full account (exit 3, or errors[]), or the clean
 * dump's report exactly (the garbage fell on types ctleak never asks for).
 * Returns which, for the line printed. */
static const char *garbled_outcome(struct run *r)
{
	report(r);
	const char *how;
	if (r->rc == CT_EXIT_FAILED && jget(r->doc, "error")) {
		how = "refused";
		CHECK(err_lines(r) == 1 && strstr(r->err, "BTF"), "%s: one line naming the BTF: %.400s",
		      CASE, r->err);
	} else if (r->rc == CT_EXIT_INCOMPLETE || jlen(jget(r->doc, "errors")) > 0) {
		how = "flagged";
		CHECK(r->rc == CT_EXIT_INCOMPLETE || r->rc == CT_EXIT_FAILED ||
		      !jistrue(r->doc, "complete", true), "%s: errors but exit %d, complete", CASE, r->rc);
	} else {
		how = "unharmed";
		same_as_clean(r);
	}
	run_free(r);
	return how;
}

static uint64_t vmcoreinfo_symbol(const char *name)
{
	char key[96];
	snprintf(key, sizeof(key), "SYMBOL(%s)=", name);
	const char *at = VMCOREINFO ? strstr(VMCOREINFO, key) : NULL;
	return at ? strtoull(at + strlen(key), NULL, 16) : 0;
}

/* The first run without debug files: the clean dump's report, the guest's
 * ground truth, types from BTF. */
static bool nodebug_clean(const char *truth_path)
{
	struct run r;
	begin("no debug: clean dump");
	analyse_nodebug(&r, false);
	report(&r);
	same_as_clean(&r);
	CHECK(strcmp(types_from(&r), "btf") == 0, "%s: types from %s", CASE, types_from(&r));
	if (truth_path)
		truth_check(&r, truth_path);
	bool ok = r.rc == REF.rc;
	run_free(&r);
	return ok;
}

/* The BTF header (struct btf_header) of vmlinux's BTF, at __start_BTF. */
struct btf_hdr {
	uint64_t start, stop;
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
};

static bool btf_hdr_at(uint64_t start, uint64_t stop, struct btf_hdr *h)
{
	h->start = start;
	h->stop = stop;
	return start && rd32(start + 4, &h->hdr_len) && rd32(start + 8, &h->type_off) &&
	       rd32(start + 12, &h->type_len) && rd32(start + 16, &h->str_off) &&
	       rd32(start + 20, &h->str_len);
}

/* 8 bytes of pattern at fraction num/4 of the type section. */
static void garble_types(const struct btf_hdr *h, unsigned num, uint64_t pattern)
{
	uint64_t at = h->start + h->hdr_len + h->type_off + (uint64_t)h->type_len * num / 4;
	patch64(at & ~3ull, pattern);
}

static const uint64_t PATTERNS[] = { 0xffffffffffffffffULL, 0, 0x0000000100000001ULL };

static void vmlinux_btf_cases(void)
{
	struct btf_hdr h;
	struct run r;
	static char name[64];
	CHECK(btf_hdr_at(sym("__start_BTF"), sym("__stop_BTF"), &h), "vmlinux's BTF header");
	begin("no debug: BTF magic");
	patch16(h.start, 0x9feb);
	analyse_nodebug(&r, false);
	fails_with(&r, "the BTF of vmlinux at 0x");
	begin("no debug: BTF version");
	patch(h.start + 2, "\x07", 1);
	analyse_nodebug(&r, false);
	fails_with(&r, "the kernel's BTF: the BTF of vmlinux is not valid BTF (version 7");
	begin("no debug: BTF hdr_len huge");
	patch32(h.start + 4, 0x7fffff00);
	analyse_nodebug(&r, false);
	fails_with(&r, "but its header describes");
	begin("no debug: BTF hdr_len 8");
	patch32(h.start + 4, 8);
	analyse_nodebug(&r, false);
	fails_with(&r, "but its header describes");
	begin("no debug: type_len past __stop_BTF");
	patch32(h.start + 12, (uint32_t)(h.stop - h.start));
	analyse_nodebug(&r, false);
	fails_with(&r, "but its header describes");
	begin("no debug: str_len past __stop_BTF");
	patch32(h.start + 20, (uint32_t)(h.stop - h.start) - h.str_off);
	analyse_nodebug(&r, false);
	fails_with(&r, "but its header describes");
	for (unsigned k = 1; k <= 3; k++)
		for (unsigned j = 0; j < sizeof(PATTERNS) / sizeof(PATTERNS[0]); j++) {
			snprintf(name, sizeof(name), "no debug: vmlinux types %u/4 = %#llx", k,
				 (unsigned long long)PATTERNS[j]);
			begin(name);
			garble_types(&h, k, PATTERNS[j]);
			analyse_nodebug(&r, false);
			printf("    %s\n", garbled_outcome(&r));
		}
}

/* The btf_modules list as the dump holds it, and nf_conntrack's struct btf. */
#define MAX_BTF_NODES 512

struct btf_list {
	uint64_t head, node[MAX_BTF_NODES];
	unsigned n, ct;      /* nodes; nf_conntrack's index */
	uint64_t btf;        /* nf_conntrack's struct btf */
	uint64_t other;      /* another module's */
	struct btf_hdr h;    /* its BTF's header */
};

static uint64_t lvo(enum ct_layout_id id)
{
	return (uint64_t)ct_layout_val(&LV, id);
}

static bool btf_list_read(struct btf_list *l)
{
	uint64_t node;
	memset(l, 0, sizeof(*l));
	l->head = sym("btf_modules");
	l->ct = MAX_BTF_NODES;
	if (!l->head || !rd64(l->head, &node))
		return false;
	while (node != l->head && l->n < MAX_BTF_NODES) {
		uint64_t btf;
		char name[57] = "";
		if (!rd64(node - lvo(CTL_BTF_MODULE_LIST) + lvo(CTL_BTF_MODULE_BTF), &btf) ||
		    ct_target_read(T, btf + lvo(CTL_BTF_NAME), name, 56, NULL))
			return false;
		if (strcmp(name, "nf_conntrack") == 0) {
			l->ct = l->n;
			l->btf = btf;
		} else if (!l->other) {
			l->other = btf;
		}
		l->node[l->n++] = node;
		if (!rd64(node, &node))
			return false;
	}
	uint64_t data;
	uint32_t size;
	return l->ct < l->n && l->other && rd64(l->btf + lvo(CTL_BTF_DATA), &data) &&
	       rd32(l->btf + lvo(CTL_BTF_DATA_SIZE), &size) && btf_hdr_at(data, data + size, &l->h);
}

/* What ctleak says when nf_conntrack's BTF cannot be had: that, and
 * that vmlinux's types alone do not describe it. */
#define NO_CT_TYPES "and vmlinux alone does not describe nf_conntrack"

static void btf_list_cases(const struct btf_list *l)
{
	struct run r;
	begin("no debug: btf_modules loops");
	/* The node before nf_conntrack's leads back to the first (or itself). */
	patch64(l->node[l->ct ? l->ct - 1 : 0], l->node[0]);
	analyse_nodebug(&r, false);
	fails_with(&r, l->ct ? "the btf_modules list loops" : NO_CT_TYPES);
	begin("no debug: btf_modules to nowhere");
	patch64(l->head, 0xffffc9ffdead0000ULL);
	analyse_nodebug(&r, false);
	fails_with(&r, "the btf_modules list is unreadable at 0xffffc9ffdead0000");
	begin("no debug: btf_modules struct btf bad");
	patch64(l->node[0] - lvo(CTL_BTF_MODULE_LIST) + lvo(CTL_BTF_MODULE_BTF), 0xdead000000000000ULL);
	analyse_nodebug(&r, false);
	fails_with(&r, "the btf_modules list is unreadable at");
	/* A million nodes, none of them nf_conntrack's and none met twice:
	 * memory no dump holds, made up by the overlay. */
	begin("no debug: btf_modules endless");
	OV->fake = (struct fake_list){
		.base = 0xffffc9ff00000000ULL, .len = 64ull << 20, .stride = 64,
		.next_at = lvo(CTL_BTF_MODULE_LIST), .val_at = lvo(CTL_BTF_MODULE_BTF),
		.val = l->other,
	};
	patch64(l->head, OV->fake.base + OV->fake.next_at);
	analyse_nodebug(&r, false);
	fails_with(&r, "the btf_modules list does not end");
}

/* nf_conntrack's struct btf and the BTF it points at. */
static void module_btf_cases(const struct btf_list *l)
{
	struct run r;
	static char name[64];
	uint64_t data = lvo(CTL_BTF_DATA), size = lvo(CTL_BTF_DATA_SIZE);
	begin("no debug: nf_conntrack BTF data bad");
	patch64(l->btf + data, 0xffffc9ffdead0000ULL);
	analyse_nodebug(&r, false);
	fails_with(&r, "the BTF of nf_conntrack (");
	begin("no debug: nf_conntrack BTF size huge");
	patch32(l->btf + size, 0xfffffff0u);
	analyse_nodebug(&r, false);
	fails_with(&r, "the BTF of nf_conntrack says it is 4294967280 bytes");
	begin("no debug: nf_conntrack BTF size 0");
	patch32(l->btf + size, 0);
	analyse_nodebug(&r, false);
	fails_with(&r, "the BTF of nf_conntrack says it is 0 bytes");
	/* Under the cap, but far more than the blob: nothing that large is
	 * allocated before the bytes are seen to be there. */
	begin("no debug: nf_conntrack BTF size 200 MiB");
	patch32(l->btf + size, 200u << 20);
	analyse_nodebug(&r, false);
	fails_with(&r, "bytes, but its header describes");
	begin("no debug: nf_conntrack BTF magic");
	patch16(l->h.start, 0);
	analyse_nodebug(&r, false);
	fails_with(&r, "is not BTF (magic 0, not 0xeb9f)");
	begin("no debug: nf_conntrack BTF version");
	patch(l->h.start + 3, "\x01", 1);
	analyse_nodebug(&r, false);
	fails_with(&r, "the BTF of nf_conntrack is not valid BTF (version 1, flags 0x1");
	begin("no debug: nf_conntrack BTF type_len");
	patch32(l->h.start + 12, (uint32_t)(l->h.stop - l->h.start));
	analyse_nodebug(&r, false);
	fails_with(&r, "bytes, but its header describes");
	for (unsigned k = 1; k <= 3; k++)
		for (unsigned j = 0; j < sizeof(PATTERNS) / sizeof(PATTERNS[0]); j++) {
			snprintf(name, sizeof(name), "no debug: nf_conntrack types %u/4 = %#llx", k,
				 (unsigned long long)PATTERNS[j]);
			begin(name);
			garble_types(&l->h, k, PATTERNS[j]);
			analyse_nodebug(&r, false);
			printf("    %s\n", garbled_outcome(&r));
		}
}

/* The kallsyms tables VMCOREINFO names; read afresh, as ctleak does. */
static uint64_t ks_entry(const char *name)
{
	uint32_t n = ct_kallsyms_count(KS);
	uint64_t want = sym(name), a, at = vmcoreinfo_symbol("kallsyms_offsets");
	size_t es = at ? 4 : 8;
	if (!at)
		at = vmcoreinfo_symbol("kallsyms_addresses");
	for (uint32_t i = 0; i < n; i++) {
		const char *s = ct_kallsyms_symbol(KS, i, &a);
		if (a == want && strcmp(s, name) == 0)
			return at + es * i;
	}
	return 0;
}

static void kallsyms_cases(void)
{
	struct run r;
	uint64_t num = vmcoreinfo_symbol("kallsyms_num_syms");
	uint64_t tindex = vmcoreinfo_symbol("kallsyms_token_index");
	uint64_t ttable = vmcoreinfo_symbol("kallsyms_token_table");
	uint32_t n = ct_kallsyms_count(KS);
	begin("no debug: kallsyms_num_syms huge");
	patch32(num, 0xfffffff0u);
	analyse_nodebug(&r, true);
	fails_with(&r, "kallsyms_num_syms says 4294967280 symbols");
	begin("no debug: kallsyms_num_syms 0");
	patch32(num, 0);
	analyse_nodebug(&r, true);
	fails_with(&r, "kallsyms_num_syms says 0 symbols");
	/* More names than the table holds: decoding runs past its end. */
	begin("no debug: kallsyms names past the table");
	patch32(num, n + n / 2);
	analyse_nodebug(&r, true);
	fails_with(&r, "kallsyms");
	begin("no debug: kallsyms half the symbols");
	patch32(num, n / 2);
	analyse_nodebug(&r, true);
	fails_with(&r, "kallsyms_names does not end where kallsyms_markers begins");
	begin("no debug: kallsyms token index garbage");
	patch64(tindex + 2 * 'a', 0xffffffffffffffffULL);
	patch64(tindex + 2 * 'e', 0xffffffffffffffffULL);
	patch64(tindex + 2 * 's', 0xffffffffffffffffULL);
	analyse_nodebug(&r, true);
	fails_with(&r, "kallsyms_token_table and kallsyms_token_index disagree at token 97");
	begin("no debug: kallsyms token table garbage");
	/* "XXXXXXXX" over the end of token 59 and the start of token 60. */
	uint16_t t60 = 0;
	CHECK(ct_target_read(T, tindex + 2 * 60, &t60, 2, NULL) == CT_OK && t60 >= 4, "token 60");
	patch64(ttable + t60 - 4, 0x5858585858585858ULL);
	analyse_nodebug(&r, true);
	fails_with(&r, "kallsyms_token_table and kallsyms_token_index disagree");
	begin("no debug: kallsyms offset of net_namespace_list");
	patch32(ks_entry("net_namespace_list"), 0xffffffffu);
	analyse_nodebug(&r, true);
	fails_with(&r, "(net_namespace_list) is at");
	begin("no debug: kallsyms offset of _stext");
	patch32(ks_entry("_stext"), 0x12345678u);
	analyse_nodebug(&r, true);
	fails_with(&r, "kallsyms");
}

/* A kernel whose VMCOREINFO names no kallsyms tables (before 6.0): without
 * debug files ctleak says so in one sentence. With vmlinux's symbols but
 * --types btf: 5.10 keeps no module BTF, and says so in one note; its
 * counter is in struct net, and vmlinux's BTF describes enough for the
 * clean dump's report. */
static void nodebug_none(void)
{
	struct run r;
	begin("no debug: no kallsyms in VMCOREINFO");
	analyse_nodebug(&r, true);
	fails_with(&r, "VMCOREINFO names no kallsyms tables (before 6.0)");
	begin("--types btf: no module BTF");
	analyse(&r, "--types=btf");
	report(&r);
	CHECK(r.rc == REF.rc && err_lines(&r) == 1 &&
	      strstr(r.err, "ctleak: note: the kernel keeps no module BTF"), "%s: exit %d: %.300s",
	      CASE, r.rc, r.err);
	others_unchanged(&r, 0);
	CHECK(jint(r.doc, "suspects", -1) == jint(REF.doc, "suspects", -2), "%s: suspects", CASE);
	run_free(&r);
}

static void nodebug_cases(const char *truth_path, bool quick)
{
	struct ct_error e = { 0 };
	struct btf_list l;
	if (!vmcoreinfo_symbol("kallsyms_names")) {
		nodebug_none();
		return;
	}
	if (ct_kallsyms_load(T, VMCOREINFO, &KS, &e) != CT_OK) {
		CHECK(0, "the dump's kallsyms: %s", e.text);
		return;
	}
	if (nodebug_clean(truth_path) && quick) {
		struct run r;
		begin("no debug: kallsyms half the symbols");
		patch32(vmcoreinfo_symbol("kallsyms_num_syms"), ct_kallsyms_count(KS) / 2);
		analyse_nodebug(&r, true);
		fails_with(&r, "kallsyms_names does not end where kallsyms_markers begins");
	} else if (!quick) {
		vmlinux_btf_cases();
		if (btf_list_read(&l)) {
			btf_list_cases(&l);
			module_btf_cases(&l);
		} else {
			CHECK(0, "nf_conntrack's struct btf not found on btf_modules");
		}
		kallsyms_cases();
	}
	ct_kallsyms_free(KS);
	KS = NULL;
}

/* --- setup ------------------------------------------------------------------ */

static bool setup(void)
{
	struct ct_error e = { 0 };
	struct ct_kdump_info info;
	struct ct_target *inner = NULL;
	if (ct_kdump_open(DUMP, &T, &info, &e) || !(inner = T) ||
	    ct_kdump_vmlinux_syms(T, VMLINUX, &SYMS, &e) || ct_kdump_cache_pages(&T, &info, &e)) {
		CHECK(0, "open %s: %s", DUMP, e.text);
		return false;
	}
	snprintf(FORMAT, sizeof(FORMAT), "%s", info.format);
	VMCOREINFO = ct_kdump_vmcoreinfo(inner);
	OV = overlay_wrap(T);
	if (!OV) {
		CHECK(0, "out of memory");
		return false;
	}
	T = &OV->target;
	/* What ctleak says when it finds no debug vmlinux (none under these
	 * dirs; the system's /usr/lib/debug has none of the test kernels). */
	char found[4096];
	struct ct_error nf = { 0 };
	if (ct_find_vmlinux(T->osrelease, NULL, 0, found, sizeof(found), &nf) == CT_OK)
		snprintf(nf.text, sizeof(nf.text), "no debug vmlinux (test)");
	snprintf(NO_VMLINUX, sizeof(NO_VMLINUX), "%s", nf.text);
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
	struct ct_layout l;
	if (ct_layout_load(files, n, cache, &l, &e) || ct_kmodel_build(&l, &M, &e) ||
	    ct_layout_load(&VMLINUX, 1, cache, &LV, &e) ||
	    ct_modsyms_load(&P, &LV, &MS, NULL, NULL, &e)) {
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
		nodebug_cases(argc == 5 ? argv[4] : NULL, quick);
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
