/* test_target_mem.c — the Target contract on the in-memory image: reads,
 * the two kinds of failed read, partial reads; the page cache as a Target
 * owning another; the symbol finder chain; and the program's per-CPU
 * bases, possible-CPU mask and jiffies. */
#include <string.h>

#include "harness.h"
#include "target/page_cache.h"
#include "kernel/program.h"
#include "symbols/symtab.h"
#include "target/target_mem.h"

#define KBASE 0xffff888000000000ULL

/* Finders for the chain test: each knows one name; "broken" fails. */
static ct_status find_a(void *arg, const char *name, uint64_t *addr, struct ct_error *err)
{
	(void)arg;
	if (strcmp(name, "a") == 0 || strcmp(name, "both") == 0) {
		*addr = 1;
		return CT_OK;
	}
	if (strcmp(name, "broken") == 0)
		return ct_fail(err, CT_ERR_CORRUPT, "symbol table of a is corrupt");
	return ct_fail(err, CT_ERR_NOTFOUND, "no symbol %s in a", name);
}

static ct_status find_b(void *arg, const char *name, uint64_t *addr, struct ct_error *err)
{
	(void)arg;
	if (strcmp(name, "b") == 0 || strcmp(name, "both") == 0 || strcmp(name, "broken") == 0) {
		*addr = 2;
		return CT_OK;
	}
	return ct_fail(err, CT_ERR_NOTFOUND, "no symbol %s in b", name);
}

static void test_symbol_chain(void)
{
	struct ct_symbols s;
	struct ct_error err = { 0 };
	uint64_t v = 0;
	int tag_a, tag_b;
	ct_symbols_init(&s);
	CHECK(ct_symbols_lookup(&s, "a", &v, &err) == CT_ERR_NOTFOUND &&
	      strstr(err.text, "no symbol source"), "an empty chain: %s", err.text);
	ct_symbols_add(&s, "a", find_a, &tag_a, &err);
	ct_symbols_add(&s, "b", find_b, &tag_b, &err);
	CHECK(ct_symbols_lookup(&s, "b", &v, &err) == CT_OK && v == 2, "NOTFOUND asks the next");
	CHECK(ct_symbols_lookup(&s, "both", &v, &err) == CT_OK && v == 1, "the first answers");
	CHECK(ct_symbols_lookup(&s, "broken", &v, &err) == CT_ERR_CORRUPT &&
	      strstr(err.text, "corrupt"), "a real error stops the search: %s", err.text);
	CHECK(ct_symbols_lookup(&s, "none", &v, &err) == CT_ERR_NOTFOUND &&
	      strcmp(err.text, "no symbol none in a") == 0, "the first finder's sentence: %s",
	      err.text);
	ct_symbols_remove(&s, &tag_a);
	CHECK(s.n == 1 && ct_symbols_lookup(&s, "both", &v, &err) == CT_OK && v == 2,
	      "a removed finder is not asked");
	for (unsigned i = s.n; i < CT_MAX_SYMBOL_FINDERS; i++)
		ct_symbols_add(&s, "b", find_b, &tag_b, &err);
	CHECK(ct_symbols_add(&s, "b", find_b, &tag_b, &err) == CT_ERR_UNSUPPORTED,
	      "the chain is bounded");
}

/* The page cache: reads through it equal reads beneath it, hits are
 * counted, a page held in part is read directly (the gap reported where
 * it is), and closing the cache closes the Target it owns. */
static void test_page_cache(struct ct_target *inner)
{
	struct ct_error err = { 0 };
	struct ct_target *c;
	unsigned char a[64], b[64];
	inner->page_size = 4096;
	CHECK(ct_page_cache_open(inner, 16, &c, &err) == CT_OK, "page cache: %s", err.text);
	CHECK(strcmp(c->osrelease, inner->osrelease) == 0 && c->page_size == 4096,
	      "the cache carries the Target's facts");
	CHECK(ct_target_read(c, KBASE + 10, a, sizeof(a), &err) == CT_OK &&
	      ct_target_read(inner, KBASE + 10, b, sizeof(b), &err) == CT_OK &&
	      memcmp(a, b, sizeof(a)) == 0, "cached bytes equal the Target's");
	CHECK(ct_target_read(c, KBASE + 100, a, 8, &err) == CT_OK && c->cache_hits >= 1 &&
	      c->cache_misses == 1, "a second read of the page hits: %llu hits, %llu misses",
	      (unsigned long long)c->cache_hits, (unsigned long long)c->cache_misses);
	CHECK(ct_target_read(c, KBASE + 4090, a, 16, &err) == CT_ERR_FAULT &&
	      err.addr == KBASE + 4096 && c->faults == 1,
	      "a read into an excluded page fails at its start: %#llx",
	      (unsigned long long)err.addr);
	ct_target_close(c); /* closes inner too: valgrind and ASan check it */
}

int main(void)
{
	struct ct_error err = { 0 };
	struct ct_target *t = ct_mem_target_new("6.1.0-test");
	unsigned char page[4096];
	for (size_t i = 0; i < sizeof(page); i++)
		page[i] = (unsigned char)i;

	CHECK(ct_mem_map(t, KBASE, page, sizeof(page), &err) == CT_OK, "map");
	CHECK(ct_mem_exclude(t, KBASE + 4096, 4096, &err) == CT_OK, "exclude");
	CHECK(ct_mem_map(t, KBASE + 8192, page, 4096, &err) == CT_OK, "map 2");
	CHECK(ct_mem_map(t, KBASE + 100, page, 10, &err) == CT_ERR_USAGE,
	      "overlapping segments are refused");
	CHECK_STR(t->osrelease, "6.1.0-test", "osrelease");

	uint64_t v = 0;
	CHECK(ct_target_read_u64(t, KBASE + 8, &v, &err) == CT_OK, "aligned read");
	CHECK_EQ_U64(v, 0x0f0e0d0c0b0a0908ULL, "little-endian u64");

	/* Not in the dump vs. not mapped at all. */
	unsigned char buf[64];
	ct_error_clear(&err);
	CHECK(ct_target_read(t, KBASE + 4096 + 8, buf, 8, &err) == CT_ERR_FAULT,
	      "excluded page reads as FAULT");
	CHECK_EQ_U64(err.addr, KBASE + 4096 + 8, "fault address");
	CHECK(ct_target_read(t, 0xffffffff00000000ULL, buf, 8, &err) == CT_ERR_BADADDR,
	      "unmapped address reads as BADADDR");
	CHECK(ct_target_read(t, UINT64_MAX - 3, buf, 8, &err) == CT_ERR_BADADDR,
	      "wrapping read is refused");

	/* A read crossing into the excluded page stops at the gap. */
	size_t done = 0;
	ct_status st = t->ops->read(t, KBASE + 4096 - 16, buf, 32, &done, &err);
	CHECK(st == CT_ERR_FAULT && done == 16, "partial read: st %d done %zu", st, done);
	CHECK(buf[0] == (unsigned char)(4096 - 16) && buf[15] == 255,
	      "partial read delivered the bytes before the gap");

	/* Reads spanning two adjacent mapped segments are joined. */
	CHECK(ct_mem_map(t, KBASE + 12288, page, 4096, &err) == CT_OK, "map 3");
	CHECK(ct_target_read(t, KBASE + 12288 - 4, buf, 8, &err) == CT_OK, "spanning read");
	CHECK(buf[3] == 255 && buf[4] == 0, "spanning read joins segments");

	/* Symbols and the generic per-CPU, CPU-mask and jiffies rules. */
	uint64_t pcpu[4] = { 0x1000, 0x2000, 0x3000, 0x4000 };
	uint32_t nr = 3;
	uint64_t mask = 0x5; /* CPUs 0 and 2 possible */
	uint64_t jiffies = 0x100000123ULL;
	CHECK(ct_mem_map(t, KBASE + 0x10000, pcpu, sizeof(pcpu), &err) == CT_OK, "pcpu");
	CHECK(ct_mem_map(t, KBASE + 0x11000, &nr, sizeof(nr), &err) == CT_OK, "nr");
	CHECK(ct_mem_map(t, KBASE + 0x12000, &mask, sizeof(mask), &err) == CT_OK, "mask");
	CHECK(ct_mem_map(t, KBASE + 0x13000, &jiffies, sizeof(jiffies), &err) == CT_OK, "j");
	struct ct_symtab *tab = ct_symtab_new();
	ct_symtab_add(tab, "__per_cpu_offset", KBASE + 0x10000, &err);
	ct_symtab_add(tab, "nr_cpu_ids", KBASE + 0x11000, &err);
	ct_symtab_add(tab, "__cpu_possible_mask", KBASE + 0x12000, &err);
	ct_symtab_add(tab, "jiffies_64", KBASE + 0x13000, &err);
	struct ct_program prog, *p = &prog;
	ct_program_init(p, t);
	CHECK(ct_program_add_symbols(p, "table", ct_symtab_find, tab, &err) == CT_OK, "finder");

	uint64_t base = 0;
	CHECK(ct_program_percpu_base(p, 2, &base, &err) == CT_OK && base == 0x3000,
	      "per-CPU base of CPU 2: %#llx", (unsigned long long)base);
	uint64_t cpus[CT_MAX_CPUS / 64];
	unsigned ncpu = 0;
	CHECK(ct_program_possible_cpus(p, cpus, CT_MAX_CPUS, &ncpu, &err) == CT_OK,
	      "possible cpus: %s", err.text);
	CHECK(ncpu == 3 && cpus[0] == 0x5, "mask %#llx nr %u", (unsigned long long)cpus[0], ncpu);
	CHECK(ct_program_possible_cpus(p, cpus, 2, &ncpu, &err) == CT_ERR_UNSUPPORTED,
	      "more CPUs than asked for is an error, not a silent cut");
	CHECK(ct_program_jiffies(p, &v, &err) == CT_OK && v == jiffies, "jiffies");
	CHECK(ct_program_symbol(p, "no_such_symbol", &v, &err) == CT_ERR_NOTFOUND,
	      "missing symbol");

	/* A garbage nr_cpu_ids is reported, not trusted. */
	uint32_t *pnr = ct_mem_ptr(t, KBASE + 0x11000, 4);
	CHECK(pnr != NULL, "ct_mem_ptr");
	*pnr = 0;
	CHECK(ct_program_possible_cpus(p, cpus, CT_MAX_CPUS, &ncpu, &err) == CT_ERR_CORRUPT,
	      "nr_cpu_ids 0 is corrupt");
	*pnr = 1000000;
	CHECK(ct_program_possible_cpus(p, cpus, CT_MAX_CPUS, &ncpu, &err) == CT_ERR_CORRUPT,
	      "nr_cpu_ids 1000000 is corrupt");
	CHECK(ct_mem_ptr(t, KBASE + 4096, 1) == NULL, "no pointer into an excluded page");
	CHECK(t->reads > 0 && t->bytes_read > 0, "read statistics are kept");

	ct_symtab_free(tab);
	test_page_cache(t);
	test_symbol_chain();
	return harness_done("in-memory target");
}
