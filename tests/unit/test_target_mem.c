/* test_target_mem.c — the Target contract on the in-memory image: reads,
 * the two kinds of failed read, partial reads, symbols, per-CPU bases,
 * the possible-CPU mask and jiffies. */
#include "harness.h"
#include "target_mem.h"

#define KBASE 0xffff888000000000ULL

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
	ct_mem_add_symbol(t, "__per_cpu_offset", KBASE + 0x10000, &err);
	ct_mem_add_symbol(t, "nr_cpu_ids", KBASE + 0x11000, &err);
	ct_mem_add_symbol(t, "__cpu_possible_mask", KBASE + 0x12000, &err);
	ct_mem_add_symbol(t, "jiffies_64", KBASE + 0x13000, &err);

	uint64_t base = 0;
	CHECK(ct_target_percpu_base(t, 2, &base, &err) == CT_OK && base == 0x3000,
	      "per-CPU base of CPU 2: %#llx", (unsigned long long)base);
	uint64_t cpus[CT_MAX_CPUS / 64];
	unsigned ncpu = 0;
	CHECK(ct_target_possible_cpus(t, cpus, CT_MAX_CPUS, &ncpu, &err) == CT_OK,
	      "possible cpus: %s", err.text);
	CHECK(ncpu == 3 && cpus[0] == 0x5, "mask %#llx nr %u", (unsigned long long)cpus[0], ncpu);
	CHECK(ct_target_possible_cpus(t, cpus, 2, &ncpu, &err) == CT_ERR_UNSUPPORTED,
	      "more CPUs than asked for is an error, not a silent cut");
	CHECK(ct_target_jiffies(t, &v, &err) == CT_OK && v == jiffies, "jiffies");
	CHECK(ct_target_symbol(t, "no_such_symbol", &v, &err) == CT_ERR_NOTFOUND,
	      "missing symbol");

	/* A garbage nr_cpu_ids is reported, not trusted. */
	uint32_t *pnr = ct_mem_ptr(t, KBASE + 0x11000, 4);
	CHECK(pnr != NULL, "ct_mem_ptr");
	*pnr = 0;
	CHECK(ct_target_possible_cpus(t, cpus, CT_MAX_CPUS, &ncpu, &err) == CT_ERR_CORRUPT,
	      "nr_cpu_ids 0 is corrupt");
	*pnr = 1000000;
	CHECK(ct_target_possible_cpus(t, cpus, CT_MAX_CPUS, &ncpu, &err) == CT_ERR_CORRUPT,
	      "nr_cpu_ids 1000000 is corrupt");
	CHECK(ct_mem_ptr(t, KBASE + 4096, 1) == NULL, "no pointer into an excluded page");
	CHECK(t->reads > 0 && t->bytes_read > 0, "read statistics are kept");

	ct_target_close(t);
	return harness_done("in-memory target");
}
