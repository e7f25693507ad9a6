/* test_btf_layout.c — the BTF finder (lib/types/types_btf.c) against the
 * DWARF finder on a real Debian kernel: the whole layout table
 * (lib/kernel/layout.h) resolved from the debug files' DWARF and from the
 * BTF that vmlinux and the stripped modules carry must agree entry by entry.
 *
 *   test_btf_layout VMLINUX CT_DEBUG NFQ_DEBUG CT_KO NFQ_KO
 *   test_btf_layout --no-module-btf VMLINUX CT_DEBUG NFQ_DEBUG CT_KO
 *
 * VMLINUX is the debug vmlinux (DWARF and .BTF), CT_DEBUG/NFQ_DEBUG the
 * debug nf_conntrack.ko and nfnetlink_queue.ko, CT_KO/NFQ_KO the stripped
 * (decompressed) modules. Three tables must equal the DWARF one: BTF
 * alone, and modules' BTF (CT_BTF_MODULES_ONLY) before vmlinux's DWARF.
 * --no-module-btf (5.10): CT_KO has no .BTF; vmlinux's BTF alone may
 * leave entries absent, but each one it answers must equal DWARF's.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "kernel/layout.h"
#include "types/types.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void load_blob(const char *path, struct ct_btf_blob *b)
{
	struct ct_error err = { 0 };
	ct_status st = ct_btf_blob_from_elf(path, b, &err);
	CHECK(st == CT_OK, "%s: %s", path, err.text);
	if (st)
		exit(harness_done("btf layout"));
}

static void compare(const char *what, const struct ct_layout *want,
		    const struct ct_layout *got)
{
	unsigned same = 0;
	for (int i = 0; i < CTL__COUNT; i++) {
		const struct ct_layout_entry *a = &want->e[i], *b = &got->e[i];
		int eq = a->state == b->state && a->kind == b->kind && a->value == b->value &&
			 a->size == b->size && a->bit_offset == b->bit_offset &&
			 a->bit_size == b->bit_size && strcmp(a->type_name, b->type_name) == 0;
		same += eq;
		CHECK(eq, "%s %s (%s): dwarf state %u kind %u value %lld size %llu bits %u+%u "
		      "\"%s\"; btf state %u kind %u value %lld size %llu bits %u+%u \"%s\"",
		      what, ct_layout_defs[i].key, ct_layout_defs[i].question, a->state,
		      a->kind, (long long)a->value, (unsigned long long)a->size, a->bit_offset,
		      a->bit_size, a->type_name, b->state, b->kind, (long long)b->value,
		      (unsigned long long)b->size, b->bit_offset, b->bit_size, b->type_name);
	}
	printf("  %s: %u of %d entries equal the DWARF ones\n", what, same, CTL__COUNT);
}

static void resolve(struct ct_types *t, const char *what, struct ct_layout *out)
{
	struct ct_error err = { 0 };
	ct_status st = ct_layout_resolve(t, out, &err);
	CHECK(st == CT_OK, "%s: %s", what, err.text);
}

static struct ct_types *dwarf_types(const char *const *files, unsigned n)
{
	struct ct_types *t;
	struct ct_error err = { 0 };
	if (ct_types_new(&t, &err))
		exit(1);
	for (unsigned i = 0; i < n; i++) {
		ct_status st = ct_types_add_dwarf(t, files[i], &err);
		CHECK(st == CT_OK, "%s: %s", files[i], err.text);
	}
	return t;
}

static struct ct_types *btf_types(const struct ct_btf_blob *b, unsigned n, unsigned flags,
				  struct ct_types *t)
{
	struct ct_error err = { 0 };
	if (!t && ct_types_new(&t, &err))
		exit(1);
	double t0 = now();
	ct_status st = ct_types_add_btf(t, b, n, flags, &err);
	CHECK(st == CT_OK, "ct_types_add_btf: %s", err.text);
	if (!flags)
		printf("  BTF of %s (%zu bytes) + %u modules parsed in %.3f s\n", b[0].name,
		       b[0].size, n - 1, now() - t0);
	return t;
}

static int full(char **argv)
{
	const char *dwarf_files[] = { argv[2], argv[3], argv[1] };
	struct ct_btf_blob b[3];
	struct ct_layout want, got;
	load_blob(argv[1], &b[0]);
	load_blob(argv[4], &b[1]);
	load_blob(argv[5], &b[2]);
	struct ct_types *t = dwarf_types(dwarf_files, 3);
	resolve(t, "dwarf", &want);
	ct_types_free(t);

	t = btf_types(b, 3, 0, NULL);
	double t0 = now();
	resolve(t, "btf", &got);
	printf("  layout from BTF resolved in %.3f s\n", now() - t0);
	struct ct_types_stats s;
	ct_types_get_stats(t, &s);
	CHECK_EQ_U64(s.files, 3, "files counted");
	ct_types_free(t);
	compare("btf", &want, &got);

	/* The modules' BTF, then vmlinux's DWARF for the rest. */
	t = btf_types(b, 3, CT_BTF_MODULES_ONLY, NULL);
	struct ct_error err = { 0 };
	CHECK(ct_types_add_dwarf(t, argv[1], &err) == CT_OK, "%s: %s", argv[1], err.text);
	resolve(t, "btf modules + dwarf vmlinux", &got);
	ct_types_free(t);
	compare("btf modules + dwarf vmlinux", &want, &got);
	for (int i = 0; i < 3; i++)
		ct_btf_blob_free(&b[i]);
	return harness_done("btf layout");
}

/* 5.10: the stripped modules carry no .BTF. vmlinux's BTF alone may know
 * less than the DWARF of vmlinux and the modules, never something else:
 * every entry it has must equal the DWARF one. */
static int no_module_btf(char **argv)
{
	const char *dwarf_files[] = { argv[2], argv[3], argv[1] };
	struct ct_btf_blob b;
	struct ct_error err = { 0 };
	struct ct_layout want, got;
	memset(&b, 0, sizeof(b));
	CHECK(ct_btf_blob_from_elf(argv[4], &b, &err) == CT_ERR_NOTFOUND,
	      "%s: .BTF expected absent", argv[4]);
	CHECK(strstr(err.text, "no BTF") != NULL, "sentence: %s", err.text);
	ct_btf_blob_free(&b);
	struct ct_types *t = dwarf_types(dwarf_files, 3);
	resolve(t, "dwarf", &want);
	ct_types_free(t);
	load_blob(argv[1], &b);
	t = btf_types(&b, 1, 0, NULL);
	resolve(t, "btf", &got);
	ct_types_free(t);
	ct_btf_blob_free(&b);
	unsigned same = 0, fewer = 0;
	for (int i = 0; i < CTL__COUNT; i++) {
		const struct ct_layout_entry *a = &want.e[i], *e = &got.e[i];
		if (e->state != CTL_PRESENT && a->state == CTL_PRESENT) {
			fewer++;
			continue;
		}
		if (e->state != CTL_PRESENT)
			continue;
		int eq = a->state == e->state && a->kind == e->kind && a->value == e->value &&
			 a->size == e->size && a->bit_offset == e->bit_offset &&
			 a->bit_size == e->bit_size && strcmp(a->type_name, e->type_name) == 0;
		same += eq;
		CHECK(eq, "%s (%s): BTF %lld \"%s\", DWARF %lld \"%s\"", ct_layout_defs[i].key,
		      ct_layout_defs[i].question, (long long)e->value, e->type_name,
		      (long long)a->value, a->type_name);
	}
	printf("  vmlinux BTF alone: %u entries equal the DWARF ones, %u absent from it\n",
	       same, fewer);
	return harness_done("btf layout");
}

int main(int argc, char **argv)
{
	if (argc == 6 && strcmp(argv[1], "--no-module-btf") == 0)
		return no_module_btf(argv + 1);
	if (argc != 6) {
		fprintf(stderr, "usage: test_btf_layout VMLINUX CT_DEBUG NFQ_DEBUG CT_KO NFQ_KO\n"
			"       test_btf_layout --no-module-btf VMLINUX CT_DEBUG NFQ_DEBUG CT_KO\n");
		return 2;
	}
	return full(argv);
}
