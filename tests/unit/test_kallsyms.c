/* test_kallsyms.c — the kernel's kallsyms tables (lib/kernel/kallsyms.c)
 * built synthetically in an in-memory target: both name length encodings,
 * every address rule, and hostile tables (counts, lengths, tokens, reads),
 * each one clear error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kernel/kallsyms.h"
#include "target/target_mem.h"

#define KTEXT 0xffffffff81000000ULL
#define TBL 0xffffffff82000000ULL
/* Where each table sits from TBL; kallsyms_names is last, so that a name
 * running past it runs past mapped memory. */
#define AT_NUM 0x0
#define AT_BASE 0x8
#define AT_TOKTAB 0x100
#define AT_TOKIDX 0x1100
#define AT_OFFS 0x1400
#define AT_NAMES 0x4000
#define MAX_IMAGE 0x10000

enum rule { R_PERCPU, R_BASE, R_PLACE, R_TABLE };
static const char *const rule_name[] = { "absolute-percpu", "base-relative",
					 "place-relative", "absolute table" };

struct sym {
	const char *name;
	char type;
	uint64_t addr;
};

static char long_name[301];

/* In address order, as scripts/kallsyms writes them. */
static struct sym syms[] = {
	{ "per_cpu_var", 'D', 0x1a000 },        /* percpu: only some rules */
	{ "_stext", 'T', KTEXT },
	{ "dup_static", 't', KTEXT + 0x100 },
	{ "start_kernel", 'T', KTEXT + 0x1000 },
	{ "dup_static", 't', KTEXT + 0x2000 },
	{ long_name, 'T', KTEXT + 0x3000 },
	{ "init_net", 'D', KTEXT + 0x1100000 },
	{ "init_uts_ns", 'D', KTEXT + 0x1200000 },
};
#define NSYMS (sizeof(syms) / sizeof(syms[0]))

/* How to build an image; the zero value is a good 6.1 kernel. */
struct build {
	enum rule rule;
	uint32_t num_syms;      /* 0: the real count */
	int bad_token;          /* token 1's index points far past the table */
	int zero_length;        /* the first name's coded length is 0 */
	int huge_length;        /* the first name's coded length is 32767 */
	int truncate;           /* bytes cut off the end of kallsyms_names */
	uint64_t stext, uts;    /* what VMCOREINFO says (0: the truth) */
	const char *drop, *drop2; /* SYMBOL()s left out of VMCOREINFO */
};

static unsigned char img[MAX_IMAGE];
static char vmcoreinfo[2048];

/* Tokens: 0x01 "init_", 0x02 "_ns", printable bytes themselves. */
static size_t tokens(uint16_t *index)
{
	size_t at = 0;
	for (unsigned b = 0; b < 256; b++) {
		index[b] = (uint16_t)at;
		const char *tok = b == 1 ? "init_" : b == 2 ? "_ns" : NULL;
		if (tok) {
			memcpy(img + AT_TOKTAB + at, tok, strlen(tok) + 1);
			at += strlen(tok) + 1;
		} else {
			img[AT_TOKTAB + at++] = b >= 0x20 && b < 0x7f ? (unsigned char)b : '?';
			img[AT_TOKTAB + at++] = 0;
		}
	}
	return at;
}

/* Code type + name; one length byte, or two from 128 on (73bbb94466fd). */
static size_t code_name(unsigned char *out, char type, const char *name)
{
	unsigned char codes[1024];
	size_t n = 0;
	codes[n++] = (unsigned char)type;
	for (const char *p = name; *p;) {
		if (strncmp(p, "init_", 5) == 0) {
			codes[n++] = 1, p += 5;
		} else if (strncmp(p, "_ns", 3) == 0) {
			codes[n++] = 2, p += 3;
		} else {
			codes[n++] = (unsigned char)*p++;
		}
	}
	size_t h = 0;
	if (n < 128) {
		out[h++] = (unsigned char)n;
	} else {
		out[h++] = (unsigned char)(0x80 | (n & 0x7f));
		out[h++] = (unsigned char)(n >> 7);
	}
	memcpy(out + h, codes, n);
	return h + n;
}

static bool rule_has(enum rule r, const struct sym *s)
{
	return s->addr >= KTEXT || r == R_PERCPU || r == R_TABLE;
}

static uint32_t raw_offset(enum rule r, const struct sym *s, uint32_t i, uint64_t base,
			   uint64_t offsets)
{
	switch (r) {
	case R_PERCPU:
		return s->addr < KTEXT ? (uint32_t)s->addr : (uint32_t)(-1 - (int64_t)(s->addr - base));
	case R_BASE:
		return (uint32_t)(s->addr - base);
	default:
		return (uint32_t)(int32_t)(int64_t)(s->addr - (offsets + 4ull * i));
	}
}

/* Tables of the symbols rule r can express, written into img. */
static uint32_t tables(const struct build *b, size_t *names_len)
{
	uint64_t base = KTEXT, offsets = TBL + AT_OFFS;
	uint32_t n = 0;
	size_t at = AT_NAMES;
	for (size_t s = 0; s < NSYMS; s++) {
		if (!rule_has(b->rule, &syms[s]))
			continue;
		if (b->rule == R_TABLE) {
			memcpy(img + AT_OFFS + 8 * n, &syms[s].addr, 8);
		} else {
			uint32_t raw = raw_offset(b->rule, &syms[s], n, base, offsets);
			memcpy(img + AT_OFFS + 4 * n, &raw, 4);
		}
		at += code_name(img + at, syms[s].type, syms[s].name);
		n++;
	}
	if (b->zero_length)
		img[AT_NAMES] = 0;
	if (b->huge_length)
		img[AT_NAMES] = img[AT_NAMES + 1] = 0xff;
	memcpy(img + AT_BASE, &base, 8);
	*names_len = at - AT_NAMES;
	return n;
}

static void add_symbol(const char *name, uint64_t v, const struct build *b)
{
	if ((b->drop && strcmp(name, b->drop) == 0) || (b->drop2 && strcmp(name, b->drop2) == 0))
		return;
	size_t l = strlen(vmcoreinfo);
	snprintf(vmcoreinfo + l, sizeof(vmcoreinfo) - l, "SYMBOL(%s)=%llx\n", name,
		 (unsigned long long)v);
}

static struct ct_target *build(const struct build *b)
{
	memset(img, 0, sizeof(img));
	uint16_t index[256];
	tokens(index);
	if (b->bad_token)
		index[1] = 0xfff0;
	memcpy(img + AT_TOKIDX, index, sizeof(index));
	size_t names_len;
	uint32_t n = tables(b, &names_len);
	uint32_t num = b->num_syms ? b->num_syms : n;
	memcpy(img + AT_NUM, &num, 4);
	snprintf(vmcoreinfo, sizeof(vmcoreinfo), "OSRELEASE=6.1.0-test\n");
	add_symbol("kallsyms_names", TBL + AT_NAMES, b);
	add_symbol("kallsyms_num_syms", TBL + AT_NUM, b);
	add_symbol("kallsyms_token_table", TBL + AT_TOKTAB, b);
	add_symbol("kallsyms_token_index", TBL + AT_TOKIDX, b);
	add_symbol(b->rule == R_TABLE ? "kallsyms_addresses" : "kallsyms_offsets",
		   TBL + AT_OFFS, b);
	if (b->rule == R_PERCPU || b->rule == R_BASE)
		add_symbol("kallsyms_relative_base", TBL + AT_BASE, b);
	add_symbol("_stext", b->stext ? b->stext : KTEXT, b);
	add_symbol("init_uts_ns", b->uts ? b->uts : KTEXT + 0x1200000, b);
	struct ct_target *t = ct_mem_target_new("6.1.0-test");
	ct_mem_map(t, TBL, img, AT_NAMES + names_len - (size_t)b->truncate, NULL);
	return t;
}

/* Load an image built as b: the status, and err's sentence in err. */
static ct_status try(const struct build *b, struct ct_kallsyms **k, struct ct_error *err)
{
	struct ct_target *t = build(b);
	*k = NULL;
	memset(err, 0, sizeof(*err));
	ct_status st = ct_kallsyms_load(t, vmcoreinfo, k, err);
	ct_target_close(t);
	CHECK(st != CT_OK || *k, "CT_OK gives a table");
	CHECK(st == CT_OK || (err->text[0] && !strchr(err->text, '\n')),
	      "a failure is one sentence: \"%s\"", err->text);
	return st;
}

static void test_rules(void)
{
	for (enum rule r = R_PERCPU; r <= R_TABLE; r++) {
		struct ct_kallsyms *k;
		struct ct_error err;
		ct_status st = try(&(struct build){ .rule = r }, &k, &err);
		CHECK(st == CT_OK, "%s: %s", rule_name[r], err.text);
		if (st)
			continue;
		CHECK_STR(ct_kallsyms_rule(k), rule_name[r], "the rule the data asked for");
		uint32_t n = 0;
		for (size_t s = 0; s < NSYMS; s++) {
			uint64_t a = 0;
			if (!rule_has(r, &syms[s]))
				continue;
			n++;
			CHECK(ct_kallsyms_find(k, syms[s].name, &a, &err) == CT_OK, "%s: %s",
			      syms[s].name, err.text);
			uint64_t want = strcmp(syms[s].name, "dup_static") ? syms[s].addr : KTEXT + 0x100;
			CHECK(a == want, "%s %.20s: %#llx, want %#llx", rule_name[r], syms[s].name,
			      (unsigned long long)a, (unsigned long long)want);
		}
		CHECK_EQ_U64(ct_kallsyms_count(k), n, "symbols");
		uint64_t a;
		CHECK(ct_kallsyms_symbol(k, 0, &a) && a == (r == R_PERCPU || r == R_TABLE ?
		      0x1a000 : KTEXT), "symbol 0 is the lowest");
		CHECK(ct_kallsyms_symbol(k, n, &a) == NULL, "no symbol past the count");
		CHECK(ct_kallsyms_find(k, "nosuch", &a, &err) == CT_ERR_NOTFOUND &&
		      strstr(err.text, "nosuch"), "an unknown name: %s", err.text);
		ct_kallsyms_free(k);
	}
}

static void expect(const struct build *b, ct_status want, const char *words, const char *what)
{
	struct ct_kallsyms *k;
	struct ct_error err;
	ct_status st = try(b, &k, &err);
	CHECK(st == want && strstr(err.text, words), "%s: status %d (want %d): \"%s\" (want "
	      "\"%s\")", what, st, want, err.text, words);
	ct_kallsyms_free(k);
}

static void test_vmcoreinfo(void)
{
	struct ct_kallsyms *k = NULL;
	struct ct_error err = { 0 };
	struct ct_target *t = ct_mem_target_new("5.10.0");
	const char *old = "OSRELEASE=5.10.0\nSYMBOL(init_uts_ns)=ffffffff82000000\n";
	CHECK(ct_kallsyms_load(t, old, &k, &err) == CT_ERR_UNSUPPORTED &&
	      strstr(err.text, "names no kallsyms tables (before 6.0)") && !k, "5.10: %s", err.text);
	CHECK(ct_kallsyms_load(t, NULL, &k, &err) == CT_ERR_UNSUPPORTED, "no VMCOREINFO");
	ct_target_close(t);
	expect(&(struct build){ .drop = "kallsyms_token_index" }, CT_ERR_UNSUPPORTED,
	       "not kallsyms_token_index", "a table left out");
	expect(&(struct build){ .drop = "kallsyms_num_syms" }, CT_ERR_UNSUPPORTED,
	       "not kallsyms_num_syms", "6.0's missing count");
	expect(&(struct build){ .stext = KTEXT + 0x10, .uts = KTEXT + 0x20 }, CT_ERR_CORRUPT,
	       "under every address rule", "no rule places the known symbols");
	expect(&(struct build){ .drop = "_stext", .drop2 = "init_uts_ns" }, CT_ERR_UNSUPPORTED,
	       "cannot tell how", "nothing to tell the address rule by");
	expect(&(struct build){ .drop = "_stext" }, CT_OK, "", "init_uts_ns alone tells it");
	expect(&(struct build){ .drop = "relative" }, CT_OK, "", "an unknown drop changes nothing");
	/* Without relative_base only the place-relative rule is left. */
	expect(&(struct build){ .rule = R_BASE, .drop = "kallsyms_relative_base" },
	       CT_ERR_CORRUPT, "under every address rule", "base-relative without its base");
}

static void test_hostile(void)
{
	expect(&(struct build){ .num_syms = 0xffffffffu }, CT_ERR_LIMIT, "kallsyms_num_syms says",
	       "a huge count");
	expect(&(struct build){ .num_syms = NSYMS + 1 }, CT_ERR_BADADDR,
	       "runs past readable memory", "more names than the table holds");
	expect(&(struct build){ .truncate = 3 }, CT_ERR_BADADDR, "runs past readable memory",
	       "the last name running off the table");
	expect(&(struct build){ .bad_token = 1 }, CT_ERR_CORRUPT, "disagree at token 1",
	       "a token index out of range");
	expect(&(struct build){ .zero_length = 1 }, CT_ERR_CORRUPT, "claims 0 bytes",
	       "an empty name");
	expect(&(struct build){ .huge_length = 1 }, CT_ERR_CORRUPT, "claims 32767 bytes",
	       "a name longer than the kernel allows");
	/* Tables that cannot be read at all. */
	struct ct_target *t = ct_mem_target_new("6.1.0-test");
	struct ct_kallsyms *k = NULL;
	struct ct_error err = { 0 };
	ct_target_close(build(&(struct build){ 0 }));
	const char *names[] = { "kallsyms_num_syms", "kallsyms_token_index",
				"kallsyms_token_table", "kallsyms_names", "kallsyms_offsets",
				"kallsyms_relative_base" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char text[2048], *p;
		snprintf(text, sizeof(text), "%s", vmcoreinfo);
		char key[64];
		snprintf(key, sizeof(key), "SYMBOL(%s)=", names[i]);
		if ((p = strstr(text, key)))
			memcpy(p + strlen(key), "ffffffff9", 9); /* unmapped */
		ct_mem_map(t, TBL, img, MAX_IMAGE, NULL);
		ct_status st = ct_kallsyms_load(t, text, &k, &err);
		CHECK(st == CT_ERR_BADADDR && strstr(err.text, names[i]) && !k, "%s unreadable: "
		      "%d \"%s\"", names[i], st, err.text);
		ct_kallsyms_free(k);
		k = NULL;
		ct_target_close(t);
		t = ct_mem_target_new("6.1.0-test");
	}
	ct_target_close(t);
}

/* Random bytes over the names and offsets: any verdict, never a crash. */
static void test_noise(void)
{
	unsigned seed = 1;
	for (int round = 0; round < 300; round++) {
		ct_target_close(build(&(struct build){ .rule = (enum rule)(round % 4) }));
		for (int j = 0; j < 1 + round % 40; j++) {
			seed = seed * 1103515245u + 12345u;
			img[AT_NAMES + (seed >> 8) % 0x200] = (unsigned char)(seed >> 16);
			seed = seed * 1103515245u + 12345u;
			img[AT_OFFS + (seed >> 8) % 0x40] = (unsigned char)(seed >> 16);
		}
		struct ct_target *t = ct_mem_target_new("6.1.0-test");
		ct_mem_map(t, TBL, img, AT_NAMES + 0x400, NULL);
		struct ct_kallsyms *k = NULL;
		struct ct_error err = { 0 };
		ct_status st = ct_kallsyms_load(t, vmcoreinfo, &k, &err);
		CHECK(st == CT_OK ? k != NULL : err.text[0] != 0, "round %d: %d", round, st);
		ct_kallsyms_free(k);
		ct_target_close(t);
	}
}

int main(void)
{
	memset(long_name, 'x', sizeof(long_name) - 1);
	memcpy(long_name, "a_long_name_", 12);
	test_rules();
	test_vmcoreinfo();
	test_hostile();
	test_noise();
	return harness_done("kallsyms");
}
