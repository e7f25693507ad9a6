/* test_kallsyms_dumps.c — the kernel's own kallsyms (lib/kernel/kallsyms.c)
 * read from a real dump, against the debug vmlinux's symbols moved by KASLR.
 *
 *   test_kallsyms_dumps [--none] VMLINUX DUMP
 *
 * Every symbol ctleak asks for that vmlinux has, and every kallsyms symbol
 * of a unique name that vmlinux has too, must be at the same address.
 * --none: the kernel predates kallsyms in VMCOREINFO (5.10): loading must
 * fail with the one sentence that says so.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "base/strmap.h"
#include "kernel/kallsyms.h"
#include "target_kdumpfile.h"

/* The globals the tree asks for with ct_program_symbol* (lib/, ext/). */
static const char *const asked[] = {
	"__cpu_possible_mask", "__per_cpu_offset", "cpu_possible_bits", "init_uts_ns",
	"jiffies", "jiffies_64", "max_pfn", "modules", "net_namespace_list",
	"netns_operations", "nf_conntrack_cachep", "nf_conntrack_hash",
	"nf_conntrack_htable_size", "nf_conntrack_max", "nf_conntrack_net_id",
	"nfnl_queue_net_id", "nr_cpu_ids", "nr_node_ids", "page_offset_base",
	"shadow_timekeeper", "slab_caches", "tick_next_period", "tick_nsec",
	"timekeeper_data", "vmemmap_base", "_stext", "_text",
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void check_asked(struct ct_kallsyms *k, struct ct_vmlinux_syms *vs)
{
	unsigned n = 0;
	for (size_t i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
		uint64_t want, got = 0;
		if (ct_vmlinux_syms_lookup(vs, asked[i], &want, NULL) != CT_OK)
			continue; /* in a module, or not in this kernel */
		struct ct_error err = { 0 };
		ct_status st = ct_kallsyms_find(k, asked[i], &got, &err);
		CHECK(st == CT_OK && got == want, "%s: kallsyms %#llx (%s), vmlinux %#llx", asked[i],
		      (unsigned long long)got, st ? err.text : "ok", (unsigned long long)want);
		n++;
	}
	printf("%u symbols ctleak asks for compared\n", n);
	CHECK(n >= 15, "only %u of the asked-for symbols are in vmlinux", n);
}

/* The names kallsyms holds more than once (static symbols of one name). */
static struct ct_strmap *repeated(struct ct_kallsyms *k)
{
	struct ct_strmap *seen = ct_strmap_new(), *dups = ct_strmap_new();
	for (uint32_t i = 0; seen && dups && i < ct_kallsyms_count(k); i++) {
		const char *name = ct_kallsyms_symbol(k, i, NULL);
		if (ct_strmap_add(seen, name, strlen(name), (struct ct_strmap_value){ 0, 0 }) == 0)
			ct_strmap_add(dups, name, strlen(name), (struct ct_strmap_value){ 0, 0 });
	}
	ct_strmap_free(seen);
	return dups;
}

/* Every kallsyms symbol whose name is unique in kallsyms and in vmlinux. */
static void check_all(struct ct_kallsyms *k, struct ct_vmlinux_syms *vs)
{
	uint32_t n = ct_kallsyms_count(k), same = 0, differ = 0, dup = 0, absent = 0;
	struct ct_strmap *dups = repeated(k);
	CHECK(dups != NULL, "out of memory");
	for (uint32_t i = 0; dups && i < n; i++) {
		uint64_t addr, want;
		const char *name = ct_kallsyms_symbol(k, i, &addr);
		if (ct_strmap_get(dups, name, strlen(name))) {
			dup++;
			continue;
		}
		if (ct_vmlinux_syms_lookup(vs, name, &want, NULL) != CT_OK) {
			absent++;
			continue;
		}
		if (want == addr) {
			same++;
		} else if (differ++ < 10) {
			printf("  differs: %s kallsyms %#llx vmlinux %#llx\n", name,
			       (unsigned long long)addr, (unsigned long long)want);
		}
	}
	ct_strmap_free(dups);
	printf("%u kallsyms symbols: %u at vmlinux's address, %u elsewhere, %u of a repeated "
	       "name, %u not in vmlinux's symbol table\n", n, same, differ, dup, absent);
	CHECK(same >= 50000, "only %u symbols compared", same);
	CHECK(differ == 0, "%u symbols differ from vmlinux", differ);
}

int main(int argc, char **argv)
{
	int a = 1;
	bool none = argc > 1 && strcmp(argv[1], "--none") == 0;
	a += none;
	if (argc - a != 2) {
		fprintf(stderr, "usage: %s [--none] VMLINUX DUMP\n", argv[0]);
		return 2;
	}
	struct ct_target *t;
	struct ct_kdump_info info;
	struct ct_error err = { 0 };
	struct ct_vmlinux_syms *vs = NULL;
	ct_status st = ct_kdump_open(argv[a + 1], &t, &info, &err);
	CHECK(st == CT_OK, "open %s: %s", argv[a + 1], err.text);
	if (st)
		return harness_done("kallsyms on a real dump");
	const char *text = ct_kdump_vmcoreinfo(t);
	CHECK(text != NULL, "%s has no VMCOREINFO", argv[a + 1]);
	st = ct_kdump_vmlinux_syms(t, argv[a], &vs, &err);
	CHECK(st == CT_OK, "vmlinux: %s", err.text);
	struct ct_kallsyms *k = NULL;
	double t0 = now();
	ct_status kst = ct_kallsyms_load(t, text, &k, &err);
	double took = now() - t0;
	if (none) {
		CHECK(kst == CT_ERR_UNSUPPORTED && strstr(err.text, "names no kallsyms tables") &&
		      !strchr(err.text, '\n'), "want the no-tables sentence, got %d: %s", kst,
		      err.text);
		printf("%s: %s\n", t->osrelease, err.text);
	} else {
		CHECK(kst == CT_OK, "kallsyms: %s", err.text);
	}
	if (kst == CT_OK) {
		printf("%s: %u symbols (%s) loaded in %.3f s\n", t->osrelease, ct_kallsyms_count(k),
		       ct_kallsyms_rule(k), took);
		if (vs) {
			check_asked(k, vs);
			check_all(k, vs);
		}
	}
	ct_kallsyms_free(k);
	ct_vmlinux_syms_close(vs);
	ct_target_close(t);
	return harness_done("kallsyms on a real dump");
}
