/* fuzz_kallsyms.c — libFuzzer target: the kernel's kallsyms tables read
 * from memory (lib/kernel/kallsyms.c), the symbol table of a dump with no
 * debug vmlinux, so hostile input.
 *
 * An input is a VMCOREINFO text and a memory image (an in-memory target,
 * lib/target/target_mem.h):
 *   u16 LE   L, the VMCOREINFO text's length (clamped to what follows)
 *   L bytes  the text (NUL-terminated here; a NUL inside ends it early)
 *   then up to MAX_SEGS segments, each
 *     u64 LE address, u32 LE length: bit 31 set, an excluded range of
 *     length & 0xffff bytes (no data follows); bit 30 set, length &
 *     MAX_REPEAT bytes made of a pattern repeated (u16 LE its length, then
 *     its bytes follow): tables bigger than an input, e.g. kallsyms_names
 *     past the reader's 64 KiB window; else that many bytes of data follow
 *     (clamped to what is left)
 * Segments that overlap or wrap are refused by ct_mem_map and skipped.
 * Loaded with ct_kallsyms_load; on success every symbol is looked up by
 * its name, and some names besides. Must never crash, hang or leak; a
 * failure is one sentence; every symbol listed is found by its name.
 *
 * The seeds are test_kallsyms's valid tables (tests/unit/test_kallsyms.c,
 * included below with its main renamed: the same builder, not a copy),
 * alone, followed by a hole or by their kallsyms_markers, and one grown to
 * 25,007 names by repeated segments, written by this binary when
 * CTLEAK_FUZZ_KALLSYMS_SEEDS names a folder (tests/fuzz/make-seeds.sh). CTLEAK_FUZZ_SHOW=1 writes each input's
 * verdict to stderr.
 */
#define main ctleak_test_kallsyms_main
#include "../unit/test_kallsyms.c"
#undef main

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "base/strmap.h"

#define MAX_SEGS 8
#define EXCLUDED (1u << 31)
#define REPEATED (1u << 30)
#define MAX_REPEAT 0x3ffff      /* 256 KiB */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* A repeated segment: len bytes of the pattern at p (plen bytes). */
static void map_repeated(struct ct_target *t, uint64_t addr, uint32_t len, const uint8_t *p,
			 size_t plen)
{
	struct ct_error err;
	unsigned char *buf = calloc(1, len ? len : 1);
	if (!buf)
		return;
	for (uint32_t i = 0; plen && i < len; i++)
		buf[i] = p[i % plen];
	ct_mem_map(t, addr, buf, len, &err);
	free(buf);
}

/* The segments after the text, mapped into t. */
static void map_segments(struct ct_target *t, const uint8_t *p, size_t left)
{
	for (int s = 0; s < MAX_SEGS && left >= 12; s++) {
		uint64_t addr = le(p, 8);
		uint32_t len = (uint32_t)le(p + 8, 4);
		struct ct_error err;
		p += 12, left -= 12;
		if (len & EXCLUDED) {
			ct_mem_exclude(t, addr, len & 0xffff, &err);
		} else if (len & REPEATED) {
			size_t plen = left >= 2 ? (size_t)le(p, 2) : 0;
			p += left >= 2 ? 2 : left, left -= left >= 2 ? 2 : left;
			plen = plen < left ? plen : left;
			map_repeated(t, addr, len & MAX_REPEAT, p, plen);
			p += plen, left -= plen;
		} else {
			len = len < left ? len : (uint32_t)left;
			ct_mem_map(t, addr, p, len, &err);
			p += len, left -= len;
		}
	}
}

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_kallsyms: %s\n", what);
	abort();
}

/* Every symbol listed is found by its name, at the address of the first
 * of that name in the list (kept here in a map of our own); a few other
 * names are looked up too. */
static void lookups(struct ct_kallsyms *k)
{
	uint32_t n = ct_kallsyms_count(k);
	struct ct_error err;
	uint64_t a, b;
	if (n == 0 || !ct_kallsyms_rule(k) || ct_kallsyms_symbol(k, n, &a))
		fail("the count, the rule or the end of the list is wrong");
	struct ct_strmap *first = ct_strmap_new();
	if (!first)
		return;
	for (uint32_t i = 0; i < n; i++) {
		const char *name = ct_kallsyms_symbol(k, i, &a);
		if (!name || ct_kallsyms_find(k, name, &b, &err) != CT_OK)
			fail("a listed symbol is not found by its name");
		if (ct_strmap_add(first, name, strlen(name), (struct ct_strmap_value){ a, 0 }) < 0)
			break;
		if (ct_strmap_get(first, name, strlen(name))->a != b)
			fail("a name is found at another address than its first symbol's");
	}
	ct_strmap_free(first);
	static const char *const others[] = { "_stext", "init_uts_ns", "init_net", "",
					      "kallsyms_names", "nf_conntrack_hash" };
	for (size_t i = 0; i < sizeof(others) / sizeof(*others); i++) {
		ct_status st = ct_kallsyms_find(k, others[i], &a, &err);
		if (st != CT_OK && (st != CT_ERR_NOTFOUND || !err.text[0]))
			fail("a lookup fails without saying why");
	}
}

static bool show;     /* CTLEAK_FUZZ_SHOW=1: each input's verdict on stderr */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[65536 + 1];
	if (size < 2)
		return 0;
	size_t l = (size_t)le(data, 2);
	if (l > size - 2)
		l = size - 2;
	memcpy(text, data + 2, l);
	text[l] = '\0';
	struct ct_target *t = ct_mem_target_new("6.1.0-fuzz");
	if (!t)
		return 0;
	map_segments(t, data + 2 + l, size - 2 - l);
	struct ct_kallsyms *k = NULL;
	struct ct_error err = { 0 };
	ct_status st = ct_kallsyms_load(t, text, &k, &err);
	if (show)
		fprintf(stderr, "fuzz_kallsyms: status %d, %u symbols, %s%s\n", st,
			k ? ct_kallsyms_count(k) : 0, k ? ct_kallsyms_rule(k) : "", err.text);
	if (st == CT_OK) {
		if (!k)
			fail("CT_OK without a table");
		lookups(k);
	} else if (k || !err.text[0] || strchr(err.text, '\n')) {
		fail("a failure is not one sentence, or leaves a table");
	}
	ct_kallsyms_free(k);
	ct_target_close(t);
	return 0;
}

/* --- seeds: test_kallsyms's good images, in this target's input format ---- */

static void put(FILE *f, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		fputc((int)(v >> (8 * i) & 0xff), f);
}

/* What follows the names in a seed. */
enum after { NOTHING, HOLE, MARKERS };

/* kallsyms_markers after names ending at end: every 256th name's offset
 * (offset_of(i)), 4 bytes each, at the next 4-byte boundary. */
static void put_markers(FILE *f, uint64_t end, uint32_t n, uint32_t (*offset_of)(uint32_t))
{
	uint32_t nm = (n + 255) / 256;
	put(f, (end + 3) & ~3ull, 8);
	put(f, 4 * nm, 4);
	for (uint32_t i = 0; i < nm; i++)
		put(f, offset_of(256 * i), 4);
}

static uint32_t first_offset(uint32_t i)
{
	(void)i;        /* the seeds of write_seed have fewer than 256 names */
	return 0;
}

static void write_seed(const char *dir, const char *name, const struct build *b, enum after after)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ct_target_close(build(b));      /* fills img and vmcoreinfo */
	size_t names_len;
	uint32_t n = tables(b, &names_len);
	size_t len = AT_NAMES + names_len;
	FILE *f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "fuzz_kallsyms: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	size_t tl = strlen(vmcoreinfo);
	put(f, tl, 2);
	fwrite(vmcoreinfo, 1, tl, f);
	put(f, TBL, 8);
	put(f, len, 4);
	fwrite(img, 1, len, f);
	if (after == HOLE) {  /* a hole right after the names: reads stop there */
		put(f, TBL + len, 8);
		put(f, EXCLUDED | 0x1000, 4);
	} else if (after == MARKERS) {
		put_markers(f, TBL + len, n, first_offset);
	}
	fclose(f);
}

/* 25,000 more names "a" (all at one address past the others: the tables
 * are in address order) made by repeated
 * segments right after the good tables: a names table past the reader's
 * window, the offsets moved out of its way. */
enum { EXTRA = 25000 };
static uint32_t big_n;          /* the good tables' names, before the extra ones */
static size_t big_names_len;

static uint32_t big_offset(uint32_t i)
{
	return i < big_n ? 0 : (uint32_t)(big_names_len + 3 * (i - big_n));
}

static void write_big_seed(const char *dir)
{
	static const unsigned char name_a[] = { 2, 'T', 'a' }, past[4] = { 0, 0, 0x30, 0x01 };
	const struct build b = { .rule = R_BASE };
	const uint64_t offs = TBL + 0x1000000 + AT_OFFS;   /* "...83..." below */
	char path[4096], *p;
	snprintf(path, sizeof(path), "%s/big-base-relative.bin", dir);
	ct_target_close(build(&b));
	size_t names_len;
	uint32_t n = tables(&b, &names_len), num = n + EXTRA;
	big_n = n, big_names_len = names_len;
	memcpy(img + AT_NUM, &num, 4);
	if ((p = strstr(vmcoreinfo, "SYMBOL(kallsyms_offsets)=")))
		memcpy(p + strlen("SYMBOL(kallsyms_offsets)="), "ffffffff83", 10);
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	size_t tl = strlen(vmcoreinfo), len = AT_NAMES + names_len;
	put(f, tl, 2);
	fwrite(vmcoreinfo, 1, tl, f);
	put(f, TBL, 8), put(f, len, 4), fwrite(img, 1, len, f);
	put(f, TBL + len, 8), put(f, REPEATED | 3 * EXTRA, 4), put(f, 3, 2), fwrite(name_a, 1, 3, f);
	put(f, offs, 8), put(f, 4 * n, 4), fwrite(img + AT_OFFS, 1, 4 * n, f);
	put(f, offs + 4 * n, 8), put(f, REPEATED | 4 * EXTRA, 4), put(f, 4, 2), fwrite(past, 1, 4, f);
	put_markers(f, TBL + len + 3 * EXTRA, num, big_offset);
	fclose(f);
}

static void write_seeds(const char *dir)
{
	static const char *const names[] = { "percpu", "base-relative", "place-relative",
					     "absolute-table" };
	memset(long_name, 'x', sizeof(long_name) - 1);
	memcpy(long_name, "a_long_name_", 12);
	for (enum rule r = R_PERCPU; r <= R_TABLE; r++) {
		char name[64];
		snprintf(name, sizeof(name), "%s.bin", names[r]);
		write_seed(dir, name, &(struct build){ .rule = r }, NOTHING);
		snprintf(name, sizeof(name), "%s-hole.bin", names[r]);
		write_seed(dir, name, &(struct build){ .rule = r }, HOLE);
		snprintf(name, sizeof(name), "%s-markers.bin", names[r]);
		write_seed(dir, name, &(struct build){ .rule = r }, MARKERS);
	}
	write_seed(dir, "no-stext.bin", &(struct build){ .drop = "_stext" }, NOTHING);
	write_seed(dir, "no-num-syms.bin", &(struct build){ .drop = "kallsyms_num_syms" }, NOTHING);
	write_big_seed(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	const char *dir = getenv("CTLEAK_FUZZ_KALLSYMS_SEEDS");
	if (dir && *dir) {
		write_seeds(dir);
		exit(0);
	}
	show = getenv("CTLEAK_FUZZ_SHOW") != NULL;
	return 0;
}
